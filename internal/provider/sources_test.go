package provider_test

// Credential sources the SDK provides (credential_process, SSO, web identity,
// instance metadata, container credentials), each pointed at a local fake,
// on their own and as the source of a role with MFA. Every success is
// rendered for bash and evaluated in a real bash.

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/credcache"
	"github.com/assume-cli/assume/internal/deadline"
	"github.com/assume-cli/assume/internal/fakesso"
	"github.com/assume-cli/assume/internal/fakests"
	"github.com/assume-cli/assume/internal/provider"
	"github.com/assume-cli/assume/internal/render"
	"github.com/assume-cli/assume/internal/session"
	"github.com/assume-cli/assume/internal/testkit"
)

const (
	srcUserKey    = "AKIASRCUSER000000001"
	srcUserSecret = "src-user-secret-do-not-show"
	srcSerial     = "arn:aws:iam::111111111111:mfa/sam"
	srcCode       = "654321"
	mfaRoleARN    = "arn:aws:iam::222222222222:role/needs-mfa"
	openRoleARN   = "arn:aws:iam::333333333333:role/open"
	extRoleARN    = "arn:aws:iam::444444444444:role/external"
	webRoleARN    = "arn:aws:iam::555555555555:role/ci"
	ssoAccount    = "666666666666"
)

// sourcesEnv is a fake STS, the AWS files on disk, a cache and a home folder.
type sourcesEnv struct {
	sts   *fakests.Server
	dir   string
	paths awsfile.Paths
	cache *credcache.Store
	home  string
	// env is what provider.Options.Getenv reads. The SDK's own providers
	// (SSO, web identity) read the process environment, which is why these
	// tests still set some variables with t.Setenv.
	env map[string]string
}

func newSourcesEnv(t *testing.T) *sourcesEnv {
	t.Helper()
	s := fakests.New(
		[]fakests.User{{Name: "sam", AccessKeyID: srcUserKey, SecretAccessKey: srcUserSecret, MFASerial: srcSerial, Code: srcCode}},
		[]fakests.Role{
			{ARN: mfaRoleARN, RequireMFA: true, MaxDuration: 4 * time.Hour},
			{ARN: openRoleARN},
			{ARN: extRoleARN, ExternalID: "ext-7"},
			{ARN: webRoleARN, MaxDuration: 2 * time.Hour},
		},
	)
	t.Cleanup(s.Close)
	dir := t.TempDir()
	e := &sourcesEnv{
		sts:   s,
		dir:   dir,
		paths: awsfile.Paths{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")},
		cache: &credcache.Store{Dir: filepath.Join(dir, "cache")},
		home:  filepath.Join(dir, "home"),
		env:   map[string]string{},
	}
	if err := os.MkdirAll(e.home, 0o700); err != nil {
		t.Fatal(err)
	}
	// Nothing of the developer's own set-up may leak in: the SSO cache is
	// read from HOME, and these variables would redirect or replace sources.
	t.Setenv("HOME", e.home)
	for _, k := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
		"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION",
		"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_SSO", "AWS_ENDPOINT_URL_SSO_OIDC",
		"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
		"AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_EC2_METADATA_DISABLED",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	return e
}

func (e *sourcesEnv) writeConfig(t *testing.T, config string) {
	t.Helper()
	if err := os.WriteFile(e.paths.Config, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (e *sourcesEnv) resolve(t *testing.T, name string) (*session.Profile, error) {
	t.Helper()
	f, err := awsfile.Load(e.paths)
	if err != nil {
		t.Fatalf("loading the files: %v", err)
	}
	return session.Resolve(f, name)
}

// get resolves and gets name as `assume name -m code` would, with our own
// STS calls going to the fake.
func (e *sourcesEnv) get(t *testing.T, name, code string, mod func(*provider.Options)) (provider.Result, error) {
	t.Helper()
	p, err := e.resolve(t, name)
	if err != nil {
		return provider.Result{}, err
	}
	o := provider.Options{
		Clients:     provider.NewClientFactory("us-east-1", e.sts.URL, nil),
		Cache:       e.cache,
		Tokens:      &provider.MFACodes{Code: code, Profile: name},
		PlanOptions: session.PlanOptions{Getenv: func(k string) string { return e.env[k] }},
		SDKProvider: provider.SDKProvider(e.paths.Config, e.paths.Credentials, deadline.Limits{}),
	}
	if mod != nil {
		mod(&o)
	}
	return provider.Get(context.Background(), p, o)
}

func (e *sourcesEnv) mustGet(t *testing.T, name, code string) provider.Result {
	t.Helper()
	r, err := e.get(t, name, code, nil)
	if err != nil {
		t.Fatalf("assume %s: %v", name, err)
	}
	return r
}

// sessionCreds are temporary credentials the fake STS knows, as a credential
// source (a process, the SSO portal, IMDS) would hand out.
func (e *sourcesEnv) sessionCreds(t *testing.T) aws.Credentials {
	t.Helper()
	p := &provider.SessionTokenProvider{
		Client:   provider.NewClientFactory("us-east-1", e.sts.URL, nil),
		Signer:   credentials.NewStaticCredentialsProvider(srcUserKey, srcUserSecret, ""),
		Duration: 2 * time.Hour,
	}
	c, err := p.Retrieve(context.Background())
	if err != nil {
		t.Fatalf("GetSessionToken from the fake: %v", err)
	}
	return c
}

// evalBash renders creds for bash, evaluates them in a real bash started
// without any AWS variable, and returns what that bash then has in its environment.
func evalBash(t *testing.T, profile string, c aws.Credentials, region string) map[string]string {
	t.Helper()
	bash := testkit.RequireTool(t, "bash")
	rc := render.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Region: region, Profile: profile}
	if c.CanExpire {
		rc.Expires = c.Expires.UTC()
	}
	var out bytes.Buffer
	if err := render.Export(&out, render.Bash, rc); err != nil {
		t.Fatal(err)
	}
	argv := testkit.CleanShell("bash", "-c", `eval "$1" && env -0`, "bash", out.String())
	cmd := exec.Command(bash, argv[1:]...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "AWS_PROFILE=left-over", "AWS_SESSION_TOKEN=left-over"}
	env, err := cmd.Output()
	if err != nil {
		t.Fatalf("bash could not eval the output: %v\n%s", err, out.String())
	}
	got := map[string]string{}
	for _, kv := range strings.Split(string(env), "\x00") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			got[k] = v
		}
	}
	return got
}

// checkBash checks what bash holds after evaluating creds.
func checkBash(t *testing.T, env map[string]string, profile string, c aws.Credentials) {
	t.Helper()
	want := map[string]string{
		"AWS_ACCESS_KEY_ID":     c.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY": c.SecretAccessKey,
		"ASSUME_PROFILE":        profile,
	}
	if c.SessionToken != "" {
		want["AWS_SESSION_TOKEN"] = c.SessionToken
	}
	if c.CanExpire {
		want["AWS_CREDENTIAL_EXPIRATION"] = c.Expires.UTC().Format(time.RFC3339)
	}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("bash has %s = %q, want %q", k, env[k], v)
		}
	}
	for _, k := range []string{"AWS_PROFILE"} {
		if v, ok := env[k]; ok {
			t.Errorf("bash still has %s = %q", k, v)
		}
	}
	if v, ok := env["AWS_SESSION_TOKEN"]; ok && c.SessionToken == "" {
		t.Errorf("bash has AWS_SESSION_TOKEN = %q for keys without a token", v)
	}
}

// checkOneSentence checks an error is one line that reveals none of secrets.
func checkOneSentence(t *testing.T, err error, want string, secrets ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one saying %q", want)
	}
	msg := err.Error()
	if !strings.Contains(msg, want) {
		t.Errorf("error %q does not say %q", msg, want)
	}
	if strings.ContainsAny(msg, "\r\n") {
		t.Errorf("error is not one line: %q", msg)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			t.Errorf("error reveals a secret (%.4s…): %q", s, msg)
		}
	}
}

// processScript writes a credential_process that prints output and counts its runs.
func (e *sourcesEnv) processScript(t *testing.T, name, output string, exit int) (command, counter string) {
	t.Helper()
	out := filepath.Join(e.dir, name+".out")
	counter = filepath.Join(e.dir, name+".runs")
	if err := os.WriteFile(out, []byte(output), 0o600); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(e.dir, name+".sh")
	body := fmt.Sprintf("#!/bin/sh\necho run >> '%s'\ncat '%s'\nexit %d\n", counter, out, exit)
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	return script, counter
}

func processJSON(c aws.Credentials) string {
	m := map[string]any{"Version": 1, "AccessKeyId": c.AccessKeyID, "SecretAccessKey": c.SecretAccessKey}
	if c.SessionToken != "" {
		m["SessionToken"] = c.SessionToken
	}
	if c.CanExpire {
		m["Expiration"] = c.Expires.UTC().Format(time.RFC3339)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func runs(t *testing.T, counter string) int {
	t.Helper()
	b, err := os.ReadFile(counter)
	if errors.Is(err, os.ErrNotExist) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "run")
}

// ---------------------------------------------------------------------------------------------
// credential_process

func TestCredentialProcessIsExportedWithItsExpiration(t *testing.T) {
	e := newSourcesEnv(t)
	given := aws.Credentials{AccessKeyID: "ASIAPROCESS000000001", SecretAccessKey: "proc-secret", SessionToken: "proc-token",
		CanExpire: true, Expires: time.Now().Add(47 * time.Minute).UTC().Truncate(time.Second)}
	script, counter := e.processScript(t, "proc", processJSON(given), 0)
	e.writeConfig(t, "[profile proc]\ncredential_process = "+script+"\nregion = eu-central-1\n")

	p, err := e.resolve(t, "proc")
	if err != nil || p.Kind != session.KindProcess {
		t.Fatalf("resolve: kind %v, err %v", p, err)
	}
	// Keys and a profile left in the environment by an earlier tool must not
	// take the named profile's place in the SDK.
	t.Setenv("AWS_ACCESS_KEY_ID", "ASIASTALEENVIRONMENT")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "stale-secret")
	t.Setenv("AWS_PROFILE", "no-such-profile")
	r := e.mustGet(t, "proc", "")
	c := r.Credentials
	if c.AccessKeyID != given.AccessKeyID || c.SecretAccessKey != given.SecretAccessKey || c.SessionToken != given.SessionToken {
		t.Fatalf("got %+v, want what the process printed", c)
	}
	if !c.CanExpire || !c.Expires.Equal(given.Expires) {
		t.Fatalf("expiry = %v (can expire %t), want the process's %v", c.Expires, c.CanExpire, given.Expires)
	}
	if r.How != "process credentials" || runs(t, counter) != 1 || e.sts.CallCount("") != 0 {
		t.Fatalf("how %q, %d runs, %d STS calls", r.How, runs(t, counter), e.sts.CallCount(""))
	}
	checkBash(t, evalBash(t, "proc", c, "eu-central-1"), "proc", c)
}

func TestCredentialProcessWithLongTermKeysIsNeverCached(t *testing.T) {
	e := newSourcesEnv(t)
	given := aws.Credentials{AccessKeyID: "AKIALONGTERM00000001", SecretAccessKey: "long-term-secret"}
	script, counter := e.processScript(t, "keys", processJSON(given), 0)
	e.writeConfig(t, "[profile keys]\ncredential_process = "+script+"\n")

	for i := 0; i < 2; i++ {
		c := e.mustGet(t, "keys", "").Credentials
		if c.AccessKeyID != given.AccessKeyID || c.CanExpire || c.SessionToken != "" {
			t.Fatalf("got %+v", c)
		}
		if i == 0 {
			checkBash(t, evalBash(t, "keys", c, ""), "keys", c)
		}
	}
	if n := runs(t, counter); n != 2 {
		t.Fatalf("the process ran %d times for two runs; nothing may stand in for it", n)
	}
	for _, entry := range e.cache.Entries() {
		if entry.Credentials.AccessKeyID == given.AccessKeyID {
			t.Fatalf("long-term keys were cached: %+v", entry.Profile)
		}
	}
}

func TestCredentialProcessFailuresAreOneSentence(t *testing.T) {
	e := newSourcesEnv(t)
	secret := "SECRET-IN-BROKEN-OUTPUT"
	expired := aws.Credentials{AccessKeyID: "ASIAEXPIRED", SecretAccessKey: "expired-secret", SessionToken: "t",
		CanExpire: true, Expires: time.Now().Add(-time.Minute)}
	cases := []struct {
		name, output string
		exit         int
		want         string
	}{
		{"fails", "", 3, "exited with status 3"},
		{"garbage", `{"Version": 1, "AccessKeyId": "AKIA", "SecretAccessKey": "` + secret + `"`, 0, "not JSON"},
		{"badtype", `{"Version": "1", "AccessKeyId": "AKIA", "SecretAccessKey": "` + secret + `"}`, 0, `"Version" field has the wrong type`},
		{"nosecret", `{"Version": 1, "AccessKeyId": "AKIA"}`, 0, "missing SecretAccessKey"},
		{"expired", processJSON(expired), 0, "returned credentials that expired at"},
	}
	var config strings.Builder
	for _, c := range cases {
		script, _ := e.processScript(t, c.name, c.output, c.exit)
		fmt.Fprintf(&config, "[profile %s]\ncredential_process = %s\n\n", c.name, script)
	}
	config.WriteString("[profile missing]\ncredential_process = /nonexistent/assume-test-helper --flag\n")
	e.writeConfig(t, config.String())
	for _, c := range cases {
		_, err := e.get(t, c.name, "", nil)
		checkOneSentence(t, err, c.want, secret, expired.SecretAccessKey)
		checkOneSentence(t, err, fmt.Sprintf("profile %q", c.name))
	}
	_, err := e.get(t, "missing", "", nil)
	checkOneSentence(t, err, "was not found")
}

// A role whose source_profile is a credential_process profile, with
// mfa_serial on the role: AssumeRole carries the serial and code and is
// signed by what the process printed; the role is cached, so the next run
// neither runs the process nor calls STS; and role chaining is capped at 1 h.
func TestRoleOverCredentialProcessWithMFA(t *testing.T) {
	e := newSourcesEnv(t)
	src := e.sessionCreds(t)
	script, counter := e.processScript(t, "proc", processJSON(src), 0)
	e.writeConfig(t, fmt.Sprintf("[profile proc]\ncredential_process = %s\n\n[profile admin]\nrole_arn = %s\nsource_profile = proc\nmfa_serial = %s\nregion = eu-west-1\n",
		script, mfaRoleARN, srcSerial))

	r := e.mustGet(t, "admin", srcCode)
	calls := e.sts.Calls()
	last := calls[len(calls)-1]
	if last.Action != "AssumeRole" || last.RoleArn != mfaRoleARN || last.SerialNumber != srcSerial || last.TokenCode != srcCode {
		t.Fatalf("last call = %+v, want AssumeRole with the role's MFA serial and code", last)
	}
	if last.AccessKeyID != src.AccessKeyID {
		t.Fatalf("AssumeRole signed by %q, want the process's %q", last.AccessKeyID, src.AccessKeyID)
	}
	if r.How != "role chained from proc" {
		t.Errorf("how = %q", r.How)
	}
	checkBash(t, evalBash(t, "admin", r.Credentials, "eu-west-1"), "admin", r.Credentials)

	before := e.sts.CallCount("")
	again, err := e.get(t, "admin", "", nil) // no code: the cache must answer
	if err != nil || !again.FromCache || again.Credentials.AccessKeyID != r.Credentials.AccessKeyID {
		t.Fatalf("second run: %v, from cache %t", err, again.FromCache)
	}
	if e.sts.CallCount("") != before || runs(t, counter) != 1 {
		t.Fatalf("second run made %d STS calls and ran the process %d times in all", e.sts.CallCount("")-before, runs(t, counter))
	}

	_, err = e.get(t, "admin", srcCode, func(o *provider.Options) { o.Duration = 2 * time.Hour; o.Refresh = true })
	checkOneSentence(t, err, "1 hour")
	if e.sts.CallCount("") != before {
		t.Fatalf("the 1-hour cap must be checked before any call")
	}
}

// A credential_process that prints long-term keys (from a password manager,
// say) is not role chaining: a role over it with MFA may last longer than
// 1 hour, up to the role's own maximum.
func TestRoleOverCredentialProcessWithLongTermKeys(t *testing.T) {
	e := newSourcesEnv(t)
	keys := aws.Credentials{AccessKeyID: srcUserKey, SecretAccessKey: srcUserSecret}
	script, counter := e.processScript(t, "vault", processJSON(keys), 0)
	e.writeConfig(t, fmt.Sprintf("[profile vault]\ncredential_process = %s\n\n[profile admin]\nrole_arn = %s\nsource_profile = vault\nmfa_serial = %s\n",
		script, mfaRoleARN, srcSerial))

	r, err := e.get(t, "admin", srcCode, func(o *provider.Options) { o.Duration = 3 * time.Hour })
	if err != nil {
		t.Fatalf("assume admin -d 3h: %v", err)
	}
	calls := e.sts.Calls()
	if len(calls) != 1 {
		t.Fatalf("STS calls %+v, want one AssumeRole", calls)
	}
	c := calls[0]
	if c.Action != "AssumeRole" || c.DurationSeconds != "10800" || c.SerialNumber != srcSerial || c.TokenCode != srcCode || c.AccessKeyID != srcUserKey {
		t.Fatalf("call = %+v, want AssumeRole for 3 h with the role's MFA, signed by the process's keys", c)
	}
	if left := time.Until(r.Credentials.Expires); left < 2*time.Hour+50*time.Minute || left > 3*time.Hour {
		t.Errorf("credentials last %v, want 3 h", left)
	}
	if runs(t, counter) != 1 {
		t.Errorf("the process ran %d times, want 1", runs(t, counter))
	}
	if r.How != "role from long-term keys of vault" {
		t.Errorf("how = %q, want it to say the keys are long-term (not chaining)", r.How)
	}
	checkBash(t, evalBash(t, "admin", r.Credentials, ""), "admin", r.Credentials)
}

// ---------------------------------------------------------------------------------------------
// SSO

const ssoStartURL = "https://corp.awsapps.com/start"

type ssoToken struct {
	AccessToken  string `json:"accessToken"`
	ExpiresAt    string `json:"expiresAt"`
	Region       string `json:"region,omitempty"`
	StartURL     string `json:"startUrl,omitempty"`
	RefreshToken string `json:"refreshToken,omitempty"`
	ClientID     string `json:"clientId,omitempty"`
	ClientSecret string `json:"clientSecret,omitempty"`
}

// writeSSOToken writes the token cache file `aws sso login` leaves: named by
// the SHA-1 of the sso-session name, or of the start URL for a legacy profile.
func (e *sourcesEnv) writeSSOToken(t *testing.T, key string, tok ssoToken) string {
	t.Helper()
	sum := sha1.Sum([]byte(key))
	path := filepath.Join(e.home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(tok)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func newPortal(t *testing.T) *fakesso.Server {
	t.Helper()
	p := fakesso.New()
	t.Cleanup(p.Close)
	t.Setenv("AWS_ENDPOINT_URL_SSO", p.URL)
	t.Setenv("AWS_ENDPOINT_URL_SSO_OIDC", p.URL)
	return p
}

const ssoConfig = `[sso-session corp]
sso_start_url = ` + ssoStartURL + `
sso_region = eu-west-1
sso_registration_scopes = sso:account:access

[profile dev]
sso_session = corp
sso_account_id = ` + ssoAccount + `
sso_role_name = Developer
region = eu-west-1

[profile legacy]
sso_start_url = ` + ssoStartURL + `
sso_region = eu-west-1
sso_account_id = ` + ssoAccount + `
sso_role_name = ReadOnly

[profile other-role]
sso_session = corp
sso_account_id = ` + ssoAccount + `
sso_role_name = Admin
`

func portalCreds(id string) fakesso.RoleCredentials {
	return fakesso.RoleCredentials{AccessKeyID: id, SecretAccessKey: id + "-secret", SessionToken: id + "-token",
		Expiration: time.Now().Add(time.Hour).UTC().Truncate(time.Second)}
}

func TestSSOWithSessionSectionAndLegacyProfile(t *testing.T) {
	e := newSourcesEnv(t)
	portal := newPortal(t)
	e.writeConfig(t, ssoConfig)
	future := time.Now().Add(8 * time.Hour).UTC().Format(time.RFC3339)
	e.writeSSOToken(t, "corp", ssoToken{AccessToken: "session-token-1", ExpiresAt: future})
	e.writeSSOToken(t, ssoStartURL, ssoToken{AccessToken: "legacy-token-1", ExpiresAt: future, StartURL: ssoStartURL})
	dev, legacy := portalCreds("ASIASSODEV0000000001"), portalCreds("ASIASSOLEGACY0000001")
	portal.Allow("session-token-1", ssoAccount, "Developer", dev)
	portal.Allow("legacy-token-1", ssoAccount, "ReadOnly", legacy)

	for _, tc := range []struct {
		profile, token, role string
		want                 fakesso.RoleCredentials
	}{
		{"dev", "session-token-1", "Developer", dev},
		{"legacy", "legacy-token-1", "ReadOnly", legacy},
	} {
		p, err := e.resolve(t, tc.profile)
		if err != nil || p.Kind != session.KindSSO {
			t.Fatalf("%s: resolve %+v, %v", tc.profile, p, err)
		}
		r := e.mustGet(t, tc.profile, "")
		c := r.Credentials
		if c.AccessKeyID != tc.want.AccessKeyID || c.SecretAccessKey != tc.want.SecretAccessKey || c.SessionToken != tc.want.SessionToken ||
			!c.CanExpire || !c.Expires.Equal(tc.want.Expiration) {
			t.Fatalf("%s: got %+v, want the portal's %+v", tc.profile, c, tc.want)
		}
		calls := portal.Calls()
		last := calls[len(calls)-1]
		if last.Op != "GetRoleCredentials" || last.AccessToken != tc.token || last.AccountID != ssoAccount || last.RoleName != tc.role {
			t.Fatalf("%s: portal call %+v", tc.profile, last)
		}
		checkBash(t, evalBash(t, tc.profile, c, "eu-west-1"), tc.profile, c)
	}
	if e.sts.CallCount("") != 0 {
		t.Fatalf("SSO profiles made STS calls")
	}
}

// Without a usable sign-in, the error is the one command that fixes it.
func TestSSOWithoutSignInSaysWhichLoginToRun(t *testing.T) {
	e := newSourcesEnv(t)
	portal := newPortal(t)
	e.writeConfig(t, ssoConfig)

	// Nothing cached at all.
	_, err := e.get(t, "dev", "", nil)
	checkOneSentence(t, err, "run `aws sso login --sso-session corp`")
	_, err = e.get(t, "legacy", "", nil)
	checkOneSentence(t, err, "run `aws sso login --profile legacy`")

	// Cached but expired, with nothing to refresh it with.
	past := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	e.writeSSOToken(t, "corp", ssoToken{AccessToken: "old-session-token", ExpiresAt: past})
	e.writeSSOToken(t, ssoStartURL, ssoToken{AccessToken: "old-legacy-token", ExpiresAt: past})
	portal.Allow("old-session-token", ssoAccount, "Developer", portalCreds("ASIANOTGIVEN"))
	_, err = e.get(t, "dev", "", nil)
	checkOneSentence(t, err, "aws sso login --sso-session corp", "old-session-token")
	_, err = e.get(t, "legacy", "", nil)
	checkOneSentence(t, err, "aws sso login --profile legacy", "old-legacy-token")

	// Cached and unexpired, but the portal no longer accepts it (signed out elsewhere).
	future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	e.writeSSOToken(t, "corp", ssoToken{AccessToken: "revoked-token", ExpiresAt: future})
	_, err = e.get(t, "dev", "", nil)
	checkOneSentence(t, err, "aws sso login --sso-session corp", "revoked-token")
	var se *provider.SourceError
	if !errors.As(err, &se) || se.SSOLogin != "aws sso login --sso-session corp" {
		t.Errorf("error %v is not a SourceError that needs a login", err)
	}

	// A good sign-in, but no such role for this user.
	portal.Allow("revoked-token", ssoAccount, "Developer", portalCreds("ASIADEV"))
	_, err = e.get(t, "other-role", "", nil)
	checkOneSentence(t, err, "no role with this sso_account_id and sso_role_name")
	for _, c := range portal.Calls() {
		if c.AccessToken == "old-session-token" || c.AccessToken == "old-legacy-token" {
			t.Errorf("an expired token was sent to the portal: %+v", c)
		}
	}
}

// An expired sso-session token with a refresh token is renewed through SSO
// OIDC, as the AWS CLI does, and the renewed token is written back.
func TestSSOSessionTokenIsRefreshed(t *testing.T) {
	e := newSourcesEnv(t)
	portal := newPortal(t)
	e.writeConfig(t, ssoConfig)
	past := time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	path := e.writeSSOToken(t, "corp", ssoToken{AccessToken: "stale", ExpiresAt: past, Region: "eu-west-1", StartURL: ssoStartURL,
		RefreshToken: "refresh-1", ClientID: "client-1", ClientSecret: "client-secret-1"})
	portal.AllowRefresh("client-1", "client-secret-1", "refresh-1", "fresh-token", "refresh-2", 8*time.Hour)
	want := portalCreds("ASIAREFRESHED0000001")
	portal.Allow("fresh-token", ssoAccount, "Developer", want)

	c := e.mustGet(t, "dev", "").Credentials
	if c.AccessKeyID != want.AccessKeyID {
		t.Fatalf("got %+v", c)
	}
	calls := portal.Calls()
	if len(calls) != 2 || calls[0].Op != "CreateToken" || calls[0].RefreshToken != "refresh-1" || calls[1].AccessToken != "fresh-token" {
		t.Fatalf("portal calls = %+v", calls)
	}
	var saved ssoToken
	b, _ := os.ReadFile(path)
	if err := json.Unmarshal(b, &saved); err != nil || saved.AccessToken != "fresh-token" || saved.RefreshToken != "refresh-2" {
		t.Fatalf("token cache after refresh: %s (%v)", b, err)
	}
}

func TestRoleOverSSOWithMFAOnTheRole(t *testing.T) {
	e := newSourcesEnv(t)
	portal := newPortal(t)
	e.writeConfig(t, ssoConfig+fmt.Sprintf("\n[profile prod]\nrole_arn = %s\nsource_profile = dev\nmfa_serial = %s\nduration_seconds = 1800\n", mfaRoleARN, srcSerial))
	e.writeSSOToken(t, "corp", ssoToken{AccessToken: "session-token-1", ExpiresAt: time.Now().Add(time.Hour).UTC().Format(time.RFC3339)})
	src := e.sessionCreds(t)
	portal.Allow("session-token-1", ssoAccount, "Developer", fakesso.RoleCredentials{
		AccessKeyID: src.AccessKeyID, SecretAccessKey: src.SecretAccessKey, SessionToken: src.SessionToken, Expiration: src.Expires})

	r := e.mustGet(t, "prod", srcCode)
	calls := e.sts.Calls()
	last := calls[len(calls)-1]
	if last.Action != "AssumeRole" || last.AccessKeyID != src.AccessKeyID || last.SerialNumber != srcSerial ||
		last.TokenCode != srcCode || last.DurationSeconds != "1800" {
		t.Fatalf("AssumeRole = %+v, want it signed by the SSO credentials with MFA, for 1800 s", last)
	}
	checkBash(t, evalBash(t, "prod", r.Credentials, ""), "prod", r.Credentials)
}

// A sso_session naming no [sso-session] section is the SDK's to find; its
// complaint still comes as one sentence naming the profile.
func TestSSOSessionSectionMissing(t *testing.T) {
	e := newSourcesEnv(t)
	e.writeConfig(t, "[profile lost]\nsso_session = nowhere\nsso_account_id = 1\nsso_role_name = R\n")
	_, err := e.get(t, "lost", "", nil)
	checkOneSentence(t, err, `profile "lost" cannot be used`)
	checkOneSentence(t, err, "names no [sso-session nowhere] section")
}

// ---------------------------------------------------------------------------------------------
// Web identity

func (e *sourcesEnv) tokenFile(t *testing.T, token string) string {
	t.Helper()
	path := filepath.Join(e.dir, "web-identity-token")
	if err := os.WriteFile(path, []byte(token), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// The SDK's web identity call must reach the STS endpoint our own calls use,
// whichever way it is set.
func TestWebIdentityUsesTheSameSTSEndpoint(t *testing.T) {
	for _, how := range []string{"AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL", "endpoint_url"} {
		t.Run(how, func(t *testing.T) {
			e := newSourcesEnv(t)
			e.sts.AllowWebIdentityToken("jwt-header.jwt-claims.jwt-signature", "repo:corp/app")
			file := e.tokenFile(t, "jwt-header.jwt-claims.jwt-signature")
			config := fmt.Sprintf("[profile ci]\nrole_arn = %s\nweb_identity_token_file = %s\nrole_session_name = ci-run-42\n", webRoleARN, file)
			switch how {
			case "endpoint_url":
				config += "endpoint_url = " + e.sts.URL + "\n"
			default:
				t.Setenv(how, e.sts.URL)
			}
			e.writeConfig(t, config)

			p, err := e.resolve(t, "ci")
			if err != nil || p.Kind != session.KindWebIdentity {
				t.Fatalf("resolve: %+v, %v", p, err)
			}
			r := e.mustGet(t, "ci", "")
			calls := e.sts.WebIdentityCalls()
			if len(calls) != 1 {
				t.Fatalf("the fake STS saw %d AssumeRoleWithWebIdentity calls, want 1", len(calls))
			}
			c := calls[0]
			if c.Token != "jwt-header.jwt-claims.jwt-signature" || c.RoleArn != webRoleARN || c.RoleSessionName != "ci-run-42" || c.Signed {
				t.Fatalf("call = %+v", c)
			}
			if !strings.HasPrefix(r.Credentials.AccessKeyID, "ASIA") || !r.Credentials.CanExpire {
				t.Fatalf("creds = %+v", r.Credentials)
			}
			checkBash(t, evalBash(t, "ci", r.Credentials, ""), "ci", r.Credentials)
		})
	}
}

func TestRoleOverWebIdentityIsChained(t *testing.T) {
	e := newSourcesEnv(t)
	e.sts.AllowWebIdentityToken("good-jwt", "repo:corp/app")
	t.Setenv("AWS_ENDPOINT_URL_STS", e.sts.URL)
	file := e.tokenFile(t, "good-jwt")
	e.writeConfig(t, fmt.Sprintf("[profile ci]\nrole_arn = %s\nweb_identity_token_file = %s\n\n[profile deploy]\nrole_arn = %s\nsource_profile = ci\nexternal_id = ext-7\n",
		webRoleARN, file, extRoleARN))
	r := e.mustGet(t, "deploy", "")
	calls := e.sts.Calls()
	if len(calls) != 2 || calls[0].Action != "AssumeRoleWithWebIdentity" || calls[1].Action != "AssumeRole" || calls[1].ExternalId != "ext-7" {
		t.Fatalf("calls = %+v", calls)
	}
	checkBash(t, evalBash(t, "deploy", r.Credentials, ""), "deploy", r.Credentials)

	_, err := e.get(t, "deploy", "", func(o *provider.Options) { o.Duration = 3 * time.Hour; o.Refresh = true })
	checkOneSentence(t, err, "role chaining")
}

func TestWebIdentityFailures(t *testing.T) {
	e := newSourcesEnv(t)
	t.Setenv("AWS_ENDPOINT_URL_STS", e.sts.URL)
	e.sts.AllowWebIdentityToken("old-jwt", "repo:corp/app")
	e.sts.ExpireWebIdentityToken("old-jwt")
	file := e.tokenFile(t, "old-jwt")
	e.writeConfig(t, fmt.Sprintf("[profile ci]\nrole_arn = %s\nweb_identity_token_file = %s\n\n[profile gone]\nrole_arn = %s\nweb_identity_token_file = %s\n",
		webRoleARN, file, webRoleARN, filepath.Join(e.dir, "no-such-token")))

	_, err := e.get(t, "ci", "", nil)
	checkOneSentence(t, err, "ExpiredTokenException", "old-jwt")
	checkOneSentence(t, err, "has expired: have it renewed")
	_, err = e.get(t, "gone", "", nil)
	checkOneSentence(t, err, "cannot read its web_identity_token_file "+filepath.Join(e.dir, "no-such-token"))
}

// ---------------------------------------------------------------------------------------------
// credential_source: Ec2InstanceMetadata and EcsContainer

// fakeIMDS serves one instance role's credentials, IMDSv2 only.
func fakeIMDS(t *testing.T, role string, c aws.Credentials) (*httptest.Server, *[]string) {
	t.Helper()
	var seen []string
	const token = "imds-session-token"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Method+" "+r.URL.Path)
		if r.Method == http.MethodPut && r.URL.Path == "/latest/api/token" {
			w.Header().Set("X-Aws-Ec2-Metadata-Token-Ttl-Seconds", r.Header.Get("X-Aws-Ec2-Metadata-Token-Ttl-Seconds"))
			fmt.Fprint(w, token)
			return
		}
		if r.Header.Get("X-Aws-Ec2-Metadata-Token") != token {
			http.Error(w, "", http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/latest/meta-data/iam/security-credentials/":
			fmt.Fprint(w, role)
		case "/latest/meta-data/iam/security-credentials/" + role:
			_ = json.NewEncoder(w).Encode(map[string]string{
				"Code": "Success", "Type": "AWS-HMAC", "LastUpdated": time.Now().UTC().Format(time.RFC3339),
				"AccessKeyId": c.AccessKeyID, "SecretAccessKey": c.SecretAccessKey, "Token": c.SessionToken,
				"Expiration": c.Expires.UTC().Format(time.RFC3339),
			})
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

func TestRoleFromEc2InstanceMetadataWithMFA(t *testing.T) {
	e := newSourcesEnv(t)
	src := e.sessionCreds(t)
	imds, seen := fakeIMDS(t, "instance-role", src)
	e.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.URL
	e.writeConfig(t, fmt.Sprintf("[profile boxed]\nrole_arn = %s\ncredential_source = Ec2InstanceMetadata\nmfa_serial = %s\n", mfaRoleARN, srcSerial))

	p, err := e.resolve(t, "boxed")
	if err != nil || p.Kind != session.KindRole || p.CredentialSource != "Ec2InstanceMetadata" {
		t.Fatalf("resolve: %+v, %v", p, err)
	}
	r := e.mustGet(t, "boxed", srcCode)
	calls := e.sts.Calls()
	last := calls[len(calls)-1]
	if last.Action != "AssumeRole" || last.AccessKeyID != src.AccessKeyID || last.SerialNumber != srcSerial || last.TokenCode != srcCode {
		t.Fatalf("AssumeRole = %+v, want it signed by the instance's credentials with MFA", last)
	}
	if len(*seen) == 0 || (*seen)[0] != "PUT /latest/api/token" {
		t.Fatalf("IMDS requests = %v, want IMDSv2 (a token first)", *seen)
	}
	checkBash(t, evalBash(t, "boxed", r.Credentials, ""), "boxed", r.Credentials)

	// Instance credentials are a role's: what is assumed with them is role
	// chaining, which STS caps at 1 hour.
	_, err = e.get(t, "boxed", srcCode, func(o *provider.Options) { o.Duration = 2 * time.Hour; o.Refresh = true })
	checkOneSentence(t, err, "role chaining")
}

func TestEc2InstanceMetadataUnavailable(t *testing.T) {
	e := newSourcesEnv(t)
	e.writeConfig(t, fmt.Sprintf("[profile boxed]\nrole_arn = %s\ncredential_source = Ec2InstanceMetadata\n", openRoleARN))
	e.env["AWS_EC2_METADATA_DISABLED"] = "true"
	_, err := e.get(t, "boxed", "", nil)
	checkOneSentence(t, err, "AWS_EC2_METADATA_DISABLED")

	delete(e.env, "AWS_EC2_METADATA_DISABLED")
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close() // nothing listens there any more
	e.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = closed.URL
	_, err = e.get(t, "boxed", "", nil)
	checkOneSentence(t, err, "only on an EC2 instance with an instance profile")
	if e.sts.CallCount("") != 0 {
		t.Fatalf("STS was called without source credentials")
	}
}

func TestRoleFromEcsContainerCredentials(t *testing.T) {
	e := newSourcesEnv(t)
	src := e.sessionCreds(t)
	tokenFile := filepath.Join(e.dir, "pod-identity-token")
	if err := os.WriteFile(tokenFile, []byte("pod-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var auth []string
	agent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = append(auth, r.Header.Get("Authorization"))
		if r.URL.Path != "/v1/credentials" || r.Header.Get("Authorization") != "pod-token" {
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"code":"AccessDenied","message":"bad token"}`)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{
			"AccessKeyId": src.AccessKeyID, "SecretAccessKey": src.SecretAccessKey, "Token": src.SessionToken,
			"Expiration": src.Expires.UTC().Format(time.RFC3339),
		})
	}))
	t.Cleanup(agent.Close)
	e.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = agent.URL + "/v1/credentials"
	e.env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = tokenFile
	e.writeConfig(t, fmt.Sprintf("[profile task]\nrole_arn = %s\ncredential_source = EcsContainer\nexternal_id = ext-7\n", extRoleARN))

	r := e.mustGet(t, "task", "")
	calls := e.sts.Calls()
	last := calls[len(calls)-1]
	if last.Action != "AssumeRole" || last.AccessKeyID != src.AccessKeyID || last.ExternalId != "ext-7" {
		t.Fatalf("AssumeRole = %+v", last)
	}
	if len(auth) != 1 || auth[0] != "pod-token" {
		t.Fatalf("the agent saw Authorization %q, want the token file's content", auth)
	}
	checkBash(t, evalBash(t, "task", r.Credentials, ""), "task", r.Credentials)

	// Credentials in clear over a network are refused before any request.
	e.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://192.0.2.10/v1/credentials"
	_, err := e.get(t, "task", "", func(o *provider.Options) { o.Refresh = true })
	checkOneSentence(t, err, "use https")
	if len(auth) != 1 {
		t.Fatalf("a request went out: %q", auth)
	}
}

// ---------------------------------------------------------------------------------------------
// Kinds, unknown keys and the kinds assume cannot serve

func TestKindsAndUnknownKeys(t *testing.T) {
	e := newSourcesEnv(t)
	e.writeConfig(t, ssoConfig+`
[profile base]
region = eu-west-1
include_profile = nothing-to-include
s3 =
  max_concurrent_requests = 20
cli_pager =
some_future_setting = yes

[profile user]
mfa_serial = `+srcSerial+`
include_profile = base

[profile role]
role_arn = `+openRoleARN+`
source_profile = user
include_profile = base
duration_seconds = 900
x_unknown = 1

[profile proc]
credential_process = /bin/true
[profile web]
role_arn = `+webRoleARN+`
web_identity_token_file = /tmp/token
[profile from-box]
role_arn = `+openRoleARN+`
credential_source = EcsContainer
`)
	if err := os.WriteFile(e.paths.Credentials, []byte("[user]\naws_access_key_id = "+srcUserKey+"\naws_secret_access_key = "+srcUserSecret+"\nsome_other_tool_key = x\n\n[static]\naws_access_key_id = AKIASTATIC\naws_secret_access_key = s\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]session.Kind{
		"static": session.KindStatic, "user": session.KindMFAUser, "role": session.KindRole,
		"dev": session.KindSSO, "legacy": session.KindSSO, "proc": session.KindProcess,
		"web": session.KindWebIdentity, "from-box": session.KindRole,
	} {
		p, err := e.resolve(t, name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if p.Kind != want {
			t.Errorf("%s: kind %s, want %s", name, p.Kind, want)
		}
	}
	// Unknown keys change nothing: the role still works.
	r := e.mustGet(t, "role", srcCode)
	if calls := e.sts.Calls(); len(calls) != 2 || calls[1].RoleArn != openRoleARN || calls[1].DurationSeconds != "900" {
		t.Fatalf("calls = %+v", calls)
	}
	checkBash(t, evalBash(t, "role", r.Credentials, ""), "role", r.Credentials)
}

func TestUnservableProfilesGetOneSentence(t *testing.T) {
	e := newSourcesEnv(t)
	e.writeConfig(t, `[profile src-no-role]
credential_source = Ec2InstanceMetadata
[profile token-no-role]
web_identity_token_file = /tmp/token
[profile source-no-role]
source_profile = static
[profile role-no-source]
role_arn = `+openRoleARN+`
credential_process = /bin/true
[profile session-only]
sso_session = corp
[profile half-sso]
sso_start_url = `+ssoStartURL+`
sso_account_id = 1
sso_role_name = R
[profile region-only]
region = eu-west-1
include_profile = base
`)
	for name, want := range map[string]string{
		"src-no-role":    "it has no role_arn; add role_arn",
		"token-no-role":  "it has no role_arn; add role_arn",
		"source-no-role": "it has no role_arn; add role_arn",
		"role-no-source": "neither source_profile nor credential_source",
		"session-only":   `only names sso_session "corp"`,
		"half-sso":       "without sso_region",
		"region-only":    "it has no credentials",
	} {
		_, err := e.resolve(t, name)
		checkOneSentence(t, err, want)
		var ce *session.ConfigError
		if !errors.As(err, &ce) || ce.Profile != name {
			t.Errorf("%s: %v is not a ConfigError naming the profile", name, err)
		}
	}
}

// A sign-in that could be renewed, but SSO OIDC cannot be reached: a network
// problem, not a reason to sign in again.
func TestSSORefreshUnreachable(t *testing.T) {
	e := newSourcesEnv(t)
	newPortal(t)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	t.Setenv("AWS_ENDPOINT_URL_SSO_OIDC", closed.URL)
	e.writeConfig(t, ssoConfig)
	e.writeSSOToken(t, "corp", ssoToken{AccessToken: "stale", ExpiresAt: time.Now().Add(-time.Minute).UTC().Format(time.RFC3339),
		RefreshToken: "refresh-1", ClientID: "client-1", ClientSecret: "client-secret-1"})
	_, err := e.get(t, "dev", "", nil)
	checkOneSentence(t, err, "SSO OIDC could not be reached", "refresh-1", "client-secret-1")
	var se *provider.SourceError
	if !errors.As(err, &se) || se.SSOLogin != "" {
		t.Errorf("error %v advises a new sign-in", err)
	}
}
