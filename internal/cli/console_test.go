package cli_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/assume-cli/assume/internal/cli"
)

// federation is an in-process federation endpoint: it records the session
// JSON and SessionDuration it gets and answers with a token.
type federation struct {
	srv    *httptest.Server
	refuse bool

	mu       sync.Mutex
	sessions []map[string]string
	duration []string
}

func newFederation(t *testing.T, h *harness) *federation {
	f := &federation{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		var s map[string]string
		if r.URL.Path != "/federation" || q.Get("Action") != "getSigninToken" || json.Unmarshal([]byte(q.Get("Session")), &s) != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.sessions = append(f.sessions, s)
		f.duration = append(f.duration, q.Get("SessionDuration"))
		f.mu.Unlock()
		if f.refuse {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"SigninToken": "SIGNIN-TOKEN-" + s["sessionId"]})
	}))
	t.Cleanup(f.srv.Close)
	h.env["ASSUME_SIGNIN_URL"] = f.srv.URL + "/federation"
	return f
}

// fakeBrowser records what it is asked to open.
type fakeBrowser struct {
	urls []string
	err  error
}

func (b *fakeBrowser) Open(_ context.Context, u string) error {
	b.urls = append(b.urls, u)
	return b.err
}

func (h *harness) runConsole(b cli.Browser, args ...string) int {
	h.t.Helper()
	h.browser = b
	defer func() { h.browser = nil }()
	return h.runAs("bash", nil, args...)
}

// loginParams checks that u is a login URL of the fake endpoint and returns its query.
func loginParams(t *testing.T, f *federation, u string) url.Values {
	t.Helper()
	parsed, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	q := parsed.Query()
	if !strings.HasPrefix(u, f.srv.URL+"/federation?") || q.Get("Action") != "login" {
		t.Fatalf("not a login URL of the federation endpoint: %s", u)
	}
	return q
}

func TestConsoleRoleViaMFASession(t *testing.T) {
	h := newHarness(t)
	f := newFederation(t, h)
	b := &fakeBrowser{}
	if code := h.runConsole(b, "prod", "-c", "-m", "123456"); code != 0 {
		t.Fatalf("exit %d: %s", code, h.streams.ErrBuf)
	}
	if out := h.streams.OutBuf.String(); out != "" {
		t.Errorf("--console printed on stdout: %q", out)
	}
	if len(b.urls) != 1 || len(f.sessions) != 1 {
		t.Fatalf("browser got %d URLs, endpoint %d sessions", len(b.urls), len(f.sessions))
	}
	s := f.sessions[0]
	if !strings.HasPrefix(s["sessionId"], "ASIA") || s["sessionKey"] == "" || s["sessionToken"] == "" || s["sessionId"] == userKey {
		t.Errorf("session JSON %v does not hold the role's temporary credentials", s)
	}
	// A role assumed from an MFA session is chained: at most 1 hour.
	if d, err := strconv.Atoi(f.duration[0]); err != nil || d < 900 || d > 3600 {
		t.Errorf("SessionDuration = %q, want 900 to 3600 for a chained role", f.duration[0])
	}
	q := loginParams(t, f, b.urls[0])
	if q.Get("SigninToken") != "SIGNIN-TOKEN-"+s["sessionId"] {
		t.Errorf("SigninToken = %q", q.Get("SigninToken"))
	}
	if got, want := q.Get("Destination"), "https://console.aws.amazon.com/console/home?region=eu-central-1"; got != want {
		t.Errorf("Destination = %q, want %q", got, want)
	}
	if q.Get("Issuer") == "" {
		t.Error("no Issuer")
	}
	stderr := h.streams.ErrBuf.String()
	if strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "console session lasts until") || !strings.Contains(stderr, "region eu-central-1") {
		t.Errorf("notice: %q", stderr)
	}
	for _, secret := range []string{s["sessionKey"], s["sessionToken"], "SIGNIN-TOKEN", f.srv.URL} {
		if strings.Contains(stderr, secret) {
			t.Errorf("stderr reveals %.12q…: %q", secret, stderr)
		}
	}

	// Again: the cached role signs in, without a new AssumeRole or code.
	roles := h.sts.CallCount("AssumeRole")
	if code := h.runConsole(b, "prod", "--console", "-s", "s3"); code != 0 {
		t.Fatalf("second run: exit %d: %s", code, h.streams.ErrBuf)
	}
	if got := h.sts.CallCount("AssumeRole"); got != roles {
		t.Errorf("a cached role made %d new AssumeRole calls", got-roles)
	}
	if f.sessions[1]["sessionId"] != s["sessionId"] {
		t.Errorf("the second sign-in used other credentials than the cached role's")
	}
	if got := loginParams(t, f, b.urls[1]).Get("Destination"); got != "https://console.aws.amazon.com/s3/home?region=eu-central-1" {
		t.Errorf("-s s3: Destination = %q", got)
	}
	if !strings.Contains(h.streams.ErrBuf.String(), "cached") {
		t.Errorf("the notice does not say the credentials were cached: %q", h.streams.ErrBuf)
	}
}

func TestConsoleURLAndSignOut(t *testing.T) {
	h := newHarness(t)
	f := newFederation(t, h)
	b := &fakeBrowser{}
	if code := h.runConsole(b, "prod", "--console-url", "-m", "123456", "-s", "/ec2/home?region=eu-central-1#Instances:"); code != 0 {
		t.Fatalf("exit %d: %s", code, h.streams.ErrBuf)
	}
	if len(b.urls) != 0 {
		t.Errorf("--console-url opened a browser")
	}
	out := h.streams.OutBuf.String()
	if strings.Count(out, "\n") != 1 || !strings.HasSuffix(out, "\n") {
		t.Fatalf("stdout is not one line: %q", out)
	}
	q := loginParams(t, f, strings.TrimSpace(out))
	if got := q.Get("Destination"); got != "https://console.aws.amazon.com/ec2/home?region=eu-central-1#Instances:" {
		t.Errorf("Destination = %q", got)
	}
	stderr := h.streams.ErrBuf.String()
	if strings.Contains(stderr, "SIGNIN-TOKEN") || strings.Contains(stderr, f.srv.URL) || !strings.Contains(stderr, "15 minutes") {
		t.Errorf("notice: %q", stderr)
	}

	if code := h.runConsole(b, "prod", "-c", "--sign-out"); code != 0 {
		t.Fatalf("--sign-out: exit %d: %s", code, h.streams.ErrBuf)
	}
	u, err := url.Parse(b.urls[0])
	if err != nil {
		t.Fatal(err)
	}
	if u.Path != "/oauth" || u.Query().Get("Action") != "logout" {
		t.Fatalf("--sign-out opened %s, want the logout redirect", b.urls[0])
	}
	loginParams(t, f, u.Query().Get("redirect_uri"))
}

func TestConsoleMFAUserGetsTheAccountSigninPage(t *testing.T) {
	h := newHarness(t)
	f := newFederation(t, h)
	b := &fakeBrowser{}
	if code := h.runConsole(b, "alice", "-c"); code != 0 {
		t.Fatalf("exit %d: %s", code, h.streams.ErrBuf)
	}
	if len(b.urls) != 1 || b.urls[0] != "https://111111111111.signin.aws.amazon.com/console" {
		t.Errorf("opened %q, want the account's sign-in page", b.urls)
	}
	if n := len(h.sts.Calls()); n != 0 || len(f.sessions) != 0 {
		t.Errorf("%d STS calls and %d sign-in tokens for an MFA user, want none", n, len(f.sessions))
	}
	stderr := h.streams.ErrBuf.String()
	if strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, "sign-in page") || !strings.Contains(stderr, "role profile") {
		t.Errorf("stderr: %q", stderr)
	}
	if h.streams.OutBuf.Len() != 0 {
		t.Errorf("stdout: %q", h.streams.OutBuf)
	}
}

func TestConsoleErrors(t *testing.T) {
	h := newHarness(t)
	f := newFederation(t, h)
	oneLine := func(t *testing.T, code, want int, says string) {
		t.Helper()
		stderr := h.streams.ErrBuf.String()
		if code != want || h.streams.OutBuf.Len() != 0 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, says) {
			t.Errorf("exit %d (want %d), stdout %q, stderr %q (want it to say %q)", code, want, h.streams.OutBuf, stderr, says)
		}
		for _, secret := range []string{"SIGNIN-TOKEN", f.srv.URL + "/federation?", "Session="} {
			if strings.Contains(stderr, secret) {
				t.Errorf("stderr reveals %q: %s", secret, stderr)
			}
		}
	}
	b := &fakeBrowser{}
	oneLine(t, h.runConsole(b, "prod", "-s", "s3"), 2, "--service goes with --console")
	oneLine(t, h.runConsole(b, "prod", "--sign-out"), 2, "--sign-out goes with --console")
	oneLine(t, h.runConsole(b, "prod", "-c", "--", "true"), 2, "cannot be combined with --")
	oneLine(t, h.runConsole(b, "prod", "-c", "-m", "123456", "-s", "S3 buckets"), 2, "neither a service name")
	if n := len(h.sts.Calls()); n != 0 {
		t.Errorf("usage errors made %d STS calls", n)
	}

	f.refuse = true
	oneLine(t, h.runConsole(b, "prod", "-c", "-m", "123456"), 1, "HTTP 400")
	f.refuse = false

	b.err = errors.New("no browser to open: none of xdg-open is installed")
	oneLine(t, h.runConsole(b, "prod", "-c"), 1, "no browser to open")
	if len(b.urls) != 1 {
		t.Errorf("browser asked %d times", len(b.urls))
	}

	h.env["ASSUME_SIGNIN_URL"] = "http://proxy.example.com/federation"
	oneLine(t, h.runConsole(b, "prod", "-c"), 2, "https URL")
}

func TestConsoleBrowserVariable(t *testing.T) {
	h := newHarness(t)
	newFederation(t, h)
	got := filepath.Join(h.dir, "opened")
	browser := filepath.Join(h.dir, "browser")
	write(t, browser, "#!/bin/sh\nprintf '%s' \"$1\" > '"+got+"'\n")
	if err := os.Chmod(browser, 0o700); err != nil {
		t.Fatal(err)
	}
	h.env["BROWSER"] = browser
	if code := h.runConsole(nil, "prod", "-c", "-m", "123456"); code != 0 {
		t.Fatalf("exit %d: %s", code, h.streams.ErrBuf)
	}
	opened, err := os.ReadFile(got)
	if err != nil {
		t.Fatalf("$BROWSER was not run: %v", err)
	}
	if !strings.Contains(string(opened), "Action=login") {
		t.Errorf("$BROWSER got %q", opened)
	}
}

// TestConsoleRoleFromLongTermKeysIsNotCapped: -d 2h assumes the role with the code straight from
// the user's keys (no chaining), so the console session may last the 2 hours.
func TestConsoleRoleFromLongTermKeysIsNotCapped(t *testing.T) {
	h := newHarness(t)
	f := newFederation(t, h)
	b := &fakeBrowser{}
	if code := h.runConsole(b, "prod", "-c", "-m", "123456", "-d", "2h"); code != 0 {
		t.Fatalf("exit %d: %s", code, h.streams.ErrBuf)
	}
	if h.sts.CallCount("GetSessionToken") != 0 || h.sts.CallCount("AssumeRole") != 1 {
		t.Fatalf("calls %v, want one AssumeRole from the long-term keys", h.sts.Calls())
	}
	if d, err := strconv.Atoi(f.duration[0]); err != nil || d <= 3600 || d > 7200 {
		t.Errorf("SessionDuration = %q, want the role's 2 hours (over 3600)", f.duration[0])
	}
}
