package credserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
)

// clock is a settable time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// source hands out numbered credentials living an hour from the clock's now,
// or fails with err; when gate is set, each call waits for it first.
type source struct {
	clock *clock
	mu    sync.Mutex
	calls int
	err   error
	gate  chan struct{}
}

func (s *source) Retrieve(ctx context.Context) (aws.Credentials, error) {
	if s.gate != nil {
		select {
		case <-s.gate:
		case <-ctx.Done():
			return aws.Credentials{}, ctx.Err()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.err != nil {
		return aws.Credentials{}, s.err
	}
	return aws.Credentials{
		AccessKeyID:     fmt.Sprintf("ASIA%04d", s.calls),
		SecretAccessKey: "secret",
		SessionToken:    "token",
		CanExpire:       true,
		Expires:         s.clock.Now().Add(time.Hour),
	}, nil
}

func (s *source) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

func start(t *testing.T, src Source, opts Options) *Server {
	t.Helper()
	s, err := Start(src, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

type answer struct {
	status int
	body   map[string]string
}

func get(t *testing.T, s *Server, token string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := answer{status: res.StatusCode}
	if err := json.Unmarshal(raw, &a.body); err != nil {
		t.Fatalf("the answer is not JSON: %v\n%s", err, raw)
	}
	return a
}

func TestTokenIsRequired(t *testing.T) {
	c := &clock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	src := &source{clock: c}
	s := start(t, src, Options{Now: c.Now})
	if !strings.HasPrefix(s.URL(), "http://127.0.0.1:") {
		t.Errorf("URL %q is not on 127.0.0.1", s.URL())
	}
	for _, token := range []string{"", "wrong", s.Token() + "x", strings.ToUpper(s.Token())} {
		if a := get(t, s, token); a.status != http.StatusForbidden || a.body["AccessKeyId"] != "" {
			t.Errorf("token %q: status %d body %v, want 403 without credentials", token, a.status, a.body)
		}
	}
	if src.Calls() != 0 {
		t.Errorf("refused requests reached the source %d times", src.Calls())
	}
	a := get(t, s, s.Token())
	if a.status != http.StatusOK || a.body["AccessKeyId"] != "ASIA0001" || a.body["Token"] != "token" {
		t.Fatalf("with the token: status %d body %v", a.status, a.body)
	}
	if want := c.Now().Add(time.Hour).Format(time.RFC3339); a.body["Expiration"] != want {
		t.Errorf("Expiration %q, want %q", a.body["Expiration"], want)
	}
}

func TestTwoServersHaveDifferentTokens(t *testing.T) {
	c := &clock{now: time.Now()}
	a := start(t, &source{clock: c}, Options{Now: c.Now})
	b := start(t, &source{clock: c}, Options{Now: c.Now})
	if a.Token() == b.Token() || len(a.Token()) < 32 || a.URL() == b.URL() {
		t.Errorf("tokens %q %q, URLs %q %q", a.Token(), b.Token(), a.URL(), b.URL())
	}
}

func TestRenewsWithinTheMargin(t *testing.T) {
	c := &clock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	src := &source{clock: c}
	s := start(t, src, Options{Now: c.Now, Margin: 15 * time.Minute})
	first := get(t, s, s.Token()).body["AccessKeyId"]
	c.Add(44 * time.Minute) // 16 minutes left: kept
	if got := get(t, s, s.Token()).body["AccessKeyId"]; got != first || src.Calls() != 1 {
		t.Fatalf("with 16 minutes left: key %s after %d calls, want %s after 1", got, src.Calls(), first)
	}
	c.Add(2 * time.Minute) // 14 minutes left: renewed
	a := get(t, s, s.Token())
	if a.body["AccessKeyId"] == first || src.Calls() != 2 {
		t.Fatalf("with 14 minutes left: key %s after %d calls, want a new key after 2", a.body["AccessKeyId"], src.Calls())
	}
	if want := c.Now().Add(time.Hour).Format(time.RFC3339); a.body["Expiration"] != want {
		t.Errorf("Expiration %q, want %q", a.body["Expiration"], want)
	}
}

// TestConcurrentRequestsShareOneRenewal: while a renewal waits (on a person
// typing a code, say), every request waits for that one renewal.
func TestConcurrentRequestsShareOneRenewal(t *testing.T) {
	c := &clock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	src := &source{clock: c, gate: make(chan struct{})}
	s := start(t, src, Options{Now: c.Now})
	const n = 8
	keys := make(chan string, n)
	for i := 0; i < n; i++ {
		go func() {
			creds, err := s.Current(context.Background())
			if err != nil {
				keys <- "error: " + err.Error()
				return
			}
			keys <- creds.AccessKeyID
		}()
	}
	close(src.gate)
	for i := 0; i < n; i++ {
		if k := <-keys; k != "ASIA0001" {
			t.Errorf("request %d got %q", i, k)
		}
	}
	if src.Calls() != 1 {
		t.Errorf("the source was asked %d times, want 1", src.Calls())
	}
}

// askingSource asks a person (it says so, then waits for gate) before it answers.
type askingSource struct {
	*source
}

func (a askingSource) Retrieve(ctx context.Context) (aws.Credentials, error) {
	if a.Calls() > 0 {
		AskingPerson(ctx)
	}
	return a.source.Retrieve(ctx)
}

// TestAskingPersonServesValidCredentials: while a renewal waits for a person, a request that
// still has valid credentials gets them at once; the renewed ones come after the answer.
func TestAskingPersonServesValidCredentials(t *testing.T) {
	c := &clock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	src := &source{clock: c}
	s := start(t, askingSource{src}, Options{Now: c.Now})
	first := get(t, s, s.Token()).body["AccessKeyId"]
	src.gate = make(chan struct{})
	c.Add(50 * time.Minute) // within the margin, still valid
	if got := get(t, s, s.Token()).body["AccessKeyId"]; got != first {
		t.Fatalf("while the person is asked: key %s, want the valid %s", got, first)
	}
	close(src.gate)
	// Expired now: this request waits for the renewal under way.
	c.Add(11 * time.Minute)
	if got := get(t, s, s.Token()).body["AccessKeyId"]; got == first || got == "" {
		t.Fatalf("after the answer: key %q, want a renewed one", got)
	}
	if src.Calls() != 2 {
		t.Errorf("the source was asked %d times, want 2", src.Calls())
	}
}

func TestFailedRenewal(t *testing.T) {
	c := &clock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	src := &source{clock: c}
	var reported []error
	var mu sync.Mutex
	s := start(t, src, Options{Now: c.Now, RetryAfter: 20 * time.Minute, OnRenewError: func(err error) {
		mu.Lock()
		defer mu.Unlock()
		reported = append(reported, err)
	}})
	first := get(t, s, s.Token()).body["AccessKeyId"]
	src.mu.Lock()
	src.err = errors.New("the MFA session is over; run assume prod")
	src.mu.Unlock()

	// Within the margin but still valid: the old credentials, one attempt.
	c.Add(50 * time.Minute)
	for i := 0; i < 3; i++ {
		if a := get(t, s, s.Token()); a.status != http.StatusOK || a.body["AccessKeyId"] != first {
			t.Fatalf("still valid: status %d body %v", a.status, a.body)
		}
	}
	if src.Calls() != 2 {
		t.Errorf("the source was asked %d times within RetryAfter, want 2", src.Calls())
	}
	// Expired: the error the SDK shows, still no new attempt within RetryAfter.
	c.Add(10*time.Minute + time.Second)
	a := get(t, s, s.Token())
	if a.status != http.StatusServiceUnavailable || !strings.Contains(a.body["message"], "run assume prod") || a.body["code"] == "" {
		t.Errorf("expired: status %d body %v", a.status, a.body)
	}
	if src.Calls() != 2 {
		t.Errorf("the source was asked %d times, want 2", src.Calls())
	}
	// After RetryAfter, one new attempt, which succeeds now.
	src.mu.Lock()
	src.err = nil
	src.mu.Unlock()
	c.Add(10 * time.Minute)
	if a := get(t, s, s.Token()); a.status != http.StatusOK || a.body["AccessKeyId"] == first {
		t.Errorf("after RetryAfter: status %d body %v", a.status, a.body)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(reported) != 1 {
		t.Errorf("%d failures reported, want 1: %v", len(reported), reported)
	}
}

func TestStaticKeysGetAnExpiry(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := start(t, staticSource{}, Options{Now: func() time.Time { return now }})
	a := get(t, s, s.Token())
	if a.status != http.StatusOK || a.body["AccessKeyId"] != "AKIASTATIC" || a.body["Expiration"] != now.Add(time.Hour).Format(time.RFC3339) {
		t.Errorf("status %d body %v", a.status, a.body)
	}
}

type staticSource struct{}

func (staticSource) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{AccessKeyID: "AKIASTATIC", SecretAccessKey: "s"}, nil
}

// TestSDKReadsIt: the AWS SDK for Go's own container-credentials client gets
// the credentials, and shows the server's message when there are none.
func TestSDKReadsIt(t *testing.T) {
	c := &clock{now: time.Now()}
	src := &source{clock: c}
	s := start(t, src, Options{Now: c.Now})
	ctx := context.Background()
	prov := endpointcreds.New(s.URL(), func(o *endpointcreds.Options) { o.AuthorizationToken = s.Token() })
	creds, err := prov.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if creds.AccessKeyID != "ASIA0001" || creds.SessionToken != "token" || !creds.CanExpire {
		t.Errorf("the SDK read %+v", creds)
	}

	bad := endpointcreds.New(s.URL(), func(o *endpointcreds.Options) { o.AuthorizationToken = "nope" })
	if _, err := bad.Retrieve(ctx); err == nil {
		t.Error("the SDK got credentials with a wrong token")
	}

	failing := start(t, &source{clock: c, err: errors.New("the MFA session for profile \"prod\" is over")}, Options{Now: c.Now})
	prov = endpointcreds.New(failing.URL(), func(o *endpointcreds.Options) {
		o.AuthorizationToken = failing.Token()
		o.Retryer = aws.NopRetryer{}
	})
	_, err = prov.Retrieve(ctx)
	if err == nil || !strings.Contains(err.Error(), `the MFA session for profile "prod" is over`) {
		t.Errorf("the SDK's error does not carry the server's message: %v", err)
	}
}
