package provider_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/credcache"
	"github.com/assume-cli/assume/internal/fakests"
	"github.com/assume-cli/assume/internal/provider"
	"github.com/assume-cli/assume/internal/session"
)

// files is an in-memory Lookup.
type files map[string]map[string]string

func (f files) Profile(name string) (awsfile.Profile, bool) {
	v, ok := f[name]
	return awsfile.Profile{Name: name, Values: v}, ok
}

const (
	userKey    = "AKIAUSER000000000001"
	userSecret = "user-secret"
	serial     = "arn:aws:iam::111111111111:mfa/alice"
	prodARN    = "arn:aws:iam::222222222222:role/prod"
	devARN     = "arn:aws:iam::333333333333:role/dev"
	auditARN   = "arn:aws:iam::444444444444:role/audit"
)

type env struct {
	sts   *fakests.Server
	files files
	cache *credcache.Store
	codes *provider.MFACodes
	now   time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	s := fakests.New(
		[]fakests.User{{Name: "alice", AccessKeyID: userKey, SecretAccessKey: userSecret, MFASerial: serial, Code: "123456"}},
		[]fakests.Role{
			{ARN: prodARN, RequireMFA: true, MaxDuration: 4 * time.Hour},
			{ARN: devARN, RequireMFA: true},
			{ARN: auditARN, ExternalID: "ext-42"},
		},
	)
	t.Cleanup(s.Close)
	return &env{
		sts: s,
		files: files{
			"alice":     {"aws_access_key_id": userKey, "aws_secret_access_key": userSecret, "mfa_serial": serial},
			"prod":      {"role_arn": prodARN, "source_profile": "alice", "region": "eu-west-1"},
			"dev":       {"role_arn": devARN, "source_profile": "alice", "mfa_serial": serial},
			"audit":     {"role_arn": auditARN, "source_profile": "prod", "external_id": "ext-42", "role_session_name": "auditor"},
			"plain":     {"aws_access_key_id": "AKIAPLAIN", "aws_secret_access_key": "plain-secret"},
			"loop-a":    {"role_arn": devARN, "source_profile": "loop-b"},
			"loop-b":    {"role_arn": devARN, "source_profile": "loop-a"},
			"orphan":    {"role_arn": devARN, "source_profile": "nobody"},
			"half":      {"aws_access_key_id": "AKIAHALF"},
			"from-env":  {"role_arn": auditARN, "credential_source": "Environment", "external_id": "ext-42"},
			"self-role": {"role_arn": devARN, "source_profile": "self-role", "aws_access_key_id": userKey, "aws_secret_access_key": userSecret, "mfa_serial": serial},
		},
		cache: &credcache.Store{Dir: t.TempDir()},
		codes: &provider.MFACodes{Code: "123456", Profile: "test"},
		now:   time.Now(),
	}
}

func (e *env) get(t *testing.T, name string, mod func(*provider.Options)) (provider.Result, error) {
	t.Helper()
	p, err := session.Resolve(e.files, name)
	if err != nil {
		return provider.Result{}, err
	}
	o := provider.Options{
		Clients: provider.NewClientFactory("us-east-1", e.sts.URL, nil),
		Cache:   e.cache,
		Tokens:  e.codes,
		PlanOptions: session.PlanOptions{
			Getenv: func(string) string { return "" },
		},
	}
	if mod != nil {
		mod(&o)
	}
	return provider.Get(context.Background(), p, o)
}

func (e *env) mustGet(t *testing.T, name string, mod func(*provider.Options)) provider.Result {
	t.Helper()
	r, err := e.get(t, name, mod)
	if err != nil {
		t.Fatalf("assume %s: %v", name, err)
	}
	return r
}

func TestStaticKeysMakeNoCall(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.mustGet(t, "plain", nil)
	if r.Credentials.AccessKeyID != "AKIAPLAIN" || r.Credentials.SecretAccessKey != "plain-secret" || r.Credentials.CanExpire {
		t.Fatalf("got %+v", r.Credentials)
	}
	if n := e.sts.CallCount(""); n != 0 {
		t.Fatalf("%d STS calls for static keys", n)
	}
}

func TestMFAUserGetsSessionToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.mustGet(t, "alice", func(o *provider.Options) { o.Duration = 2 * time.Hour })
	calls := e.sts.Calls()
	if len(calls) != 1 {
		t.Fatalf("calls = %+v", calls)
	}
	c := calls[0]
	if c.Action != "GetSessionToken" || c.SerialNumber != serial || c.TokenCode != "123456" || c.DurationSeconds != "7200" || c.AccessKeyID != userKey {
		t.Fatalf("call = %+v", c)
	}
	if !strings.HasPrefix(r.Credentials.AccessKeyID, "ASIA") || r.Credentials.SessionToken == "" {
		t.Fatalf("creds = %+v", r.Credentials)
	}
	if left := time.Until(r.Credentials.Expires); left < 119*time.Minute || left > 121*time.Minute {
		t.Fatalf("expires in %s, want 2h", left)
	}
}

func TestRoleGoesThroughOneMFASession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	prod := e.mustGet(t, "prod", nil)
	// The flag's code is spent; dev must reuse the cached session, not ask.
	e.codes.Prompter = nil
	dev := e.mustGet(t, "dev", nil)
	if n := e.sts.CallCount("GetSessionToken"); n != 1 {
		t.Fatalf("GetSessionToken calls = %d, want 1", n)
	}
	calls := e.sts.Calls()
	if len(calls) != 3 {
		t.Fatalf("calls = %+v", calls)
	}
	sessKey := ""
	for _, c := range calls {
		switch c.Action {
		case "GetSessionToken":
			if c.AccessKeyID != userKey || c.SerialNumber != serial || c.TokenCode != "123456" {
				t.Errorf("session call = %+v", c)
			}
		case "AssumeRole":
			if c.SerialNumber != "" || c.TokenCode != "" {
				t.Errorf("AssumeRole through a session sent MFA: %+v", c)
			}
			if sessKey == "" {
				sessKey = c.AccessKeyID
			}
			if c.AccessKeyID != sessKey || !strings.HasPrefix(c.AccessKeyID, "ASIA") {
				t.Errorf("AssumeRole signed by %s, want the session key", c.AccessKeyID)
			}
			if !strings.HasPrefix(c.RoleSessionName, "assume-") {
				t.Errorf("RoleSessionName = %q", c.RoleSessionName)
			}
		}
	}
	if prod.Credentials.AccessKeyID == dev.Credentials.AccessKeyID {
		t.Fatal("two roles got the same keys")
	}
	if prod.How != "role via MFA session" || !prod.Chained {
		t.Errorf("How = %q, Chained = %v; want a chained role via the MFA session", prod.How, prod.Chained)
	}
}

func TestCachedRoleMakesNoCall(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	first := e.mustGet(t, "prod", nil)
	before := e.sts.CallCount("")
	second := e.mustGet(t, "prod", nil)
	if n := e.sts.CallCount("") - before; n != 0 {
		t.Fatalf("second assume made %d STS calls", n)
	}
	if !second.FromCache || second.Credentials != first.Credentials {
		t.Fatalf("second = %+v", second)
	}
	// --refresh asks for new role credentials, but reuses the MFA session.
	third := e.mustGet(t, "prod", func(o *provider.Options) { o.Refresh = true })
	if third.FromCache || third.Credentials.AccessKeyID == first.Credentials.AccessKeyID {
		t.Fatal("--refresh served the cache")
	}
	if n := e.sts.CallCount("GetSessionToken"); n != 1 {
		t.Fatalf("--refresh made %d GetSessionToken calls", n)
	}
}

func TestCacheMissesOnChangedKeyOrRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.mustGet(t, "prod", nil)
	// Rotating the user's key must not serve the old session.
	e.files["alice"]["aws_access_key_id"] = "AKIAROTATED"
	e.codes.Code = "123456"
	_, err := e.get(t, "prod", nil)
	var se *provider.STSError
	if !errors.As(err, &se) || se.Code != "InvalidClientTokenId" {
		t.Fatalf("rotated key: err = %v, want STS to be asked (and refuse the unknown key)", err)
	}
	e.files["alice"]["aws_access_key_id"] = userKey
	e.codes.Code = "123456"
	before := e.sts.CallCount("AssumeRole")
	e.files["prod"]["role_arn"] = devARN
	e.mustGet(t, "prod", nil)
	if e.sts.CallCount("AssumeRole") != before+1 {
		t.Fatal("a changed role_arn was served from the cache")
	}
}

func TestDirectPathForLongRoles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.mustGet(t, "prod", func(o *provider.Options) { o.Duration = 2 * time.Hour })
	calls := e.sts.Calls()
	if len(calls) != 1 || calls[0].Action != "AssumeRole" || calls[0].AccessKeyID != userKey ||
		calls[0].SerialNumber != serial || calls[0].TokenCode != "123456" || calls[0].DurationSeconds != "7200" {
		t.Fatalf("calls = %+v", calls)
	}
	if !strings.Contains(r.How, "over the 1-hour limit") || r.Chained {
		t.Errorf("How = %q, Chained = %v; want a role straight from the long-term keys", r.How, r.Chained)
	}
	e2 := newEnv(t)
	e2.mustGet(t, "prod", func(o *provider.Options) { o.NoSession = true })
	if c := e2.sts.Calls(); len(c) != 1 || c[0].SerialNumber != serial || c[0].AccessKeyID != userKey {
		t.Fatalf("--no-session calls = %+v", c)
	}
}

func TestChainedRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.mustGet(t, "audit", nil)
	calls := e.sts.Calls()
	if len(calls) != 3 {
		t.Fatalf("calls = %+v", calls)
	}
	last := calls[2]
	if last.RoleArn != auditARN || last.ExternalId != "ext-42" || last.RoleSessionName != "auditor" || !strings.HasPrefix(last.AccessKeyID, "ASIA") {
		t.Fatalf("audit call = %+v", last)
	}
	if r.Credentials.SessionToken == "" {
		t.Fatal("no token")
	}
	_, err := e.get(t, "audit", func(o *provider.Options) { o.Duration = 2 * time.Hour })
	var ce *session.ConfigError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "1 hour") {
		t.Fatalf("chained 2h: err = %v", err)
	}
	if len(e.sts.Calls()) != 3 {
		t.Fatal("the 1-hour cap was left to STS")
	}
}

func TestWrongCodeIsExplained(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.codes.Code = "654321"
	_, err := e.get(t, "alice", nil)
	var se *provider.STSError
	if !errors.As(err, &se) || !se.MFAFailed() {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "AccessDenied") || !strings.Contains(err.Error(), "wrong or already used") {
		t.Errorf("message = %q", err)
	}
	e.sts.DateSkew = -3 * time.Minute
	e.codes.Code = "654321"
	_, err = e.get(t, "alice", nil)
	if err == nil || !strings.Contains(err.Error(), "clock is 3m0s off") {
		t.Errorf("skewed clock: %v", err)
	}
}

func TestRevokedSessionAsksOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.mustGet(t, "prod", nil)
	e.sts.RevokeAll()
	e.codes.Code = "123456"
	r := e.mustGet(t, "dev", nil)
	if r.Credentials.SessionToken == "" {
		t.Fatal("no credentials")
	}
	if n := e.sts.CallCount("GetSessionToken"); n != 2 {
		t.Fatalf("GetSessionToken calls = %d, want a new session after revocation", n)
	}
}

func TestCredentialSourceEnvironment(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	envVars := map[string]string{"AWS_ACCESS_KEY_ID": userKey, "AWS_SECRET_ACCESS_KEY": userSecret}
	e.mustGet(t, "from-env", func(o *provider.Options) { o.Getenv = func(k string) string { return envVars[k] } })
	if c := e.sts.Calls(); len(c) != 1 || c[0].AccessKeyID != userKey || c[0].ExternalId != "ext-42" {
		t.Fatalf("calls = %+v", c)
	}
}

func TestEnvironmentNeverSigns(t *testing.T) {
	e := newEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "ASIASTALEFROMEARLIER")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "stale")
	t.Setenv("AWS_SESSION_TOKEN", "stale-token")
	// (A stale AWS_PROFILE is removed by cli.RunProcess before anything runs; the
	// end-to-end tests run the binary with one.)
	e.mustGet(t, "alice", nil)
	if c := e.sts.Calls(); len(c) != 1 || c[0].AccessKeyID != userKey {
		t.Fatalf("calls = %+v", c)
	}
}

func TestSelfSourcedRole(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.mustGet(t, "self-role", nil)
	if c := e.sts.Calls(); len(c) != 2 || c[0].AccessKeyID != userKey || c[1].RoleArn != devARN {
		t.Fatalf("calls = %+v", c)
	}
}

func TestResolveErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for name, want := range map[string]string{
		"loop-a":  "loops: loop-a -> loop-b -> loop-a",
		"orphan":  `source_profile "nobody" does not exist`,
		"half":    "no aws_secret_access_key",
		"missing": "not in your AWS config",
	} {
		_, err := session.Resolve(e.files, name)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", name, err, want)
		}
	}
}

func TestDurationLimitsCheckedBeforeCalls(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, d := range []time.Duration{time.Minute, 13 * time.Hour} {
		_, err := e.get(t, "prod", func(o *provider.Options) { o.Duration = d })
		var ue *session.UsageError
		if !errors.As(err, &ue) {
			t.Errorf("duration %s: err = %v", d, err)
		}
	}
	_, err := e.get(t, "alice", func(o *provider.Options) { o.SessionDuration = 37 * time.Hour })
	if err == nil {
		t.Error("37h session accepted")
	}
	if n := e.sts.CallCount(""); n != 0 {
		t.Fatalf("%d calls made for invalid durations", n)
	}
}

func TestMFAProcess(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.codes.Code = ""
	e.files["alice"]["mfa_process"] = "echo 'AWS:alice  123456'"
	e.mustGet(t, "alice", nil)
	if c := e.sts.Calls(); len(c) != 1 || c[0].TokenCode != "123456" {
		t.Fatalf("calls = %+v", c)
	}
	e.files["alice"]["mfa_process"] = "echo no code here"
	e.codes.Code = ""
	_, err := e.get(t, "alice", func(o *provider.Options) { o.Refresh = true })
	if err == nil || !strings.Contains(err.Error(), "printed no 6-digit code") {
		t.Fatalf("err = %v", err)
	}
	e.files["alice"]["mfa_process"] = "exit 3"
	_, err = e.get(t, "alice", func(o *provider.Options) { o.Refresh = true })
	if err == nil || !strings.Contains(err.Error(), "mfa_process command") {
		t.Fatalf("err = %v", err)
	}
}

func TestNoCodeNoTerminal(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.codes.Code = ""
	_, err := e.get(t, "alice", nil)
	if err == nil || !strings.Contains(err.Error(), "-m CODE") {
		t.Fatalf("err = %v", err)
	}
	if n := e.sts.CallCount(""); n != 0 {
		t.Fatalf("%d calls without a code", n)
	}
}

func TestShortDuration(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		30 * time.Minute: "30m", time.Hour: "1h", 11*time.Hour + 30*time.Minute: "11h30m",
		90 * time.Minute: "1h30m", 10 * time.Hour: "10h", 36 * time.Hour: "36h", 59*time.Minute + 40*time.Second: "1h",
	} {
		if got := session.ShortDuration(d); got != want {
			t.Errorf("ShortDuration(%s) = %q, want %q", d, got, want)
		}
	}
}
