package console

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/deadline"
)

// fakeFederation is an in-process federation endpoint: it checks the session
// JSON it is given and answers with a token.
type fakeFederation struct {
	t        *testing.T
	srv      *httptest.Server
	want     Credentials
	status   int    // answer with this status instead of a token
	body     string // answer with this body instead of a token
	requests []url.Values
}

func newFakeFederation(t *testing.T, want Credentials) *fakeFederation {
	f := &fakeFederation{t: t, want: want}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeFederation) serve(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.requests = append(f.requests, q)
	if r.URL.Path != "/federation" || q.Get("Action") != "getSigninToken" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	var s map[string]string
	if err := json.Unmarshal([]byte(q.Get("Session")), &s); err != nil {
		f.t.Errorf("Session is not JSON: %v", err)
	}
	if len(s) != 3 || s["sessionId"] != f.want.AccessKeyID || s["sessionKey"] != f.want.SecretAccessKey || s["sessionToken"] != f.want.SessionToken {
		f.t.Errorf("Session = %v, want the three fields of %+v", s, f.want)
	}
	if f.status != 0 {
		w.WriteHeader(f.status)
		_, _ = w.Write([]byte(f.body))
		return
	}
	if f.body != "" {
		_, _ = w.Write([]byte(f.body))
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]string{"SigninToken": "token-for-" + s["sessionId"]})
}

var roleCreds = Credentials{AccessKeyID: "ASIAROLE", SecretAccessKey: "role/secret+key=", SessionToken: "FwoGZX&token=with?specials"}

func TestSigninTokenSendsTheSessionAndDuration(t *testing.T) {
	f := newFakeFederation(t, roleCreds)
	c := &Client{Endpoint: f.srv.URL + "/federation"}
	token, err := c.SigninToken(context.Background(), roleCreds, 45*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if token != "token-for-ASIAROLE" {
		t.Errorf("token = %q", token)
	}
	if got := f.requests[0].Get("SessionDuration"); got != "2700" {
		t.Errorf("SessionDuration = %q, want 2700", got)
	}

	// Federation tokens carry their own lifetime: no SessionDuration at all.
	if _, err := c.SigninToken(context.Background(), roleCreds, 0); err != nil {
		t.Fatal(err)
	}
	if _, sent := f.requests[1]["SessionDuration"]; sent {
		t.Errorf("SessionDuration sent without a duration: %v", f.requests[1])
	}
}

func TestSigninTokenErrorsHideSecrets(t *testing.T) {
	secrets := []string{roleCreds.SecretAccessKey, roleCreds.SessionToken, "Session=", "getSigninToken"}
	check := func(t *testing.T, err error, want string) {
		t.Helper()
		if err == nil {
			t.Fatal("no error")
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
		for _, s := range secrets {
			if strings.Contains(err.Error(), s) || strings.Contains(err.Error(), url.QueryEscape(s)) {
				t.Errorf("error %q reveals %q", err, s)
			}
		}
	}
	t.Run("refused", func(t *testing.T) {
		f := newFakeFederation(t, roleCreds)
		f.status, f.body = http.StatusBadRequest, "<html>"+roleCreds.SessionToken+"</html>"
		_, err := (&Client{Endpoint: f.srv.URL + "/federation"}).SigninToken(context.Background(), roleCreds, time.Hour)
		check(t, err, "HTTP 400")
		if !errors.Is(err, ErrRefused) {
			t.Errorf("error %v is not ErrRefused", err)
		}
	})
	t.Run("no token", func(t *testing.T) {
		f := newFakeFederation(t, roleCreds)
		f.body = `{"SigninToken": ""}`
		_, err := (&Client{Endpoint: f.srv.URL + "/federation"}).SigninToken(context.Background(), roleCreds, time.Hour)
		check(t, err, "without a sign-in token")
	})
	t.Run("too big", func(t *testing.T) {
		f := newFakeFederation(t, roleCreds)
		f.body = `{"SigninToken": "` + strings.Repeat("x", maxResponse) + `"}`
		_, err := (&Client{Endpoint: f.srv.URL + "/federation"}).SigninToken(context.Background(), roleCreds, time.Hour)
		check(t, err, "more than 64 KiB")
	})
	t.Run("unreachable", func(t *testing.T) {
		f := newFakeFederation(t, roleCreds)
		endpoint := f.srv.URL + "/federation"
		f.srv.Close()
		_, err := (&Client{Endpoint: endpoint}).SigninToken(context.Background(), roleCreds, time.Hour)
		check(t, err, "could not reach")
	})
	t.Run("redirect", func(t *testing.T) {
		srv := httptest.NewServer(http.RedirectHandler("https://example.com/elsewhere", http.StatusFound))
		t.Cleanup(srv.Close)
		_, err := (&Client{Endpoint: srv.URL + "/federation"}).SigninToken(context.Background(), roleCreds, time.Hour)
		check(t, err, "HTTP 302")
	})
	t.Run("deadline", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
		t.Cleanup(srv.Close)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := (&Client{Endpoint: srv.URL + "/federation"}).SigninToken(ctx, roleCreds, time.Hour)
		check(t, err, "could not reach")
	})
	t.Run("timeout", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
		t.Cleanup(srv.Close)
		_, err := (&Client{Endpoint: srv.URL + "/federation", Timeout: 50 * time.Millisecond}).SigninToken(context.Background(), roleCreds, time.Hour)
		check(t, err, "the AWS sign-in service at "+srv.URL+" did not answer within 50ms")
		var late *deadline.NetworkError
		if !errors.As(err, &late) {
			t.Errorf("error %v is not a missed deadline", err)
		}
		// Nor does any error it wraps hold the request URL.
		for e := err; e != nil; e = errors.Unwrap(e) {
			if strings.Contains(e.Error(), "Session=") {
				t.Errorf("wrapped error %q reveals the request", e)
			}
		}
	})
}

func TestSessionDuration(t *testing.T) {
	for _, tc := range []struct {
		left    time.Duration
		chained bool
		want    time.Duration
	}{
		{45*time.Minute + 30*time.Second + time.Millisecond, false, 45*time.Minute + 30*time.Second},
		{8 * time.Hour, false, 8 * time.Hour},
		{20 * time.Hour, false, 12 * time.Hour},
		{8 * time.Hour, true, time.Hour},
		{50 * time.Minute, true, 50 * time.Minute},
		{6 * time.Minute, true, 15 * time.Minute},
	} {
		if got := SessionDuration(tc.left, tc.chained); got != tc.want {
			t.Errorf("SessionDuration(%s, chained %t) = %s, want %s", tc.left, tc.chained, got, tc.want)
		}
	}
}

func TestEndpoint(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == EndpointVariable {
				return v
			}
			return ""
		}
	}
	for _, tc := range []struct{ arn, region, env, want, wantErr string }{
		{"arn:aws:iam::111111111111:role/a", "eu-west-1", "", "https://signin.aws.amazon.com/federation", ""},
		{"arn:aws-cn:iam::111111111111:role/a", "", "", "https://signin.amazonaws.cn/federation", ""},
		{"arn:aws-us-gov:iam::111111111111:role/a", "", "", "https://signin.amazonaws-us-gov.com/federation", ""},
		{"", "cn-north-1", "", "https://signin.amazonaws.cn/federation", ""},
		{"", "us-gov-west-1", "", "https://signin.amazonaws-us-gov.com/federation", ""},
		{"", "", "http://127.0.0.1:8080/federation", "http://127.0.0.1:8080/federation", ""},
		{"", "", "https://proxy.example.com/federation", "https://proxy.example.com/federation", ""},
		{"", "", "http://proxy.example.com/federation", "", "https URL"},
		{"", "", "https://user:pw@proxy.example.com/federation", "", "not a URL"},
	} {
		got, err := Endpoint(env(tc.env), PartitionOf(tc.arn, tc.region))
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("Endpoint(%q): error %v, want one saying %q", tc.env, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Endpoint(%q, %q, %q) = %q, %v; want %q", tc.arn, tc.region, tc.env, got, err, tc.want)
		}
	}
}

func TestDestination(t *testing.T) {
	aws, cn, gov := PartitionOf("arn:aws:iam::1:role/r", ""), PartitionOf("arn:aws-cn:iam::1:role/r", ""), PartitionOf("arn:aws-us-gov:iam::1:role/r", "")
	for _, tc := range []struct {
		p               Partition
		region, service string
		want            string
	}{
		{aws, "eu-west-1", "", "https://console.aws.amazon.com/console/home?region=eu-west-1"},
		{aws, "", "", "https://console.aws.amazon.com/console/home"},
		{aws, "eu-west-1", "s3", "https://console.aws.amazon.com/s3/home?region=eu-west-1"},
		{aws, "eu-west-1", "cloudformation", "https://console.aws.amazon.com/cloudformation/home?region=eu-west-1"},
		{aws, "eu-west-1", "ssm", "https://console.aws.amazon.com/systems-manager/home?region=eu-west-1"},
		{aws, "eu-west-1", "logs", "https://console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:"},
		{aws, "eu-west-1", "glue", "https://console.aws.amazon.com/glue/home?region=eu-west-1"},
		{aws, "eu-west-1", "/s3/buckets/my-bucket?region=eu-west-1&tab=objects", "https://console.aws.amazon.com/s3/buckets/my-bucket?region=eu-west-1&tab=objects"},
		{aws, "", "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:", "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#Instances:"},
		{cn, "cn-north-1", "ec2", "https://console.amazonaws.cn/ec2/home?region=cn-north-1"},
		{gov, "us-gov-west-1", "", "https://console.amazonaws-us-gov.com/console/home?region=us-gov-west-1"},
	} {
		got, err := Destination(tc.p, tc.region, tc.service)
		if err != nil || got != tc.want {
			t.Errorf("Destination(%s, %q, %q) = %q, %v; want %q", tc.p.ID, tc.region, tc.service, got, err, tc.want)
		}
	}
	for _, bad := range []string{"S3", "s3 ec2", "//evil.example.com/", "https://evil.example.com/", "https://console.aws.amazon.com.evil.example.com/", "/s3\n", "../x", "https://user@console.aws.amazon.com/"} {
		if got, err := Destination(aws, "eu-west-1", bad); err == nil {
			t.Errorf("Destination(%q) = %q, want an error", bad, got)
		} else if strings.ContainsAny(err.Error(), "\n") {
			t.Errorf("error %q holds a control character", err)
		}
	}
}

func TestLoginAndSignOutURLs(t *testing.T) {
	login := LoginURL("https://signin.aws.amazon.com/federation", "https://console.aws.amazon.com/", "https://console.aws.amazon.com/s3/home?region=eu-west-1", "tok&en")
	u, err := url.Parse(login)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Host != "signin.aws.amazon.com" || q.Get("Action") != "login" || q.Get("SigninToken") != "tok&en" ||
		q.Get("Destination") != "https://console.aws.amazon.com/s3/home?region=eu-west-1" || q.Get("Issuer") != "https://console.aws.amazon.com/" {
		t.Errorf("LoginURL = %s", login)
	}
	out, err := SignOutFirst("https://signin.aws.amazon.com/federation", login)
	if err != nil {
		t.Fatal(err)
	}
	o, _ := url.Parse(out)
	if o.Host != "signin.aws.amazon.com" || o.Path != "/oauth" || o.Query().Get("Action") != "logout" || o.Query().Get("redirect_uri") != login {
		t.Errorf("SignOutFirst = %s", out)
	}
}

func TestAccountSigninPage(t *testing.T) {
	for _, tc := range []struct{ serial, want string }{
		{"arn:aws:iam::111111111111:mfa/alice", "https://111111111111.signin.aws.amazon.com/console"},
		{"arn:aws-cn:iam::222222222222:mfa/bob", "https://222222222222.signin.amazonaws.cn/console"},
		{"arn:aws-us-gov:iam::333333333333:mfa/carol", "https://333333333333.signin.amazonaws-us-gov.com/console"},
		{"GAHT12345678", "https://signin.aws.amazon.com/console"},
	} {
		if got := AccountSigninPage(PartitionOf(tc.serial, ""), AccountOf(tc.serial)); got != tc.want {
			t.Errorf("sign-in page for %q = %q, want %q", tc.serial, got, tc.want)
		}
	}
}

func TestFederatedUserName(t *testing.T) {
	for _, tc := range []struct {
		users []string
		want  string
	}{
		{[]string{"alice"}, "assume-alice"},
		{[]string{"", "Bob Smith"}, "assume-BobSmith"},
		{[]string{"", ""}, "assume"},
		{[]string{strings.Repeat("x", 40)}, "assume-" + strings.Repeat("x", 25)},
	} {
		if got := FederatedUserName(tc.users...); got != tc.want {
			t.Errorf("FederatedUserName(%q) = %q, want %q", tc.users, got, tc.want)
		}
	}
}
