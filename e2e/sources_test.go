package e2e

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/assume-cli/assume/internal/fakesso"
)

// motoSession gets temporary credentials from the emulator with u's keys, as a credential source
// (a process, the SSO portal) would hand out. It runs before any recording starts.
func motoSession(t *testing.T, u *iamUser) aws.Credentials {
	t.Helper()
	e := requireEmulator(t)
	c := sts.New(sts.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(e.url),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: u.AccessKeyID, SecretAccessKey: u.SecretAccessKey}, nil
		}),
	})
	out, err := c.GetSessionToken(ctxFor(t, 30*time.Second), &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(3600)})
	if err != nil {
		t.Fatalf("sts GetSessionToken: %v", err)
	}
	return aws.Credentials{
		AccessKeyID:     aws.ToString(out.Credentials.AccessKeyId),
		SecretAccessKey: aws.ToString(out.Credentials.SecretAccessKey),
		SessionToken:    aws.ToString(out.Credentials.SessionToken),
		CanExpire:       true,
		Expires:         aws.ToTime(out.Credentials.Expiration),
	}
}

// writeProcess writes a credential_process script printing creds as the AWS CLI expects; each run
// appends a line to the returned counter file.
func (s *sandbox) writeProcess(t *testing.T, name string, c aws.Credentials) (command, counter string) {
	t.Helper()
	body, err := json.Marshal(map[string]any{
		"Version": 1, "AccessKeyId": c.AccessKeyID, "SecretAccessKey": c.SecretAccessKey,
		"SessionToken": c.SessionToken, "Expiration": c.Expires.UTC().Format(time.RFC3339),
	})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(s.dir, name+".json")
	counter = filepath.Join(s.dir, name+".runs")
	if err := os.WriteFile(out, body, 0o600); err != nil {
		t.Fatal(err)
	}
	command = filepath.Join(s.dir, name+".sh")
	script := fmt.Sprintf("#!/bin/sh\necho run >> '%s'\ncat '%s'\n", counter, out)
	if err := os.WriteFile(command, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return command, counter
}

func countRuns(t *testing.T, counter string) int {
	t.Helper()
	b, err := os.ReadFile(counter)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "run")
}

// TestRoleOverCredentialProcessProfileWithMFA: a role whose source_profile is a credential_process
// profile, with mfa_serial on the role. Evaluated in bash, the AWS CLI in that shell is the role;
// the recorder shows one AssumeRole with the serial and code, signed by what the process printed.
func TestRoleOverCredentialProcessProfileWithMFA(t *testing.T) {
	u := createMFAUser(t, "proc-src")
	r := createRole(t, "proc-role", u.ARN)
	sb := newSandbox(t)
	src := motoSession(t, u)
	command, counter := sb.writeProcess(t, "source", src)
	var p profileSet
	p.addProfile("e2e-proc", "credential_process", command, "region", region)
	p.addProfile("e2e-role", "role_arn", r.ARN, "source_profile", "e2e-proc", "mfa_serial", u.MFASerial,
		"role_session_name", "from-process", "region", region)
	sb.writeProfiles(t, &p)

	code := u.code(t)
	rec := startRecording(t)
	run := sb.shellWithProbe(t, "bash", evalLine("bash", "e2e-role -m "+code), nil)
	calls := rec.stsCalls(t)

	checkExported(t, run.env, "e2e-role")
	if run.identity == nil {
		t.Fatalf("get-caller-identity failed: %s\n%s", run.idErr, run.Result)
	}
	if want := r.assumedRoleARN("from-process"); run.identity.Arn != want {
		t.Errorf("get-caller-identity = %s, want %s", run.identity.Arn, want)
	}
	creds := credentialCalls(calls)
	if len(creds) != 1 || creds[0].Action != "AssumeRole" {
		t.Fatalf("recorded %v, want a single AssumeRole (the process is the source, no GetSessionToken)", creds)
	}
	ar := creds[0]
	if ar.RoleArn != r.ARN || ar.SerialNumber != u.MFASerial || ar.TokenCode != code || ar.RoleSessionName != "from-process" {
		t.Errorf("AssumeRole = %v, want role %s with serial %s and code %s", ar, r.ARN, u.MFASerial, code)
	}
	if ar.SigningKeyID != src.AccessKeyID || ar.SecurityToken != src.SessionToken {
		t.Errorf("AssumeRole signed by %q (token %t), want the process's %q with its session token",
			ar.SigningKeyID, ar.SecurityToken != "", src.AccessKeyID)
	}
	checkCallerIdentityCall(t, calls, run.env)
	checkNoSecrets(t, run.Stderr, src.SecretAccessKey, src.SessionToken, run.env["AWS_SECRET_ACCESS_KEY"], run.env["AWS_SESSION_TOKEN"])
	if n := countRuns(t, counter); n != 1 {
		t.Errorf("the credential_process ran %d times, want 1", n)
	}

	// Credentials from a process are temporary: a role on top is role chaining, capped at 1 hour,
	// and that is said before any call.
	before := len(credentialCalls(rec.stsCalls(t)))
	long := sb.assume(t, nil, "e2e-role", "-m", u.code(t), "-d", "2h", "--refresh", "--format", "bash")
	checkOneLineError(t, long, 1, src.SecretAccessKey, src.SessionToken)
	if !strings.Contains(long.Stderr, "1 hour") {
		t.Errorf("the error does not name the 1-hour limit: %s", long.Stderr)
	}
	if after := len(credentialCalls(rec.stsCalls(t))); after != before {
		t.Errorf("%d STS calls made for a duration that cannot work", after-before)
	}
}

// ssoCacheFile is where `aws sso login` caches the token for key (an sso-session name, or the
// start URL of a legacy profile).
func ssoCacheFile(home, key string) string {
	sum := sha1.Sum([]byte(key))
	return filepath.Join(home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json")
}

// TestSSOProfileThroughTheBinary: without a sign-in, one line saying which `aws sso login` to run;
// with the token `aws sso login` would cache, the portal's credentials are exported and the AWS
// CLI accepts them.
func TestSSOProfileThroughTheBinary(t *testing.T) {
	u := createUser(t, "sso-backing")
	sb := newSandbox(t)
	portal := fakesso.New()
	t.Cleanup(portal.Close)
	const startURL = "https://e2e.awsapps.com/start"
	var p profileSet
	p.config.WriteString("[sso-session e2e-corp]\nsso_start_url = " + startURL + "\nsso_region = " + region + "\n\n")
	p.addProfile("e2e-sso", "sso_session", "e2e-corp", "sso_account_id", "123456789012", "sso_role_name", "Dev", "region", region)
	sb.writeProfiles(t, &p)
	env := map[string]string{"AWS_ENDPOINT_URL_SSO": portal.URL, "AWS_ENDPOINT_URL_SSO_OIDC": portal.URL}

	missing := sb.assume(t, env, "e2e-sso", "--format", "bash")
	checkOneLineError(t, missing, 1)
	if !strings.Contains(missing.Stderr, "aws sso login --sso-session e2e-corp") {
		t.Errorf("the error does not say which login to run:\n%s", missing.Stderr)
	}

	src := motoSession(t, u)
	portal.Allow("e2e-access-token", "123456789012", "Dev", fakesso.RoleCredentials{
		AccessKeyID: src.AccessKeyID, SecretAccessKey: src.SecretAccessKey, SessionToken: src.SessionToken, Expiration: src.Expires})
	cache := ssoCacheFile(sb.home, "e2e-corp")
	if err := os.MkdirAll(filepath.Dir(cache), 0o700); err != nil {
		t.Fatal(err)
	}
	token := fmt.Sprintf(`{"accessToken":"e2e-access-token","expiresAt":%q,"region":%q,"startUrl":%q}`,
		time.Now().Add(time.Hour).UTC().Format(time.RFC3339), region, startURL)
	if err := os.WriteFile(cache, []byte(token), 0o600); err != nil {
		t.Fatal(err)
	}
	run := sb.shellWithProbe(t, "bash", evalLine("bash", "e2e-sso"), env)
	checkExported(t, run.env, "e2e-sso")
	if run.env["AWS_ACCESS_KEY_ID"] != src.AccessKeyID || run.env["AWS_SESSION_TOKEN"] != src.SessionToken {
		t.Errorf("exported %q, want the portal's %q", run.env["AWS_ACCESS_KEY_ID"], src.AccessKeyID)
	}
	if run.identity == nil {
		t.Fatalf("get-caller-identity failed: %s\n%s", run.idErr, run.Result)
	}
	calls := portal.Calls()
	if len(calls) != 1 || calls[0].AccessToken != "e2e-access-token" || calls[0].RoleName != "Dev" {
		t.Errorf("portal calls = %+v, want one GetRoleCredentials with the cached token", calls)
	}
	checkNoSecrets(t, run.Stderr, src.SecretAccessKey, src.SessionToken, "e2e-access-token")
}

// everyKind is a config with one profile of each kind, and one that is broken.
func everyKind(sb *sandbox, process string) (config, credentials string) {
	config = fmt.Sprintf(`[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = %[1]s

[profile k-mfa-user]
mfa_serial = arn:aws:iam::123456789012:mfa/me
region = %[1]s

[profile k-role]
role_arn = arn:aws:iam::123456789012:role/r
source_profile = k-mfa-user
include_profile = k-static
unknown_future_key = 1

[profile k-sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Dev

[profile k-sso-legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = %[1]s
sso_account_id = 123456789012
sso_role_name = Dev

[profile k-process]
credential_process = %[2]s

[profile k-web]
role_arn = arn:aws:iam::123456789012:role/ci
web_identity_token_file = %[3]s

[profile k-box]
role_arn = arn:aws:iam::123456789012:role/r
credential_source = Ec2InstanceMetadata

[profile k-broken]
credential_source = Ec2InstanceMetadata
`, region, process, filepath.Join(sb.dir, "no-token"))
	credentials = "[k-static]\naws_access_key_id = AKIASTATIC\naws_secret_access_key = static-secret\n\n" +
		"[k-mfa-user]\naws_access_key_id = AKIAMFAUSER\naws_secret_access_key = mfa-secret\n"
	return config, credentials
}

var everyKindWant = map[string]string{
	"k-static": "static", "k-mfa-user": "mfa-user", "k-role": "role", "k-sso": "sso", "k-sso-legacy": "sso",
	"k-process": "process", "k-web": "web-identity", "k-box": "role", "k-broken": "invalid",
}

// TestListShowsEveryKind: `assume -l` names each profile's kind, and runs no credential source.
func TestListShowsEveryKind(t *testing.T) {
	sb := newSandbox(t)
	marker := filepath.Join(sb.dir, "process-ran")
	config, creds := everyKind(sb, "touch "+marker)
	sb.writeFiles(t, config, creds)
	r := sb.assume(t, nil, "-l")
	if r.ExitCode != 0 {
		t.Fatalf("assume -l:\n%s", r)
	}
	got := map[string]string{}
	for _, l := range lines(r.Stdout)[1:] {
		if f := strings.Fields(l); len(f) >= 2 {
			got[f[0]] = f[1]
		}
	}
	for name, kind := range everyKindWant {
		if got[name] != kind {
			t.Errorf("assume -l shows %s as %q, want %q\n%s", name, got[name], kind, r.Stdout)
		}
	}
	if _, err := os.Stat(marker); err == nil {
		t.Errorf("assume -l ran a credential_process")
	}
}

// TestListProfilesTouchesOnlyTheTwoFiles: the completion fast path reads the config and
// credentials files and nothing else: not the cache (here a file where a folder should be), not a
// broken SSO token cache, no credential_process, no network (every endpoint points at a server
// that counts requests). Under strace, when present, no other file under the sandbox is even
// looked at, no program is started and no socket is connected.
func TestListProfilesTouchesOnlyTheTwoFiles(t *testing.T) {
	sb := newSandbox(t)
	marker := filepath.Join(sb.dir, "process-ran")
	config, creds := everyKind(sb, "touch "+marker)
	sb.writeFiles(t, config, creds)

	var hits atomic.Int64
	trap := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, "", http.StatusTeapot)
	}))
	t.Cleanup(trap.Close)
	cacheFile := filepath.Join(sb.dir, "not-a-folder")
	if err := os.WriteFile(cacheFile, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	ssoCache := filepath.Join(sb.home, ".aws", "sso", "cache")
	if err := os.MkdirAll(ssoCache, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"corp", "https://legacy.awsapps.com/start"} {
		if err := os.WriteFile(ssoCacheFile(sb.home, key), []byte("{broken"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// Unreadable for anyone but root; the strace run below covers root too.
	if err := os.Chmod(ssoCache, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(ssoCache, 0o700) })
	env := map[string]string{
		"XDG_CACHE_HOME":                     cacheFile,
		"AWS_ENDPOINT_URL":                   trap.URL,
		"AWS_ENDPOINT_URL_SSO":               trap.URL,
		"AWS_EC2_METADATA_SERVICE_ENDPOINT":  trap.URL,
		"AWS_EC2_METADATA_DISABLED":          "",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI": trap.URL + "/creds",
		"AWS_PROFILE":                        "k-process",
	}

	r := sb.assume(t, env, "--list-profiles")
	if r.ExitCode != 0 || r.Stderr != "" {
		t.Fatalf("assume --list-profiles:\n%s", r)
	}
	got := lines(r.Stdout)
	if len(got) != len(everyKindWant) {
		t.Errorf("listed %d names, want %d:\n%s", len(got), len(everyKindWant), r.Stdout)
	}
	for _, name := range got {
		if _, ok := everyKindWant[name]; !ok {
			t.Errorf("listed %q, which is no profile", name)
		}
	}
	if _, err := os.Stat(marker); err == nil {
		t.Errorf("--list-profiles ran a credential_process")
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("--list-profiles made %d network requests", n)
	}

	straceBin, err := exec.LookPath("strace")
	if err != nil {
		t.Log("strace is not installed: the system-call check is skipped")
		return
	}
	trace := filepath.Join(t.TempDir(), "trace")
	traced := sb.run(t, env, straceBin, "-f", "-qq", "-o", trace, "-e", "trace=%file,connect,execve",
		requireAssume(t), "--list-profiles")
	if traced.ExitCode != 0 || traced.Stdout != r.Stdout {
		t.Fatalf("assume --list-profiles under strace:\n%s", traced)
	}
	b, err := os.ReadFile(trace)
	if err != nil {
		t.Fatal(err)
	}
	allowed := map[string]bool{sb.configFile: true, sb.credsFile: true}
	pathArg := regexp.MustCompile(`"([^"]*)"`)
	// The small front answers --list-profiles itself: tab completion sends it, so the run must
	// not pay for assume-full's start (the hand-over would be a second execve in this process).
	var execs []string
	for _, l := range strings.Split(string(b), "\n") {
		switch {
		case strings.Contains(l, "execve("):
			execs = append(execs, l)
			continue
		case strings.Contains(l, "connect("):
			t.Errorf("a socket was connected: %s", l)
			continue
		}
		m := pathArg.FindStringSubmatch(l)
		if m == nil || m[1] == "" {
			continue
		}
		path := m[1]
		if !filepath.IsAbs(path) {
			path = filepath.Join(sb.dir, path) // the working directory
		}
		if strings.HasPrefix(path, sb.dir+string(filepath.Separator)) && !allowed[path] {
			t.Errorf("--list-profiles touched %s: %s", m[1], l)
		}
	}
	if len(execs) != 1 {
		t.Errorf("%d programs started (want only assume itself, answering without assume-full):\n%s", len(execs), strings.Join(execs, "\n"))
	}
}
