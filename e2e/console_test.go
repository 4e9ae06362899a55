package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/testkit"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// fakeSignin stands in for AWS's federation endpoint and the console behind it, on 127.0.0.1:
// getSigninToken checks the session JSON it is given and hands out a token; login checks the token
// and redirects to a console page that shows who signed in (the emulator's answer to
// GetCallerIdentity with the session's credentials), the region and the destination asked for.
type fakeSignin struct {
	t   testing.TB
	srv *httptest.Server
	sts string // the emulator's URL

	mu       sync.Mutex
	sessions map[string]signinSession // by token
	tokens   []signinSession          // in order
}

type signinSession struct {
	ID, Key, Token  string
	SessionDuration string // as sent; "" when absent
	durationSent    bool
}

func newFakeSignin(t testing.TB, stsURL string) *fakeSignin {
	f := &fakeSignin{t: t, sts: stsURL, sessions: map[string]signinSession{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/federation", f.federation)
	mux.HandleFunc("/fake-console/", f.console)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSignin) endpoint() string { return f.srv.URL + "/federation" }

func (f *fakeSignin) federation(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch q.Get("Action") {
	case "getSigninToken":
		var s struct{ SessionID, SessionKey, SessionToken string }
		raw := map[string]string{}
		if err := json.Unmarshal([]byte(q.Get("Session")), &raw); err != nil || len(raw) != 3 {
			http.Error(w, "Session is not the JSON of three fields", http.StatusBadRequest)
			return
		}
		s.SessionID, s.SessionKey, s.SessionToken = raw["sessionId"], raw["sessionKey"], raw["sessionToken"]
		if s.SessionID == "" || s.SessionKey == "" || s.SessionToken == "" {
			http.Error(w, "Session lacks a field", http.StatusBadRequest)
			return
		}
		_, sent := q["SessionDuration"]
		sess := signinSession{ID: s.SessionID, Key: s.SessionKey, Token: s.SessionToken, SessionDuration: q.Get("SessionDuration"), durationSent: sent}
		token := fmt.Sprintf("fake-signin-token-%d", time.Now().UnixNano())
		f.mu.Lock()
		f.sessions[token] = sess
		f.tokens = append(f.tokens, sess)
		f.mu.Unlock()
		_ = json.NewEncoder(w).Encode(map[string]string{"SigninToken": token})
	case "login":
		f.mu.Lock()
		_, ok := f.sessions[q.Get("SigninToken")]
		f.mu.Unlock()
		if !ok || q.Get("Issuer") == "" {
			http.Error(w, "unknown sign-in token", http.StatusForbidden)
			return
		}
		dest, err := url.Parse(q.Get("Destination"))
		if err != nil || dest.Scheme != "https" {
			http.Error(w, "bad Destination", http.StatusBadRequest)
			return
		}
		// The console would set its session cookie here; the fake one carries the token along.
		next := url.Values{"token": {q.Get("SigninToken")}, "host": {dest.Host}, "region": {dest.Query().Get("region")}}
		http.Redirect(w, r, "/fake-console"+dest.Path+"?"+next.Encode(), http.StatusFound)
	default:
		http.Error(w, "unknown Action", http.StatusBadRequest)
	}
}

func (f *fakeSignin) console(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.mu.Lock()
	sess, ok := f.sessions[q.Get("token")]
	f.mu.Unlock()
	if !ok {
		http.Error(w, "not signed in", http.StatusForbidden)
		return
	}
	// Who the session is, as AWS would know it.
	client := sts.New(sts.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(f.sts),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: sess.ID, SecretAccessKey: sess.Key, SessionToken: sess.Token}, nil
		}),
	})
	ctx, cancel := context.WithTimeout(r.Context(), 20*time.Second)
	defer cancel()
	id, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		http.Error(w, "GetCallerIdentity: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html><html><head><title>Fake AWS console</title></head><body>
<p id="identity">%s</p><p id="region">%s</p><p id="destination">%s%s</p></body></html>`,
		html.EscapeString(aws.ToString(id.Arn)), html.EscapeString(q.Get("region")),
		html.EscapeString(q.Get("host")), html.EscapeString(strings.TrimPrefix(r.URL.Path, "/fake-console")))
}

func (f *fakeSignin) signins() []signinSession {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]signinSession(nil), f.tokens...)
}

// chromiumBrowser writes a $BROWSER script that loads the URL in headless chromium, with a fresh
// profile and no network of its own, and saves the DOM it ends on to the returned file.
func chromiumBrowser(t *testing.T, dir string) (browser, dom string) {
	t.Helper()
	chromium := testkit.RequireTool(t, "chromium")
	browser = filepath.Join(dir, "browser.sh")
	dom = filepath.Join(dir, "dom.html")
	profile := filepath.Join(dir, "chromium-profile")
	script := fmt.Sprintf(`#!/bin/sh
exec %q --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir=%q \
  --virtual-time-budget=5000 --dump-dom "$1" > %q 2>/dev/null
`, chromium, profile, dom)
	if err := os.WriteFile(browser, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return browser, dom
}

// recordingBrowser writes a $BROWSER script that only saves the URL it is given.
func recordingBrowser(t *testing.T, dir string) (browser, got string) {
	t.Helper()
	browser = filepath.Join(dir, "record-browser.sh")
	got = filepath.Join(dir, "opened-url")
	if err := os.WriteFile(browser, []byte(fmt.Sprintf("#!/bin/sh\nprintf '%%s' \"$1\" > %q\n", got)), 0o700); err != nil {
		t.Fatal(err)
	}
	return browser, got
}

func readDOM(t *testing.T, path string) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		b, err := os.ReadFile(path)
		if err == nil && strings.Contains(string(b), "</html>") {
			return string(b)
		}
		if time.Now().After(deadline) {
			t.Fatalf("chromium left no page in %s (%v): %q", path, err, b)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestConsoleInARealBrowser: `assume ROLE --console` signs chromium in: the browser follows the
// login URL to the federation endpoint and lands on the console page of the role, region and
// service asked for. A second --console with the role cached makes no STS call at all.
func TestConsoleInARealBrowser(t *testing.T) {
	rs := newRoleSetup(t, roleOptions{sessionName: "e2e-console"})
	e := requireEmulator(t)
	f := newFakeSignin(t, e.url)
	browser, dom := chromiumBrowser(t, rs.sb.dir)
	env := map[string]string{"BROWSER": browser, "ASSUME_SIGNIN_URL": f.endpoint()}

	r := rs.sb.assume(t, env, "e2e-role", "--console", "-m", rs.user.code(t), "-s", "cloudformation")
	if r.ExitCode != 0 {
		t.Fatalf("assume --console:\n%s", r)
	}
	if r.Stdout != "" {
		t.Errorf("--console printed on stdout, which the wrapper evaluates: %q", r.Stdout)
	}
	page := readDOM(t, dom)
	for _, want := range []string{
		`<p id="identity">` + rs.role.assumedRoleARN("e2e-console") + `</p>`,
		`<p id="region">` + region + `</p>`,
		`<p id="destination">console.aws.amazon.com/cloudformation/home</p>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the console page lacks %s:\n%s", want, page)
		}
	}
	signins := f.signins()
	if len(signins) != 1 {
		t.Fatalf("%d sign-in tokens asked for, want 1", len(signins))
	}
	// A role assumed through the MFA session is chained: at most an hour.
	if d, err := strconv.Atoi(signins[0].SessionDuration); err != nil || d < 900 || d > 3600 {
		t.Errorf("SessionDuration = %q, want 900 to 3600", signins[0].SessionDuration)
	}
	t.Logf("the console page:\n%s\nthe notice: %s", page, r.Stderr)
	if len(lines(r.Stderr)) != 1 || !strings.Contains(r.Stderr, "console session lasts until") {
		t.Errorf("stderr is not the one notice:\n%s", r.Stderr)
	}
	checkNoSecrets(t, r.Stderr, rs.user.SecretAccessKey, signins[0].Key, signins[0].Token, "fake-signin-token", f.srv.URL)

	// The role is cached now: signing in again makes no STS call and needs no code.
	if err := os.Remove(dom); err != nil {
		t.Fatal(err)
	}
	rec := startRecording(t)
	r = rs.sb.assume(t, env, "e2e-role", "-c")
	if r.ExitCode != 0 {
		t.Fatalf("second assume --console:\n%s", r)
	}
	if calls := credentialCalls(rec.stsCalls(t)); len(calls) != 0 {
		t.Errorf("a cached role made STS calls for --console: %v", calls)
	}
	page = readDOM(t, dom)
	if !strings.Contains(page, `<p id="destination">console.aws.amazon.com/console/home</p>`) ||
		!strings.Contains(page, rs.role.assumedRoleARN("e2e-console")) {
		t.Errorf("the second sign-in landed elsewhere:\n%s", page)
	}
	if s := f.signins(); len(s) != 2 || s[1].ID != signins[0].ID {
		t.Errorf("the second sign-in did not reuse the cached role's credentials")
	}
}

// TestConsoleMFAUserOpensTheAccountSigninPage: an IAM user with mfa_serial is sent to the
// account's own sign-in page, with no STS call and no sign-in token.
func TestConsoleMFAUserOpensTheAccountSigninPage(t *testing.T) {
	u := createMFAUser(t, "console-mfa")
	sb := newSandbox(t)
	var p profileSet
	p.addUser("e2e-mfa", u, true)
	sb.writeProfiles(t, &p)
	e := requireEmulator(t)
	f := newFakeSignin(t, e.url)
	browser, got := recordingBrowser(t, sb.dir)

	rec := startRecording(t)
	r := sb.assume(t, map[string]string{"BROWSER": browser, "ASSUME_SIGNIN_URL": f.endpoint()}, "e2e-mfa", "--console")
	if r.ExitCode != 0 || r.Stdout != "" {
		t.Fatalf("assume --console for an MFA user:\n%s", r)
	}
	account := strings.Split(u.MFASerial, ":")[4]
	opened, err := os.ReadFile(got)
	if err != nil {
		t.Fatalf("no browser was opened: %v", err)
	}
	if want := "https://" + account + ".signin.aws.amazon.com/console"; string(opened) != want {
		t.Errorf("opened %q, want %q", opened, want)
	}
	if calls := rec.stsCalls(t); len(calls) != 0 {
		t.Errorf("STS calls for an MFA user's console: %v", calls)
	}
	if n := len(f.signins()); n != 0 {
		t.Errorf("%d sign-in tokens asked for, want none", n)
	}
	if len(lines(r.Stderr)) != 1 || !strings.Contains(r.Stderr, "sign-in page") {
		t.Errorf("stderr is not one sentence saying why:\n%s", r.Stderr)
	}
}

// TestConsoleStaticKeysUseGetFederationToken: an IAM user's keys without MFA sign in through
// GetFederationToken, signed by those keys, with no SessionDuration at the federation endpoint.
func TestConsoleStaticKeysUseGetFederationToken(t *testing.T) {
	u := createUser(t, "console-static")
	sb := newSandbox(t)
	var p profileSet
	p.addUser("e2e-static", u, false)
	sb.writeProfiles(t, &p)
	e := requireEmulator(t)
	f := newFakeSignin(t, e.url)

	rec := startRecording(t)
	r := sb.assume(t, map[string]string{"ASSUME_SIGNIN_URL": f.endpoint()}, "e2e-static", "--console-url", "-s", "s3")
	if r.ExitCode != 0 {
		t.Fatalf("assume --console-url:\n%s", r)
	}
	calls := rec.stsCalls(t)
	fed := only(calls, "GetFederationToken")
	if len(fed) != 1 || len(calls) != 1 {
		t.Fatalf("recorded %v, want one GetFederationToken", calls)
	}
	if fed[0].SigningKeyID != u.AccessKeyID || fed[0].SecurityToken != "" {
		t.Errorf("GetFederationToken was signed by %q (token %t), want the user's long-term key %s", fed[0].SigningKeyID, fed[0].SecurityToken != "", u.AccessKeyID)
	}
	var policy struct {
		Statement []struct{ Effect, Action, Resource string }
	}
	if err := json.Unmarshal([]byte(fed[0].Params.Get("Policy")), &policy); err != nil || len(policy.Statement) != 1 || policy.Statement[0].Action != "*" {
		t.Errorf("Policy = %q, want the pass-through policy", fed[0].Params.Get("Policy"))
	}
	if fed[0].Params.Get("Name") == "" {
		t.Error("GetFederationToken sent no Name")
	}
	signins := f.signins()
	if len(signins) != 1 || signins[0].durationSent {
		t.Fatalf("sign-ins %+v, want one without SessionDuration", signins)
	}
	if signins[0].ID == u.AccessKeyID {
		t.Error("the long-term key went to the federation endpoint")
	}
	out := lines(r.Stdout)
	if len(out) != 1 || !strings.HasPrefix(out[0], f.endpoint()+"?") {
		t.Fatalf("stdout is not the one login URL: %q", r.Stdout)
	}
	login, err := url.Parse(out[0])
	if err != nil {
		t.Fatal(err)
	}
	if d := login.Query().Get("Destination"); d != "https://console.aws.amazon.com/s3/home?region="+region {
		t.Errorf("Destination = %q", d)
	}
	checkNoSecrets(t, r.Stderr, u.SecretAccessKey, signins[0].Key, signins[0].Token, out[0], login.Query().Get("SigninToken"))
}
