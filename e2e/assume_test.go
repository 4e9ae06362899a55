package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// shells are the shells whose users eval assume's output.
var shells = []string{"bash", "zsh", "fish"}

// evalLine is how a user of each shell evaluates assume's output.
func evalLine(shell, args string) string {
	if shell == "fish" {
		return fmt.Sprintf("assume %s --format fish | source", args)
	}
	return fmt.Sprintf(`eval "$(assume %s --format %s)"`, args, shell)
}

// checkNoSecrets fails when any secret shows on stderr.
func checkNoSecrets(t *testing.T, stderr string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(stderr, s) {
			t.Errorf("stderr reveals a secret (%.4s…):\n%s", s, stderr)
		}
	}
}

// checkGetSessionToken checks one GetSessionToken call made with the user's MFA device and code,
// signed by the user's long-term key.
func checkGetSessionToken(t *testing.T, c stsCall, u *iamUser, code string) {
	t.Helper()
	if c.Action != "GetSessionToken" {
		t.Errorf("call is %v, want GetSessionToken", c)
		return
	}
	if c.SerialNumber != u.MFASerial {
		t.Errorf("GetSessionToken SerialNumber = %q, want the device %q", c.SerialNumber, u.MFASerial)
	}
	if c.TokenCode != code {
		t.Errorf("GetSessionToken TokenCode = %q, want %q", c.TokenCode, code)
	}
	if c.SigningKeyID != u.AccessKeyID || c.SecurityToken != "" {
		t.Errorf("GetSessionToken was signed by %q (session token: %t), want the long-term key %q",
			c.SigningKeyID, c.SecurityToken != "", u.AccessKeyID)
	}
	// docs/cli.md: the cached MFA session lasts 12 h unless --session-duration says otherwise.
	if c.DurationSeconds != "" && c.DurationSeconds != "43200" {
		t.Errorf("GetSessionToken DurationSeconds = %q, want the 12 h default", c.DurationSeconds)
	}
}

// checkCallerIdentityCall checks that the shell's `aws sts get-caller-identity` was signed by the
// credentials assume exported.
func checkCallerIdentityCall(t *testing.T, calls []stsCall, env map[string]string) {
	t.Helper()
	ids := only(calls, "GetCallerIdentity")
	if len(ids) != 1 {
		t.Errorf("recorded %d GetCallerIdentity calls, want 1: %v", len(ids), calls)
		return
	}
	if ids[0].SigningKeyID != env["AWS_ACCESS_KEY_ID"] || ids[0].SecurityToken != env["AWS_SESSION_TOKEN"] {
		t.Errorf("get-caller-identity was signed by %q, want the exported %q with the exported session token",
			ids[0].SigningKeyID, env["AWS_ACCESS_KEY_ID"])
	}
}

// TestMFAUserSessionInRealShells: `assume user -m CODE` evaluated in bash, zsh and fish exports a
// session that the AWS CLI, run in the same shell, uses.
func TestMFAUserSessionInRealShells(t *testing.T) {
	for _, shell := range shells {
		t.Run(shell, func(t *testing.T) {
			u := createMFAUser(t, "mfa-user")
			sb := newSandbox(t)
			var p profileSet
			p.addUser("e2e-user", u, true)
			sb.writeProfiles(t, &p)
			code := u.code(t)

			rec := startRecording(t)
			// A profile left selected by another tool must end up unset.
			run := sb.shellWithProbe(t, shell, evalLine(shell, "e2e-user -m "+code),
				map[string]string{"AWS_PROFILE": "e2e-user"})
			calls := rec.stsCalls(t)

			checkExported(t, run.env, "e2e-user")
			if run.env["AWS_ACCESS_KEY_ID"] == u.AccessKeyID {
				t.Errorf("exported the long-term key instead of a session")
			}
			if run.identity == nil {
				t.Fatalf("get-caller-identity failed in %s: %s\n%s", shell, run.idErr, run.Result)
			}
			if run.identity.Arn == u.ARN {
				t.Errorf("get-caller-identity = %s: the long-term key signed, not the session", run.identity.Arn)
			}
			creds := credentialCalls(calls)
			if len(creds) != 1 {
				t.Fatalf("recorded %d credential calls, want one GetSessionToken: %v\n%s", len(creds), creds, run.Result)
			}
			checkGetSessionToken(t, creds[0], u, code)
			checkCallerIdentityCall(t, calls, run.env)
			checkNoSecrets(t, run.Stderr, u.SecretAccessKey, run.env["AWS_SECRET_ACCESS_KEY"], run.env["AWS_SESSION_TOKEN"])
		})
	}
}

// roleSetup is a source user with MFA and a role it may assume, written as profiles e2e-src and
// e2e-role.
type roleSetup struct {
	user *iamUser
	role *iamRole
	sb   *sandbox
}

type roleOptions struct {
	mfaOnSource bool   // mfa_serial on the source profile instead of the role profile
	externalID  string // external_id, when not empty
	sessionName string // role_session_name, when not empty
}

func newRoleSetup(t *testing.T, o roleOptions) *roleSetup {
	t.Helper()
	u := createMFAUser(t, "role-src")
	r := createRole(t, "role", u.ARN)
	sb := newSandbox(t)
	var p profileSet
	p.addUser("e2e-src", u, o.mfaOnSource)
	kv := []string{"role_arn", r.ARN, "source_profile", "e2e-src"}
	if !o.mfaOnSource {
		kv = append(kv, "mfa_serial", u.MFASerial)
	}
	if o.externalID != "" {
		kv = append(kv, "external_id", o.externalID)
	}
	if o.sessionName != "" {
		kv = append(kv, "role_session_name", o.sessionName)
	}
	kv = append(kv, "region", region)
	p.addProfile("e2e-role", kv...)
	sb.writeProfiles(t, &p)
	return &roleSetup{user: u, role: r, sb: sb}
}

// checkRoleSession checks a shell's state after assuming e2e-role: the exported variables, and
// that the AWS CLI is the assumed role.
func checkRoleSession(t *testing.T, rs *roleSetup, run shellRun, sessionName string) {
	t.Helper()
	checkExported(t, run.env, "e2e-role")
	if run.identity == nil {
		t.Fatalf("get-caller-identity failed: %s\n%s", run.idErr, run.Result)
	}
	if want := rs.role.assumedRoleARN(sessionName); run.identity.Arn != want {
		t.Errorf("get-caller-identity = %s, want %s", run.identity.Arn, want)
	}
	checkNoSecrets(t, run.Stderr, rs.user.SecretAccessKey, run.env["AWS_SECRET_ACCESS_KEY"], run.env["AWS_SESSION_TOKEN"])
}

// checkSessionThenRole checks the default path for a role with MFA: GetSessionToken with the code
// from the long-term key, then AssumeRole signed by that session, with no MFA fields.
func checkSessionThenRole(t *testing.T, rs *roleSetup, calls []stsCall, code string) stsCall {
	t.Helper()
	creds := credentialCalls(calls)
	if len(creds) != 2 {
		t.Fatalf("recorded %d credential calls, want GetSessionToken then AssumeRole: %v", len(creds), creds)
	}
	checkGetSessionToken(t, creds[0], rs.user, code)
	ar := creds[1]
	if ar.Action != "AssumeRole" || ar.RoleArn != rs.role.ARN {
		t.Errorf("second call is %v, want AssumeRole of %s", ar, rs.role.ARN)
	}
	if ar.SerialNumber != "" || ar.TokenCode != "" {
		t.Errorf("AssumeRole through the MFA session must not send MFA fields again: %v", ar)
	}
	if ar.SigningKeyID == rs.user.AccessKeyID || ar.SecurityToken == "" {
		t.Errorf("AssumeRole was signed by %q (session token: %t), want the MFA session's credentials",
			ar.SigningKeyID, ar.SecurityToken != "")
	}
	return ar
}

// TestRoleWithMFA: a role profile with source_profile and mfa_serial exports the assumed role;
// the recorder shows the MFA serial and code, RoleSessionName, ExternalId and who signed.
func TestRoleWithMFA(t *testing.T) {
	t.Run("mfa_serial on the role, external_id and role_session_name", func(t *testing.T) {
		rs := newRoleSetup(t, roleOptions{externalID: "ext-e2e-7", sessionName: "e2e-session"})
		code := rs.user.code(t)
		rec := startRecording(t)
		run := rs.sb.shellWithProbe(t, "bash", evalLine("bash", "e2e-role -m "+code+" -d 30m"), nil)
		calls := rec.stsCalls(t)

		checkRoleSession(t, rs, run, "e2e-session")
		ar := checkSessionThenRole(t, rs, calls, code)
		if ar.RoleSessionName != "e2e-session" {
			t.Errorf("RoleSessionName = %q, want role_session_name e2e-session", ar.RoleSessionName)
		}
		if ar.ExternalID != "ext-e2e-7" {
			t.Errorf("ExternalId = %q, want external_id ext-e2e-7", ar.ExternalID)
		}
		if ar.DurationSeconds != "1800" {
			t.Errorf("AssumeRole DurationSeconds = %q, want 1800 for -d 30m", ar.DurationSeconds)
		}
		checkCallerIdentityCall(t, calls, run.env)
	})

	t.Run("mfa_serial on the source profile, no external_id", func(t *testing.T) {
		rs := newRoleSetup(t, roleOptions{mfaOnSource: true})
		code := rs.user.code(t)
		rec := startRecording(t)
		run := rs.sb.shellWithProbe(t, "bash", evalLine("bash", "e2e-role -m "+code), nil)
		calls := rec.stsCalls(t)

		ar := checkSessionThenRole(t, rs, calls, code)
		if ar.RoleSessionName == "" {
			t.Errorf("AssumeRole sent no RoleSessionName")
		}
		if ar.ExternalID != "" {
			t.Errorf("ExternalId %q sent though none is configured", ar.ExternalID)
		}
		checkRoleSession(t, rs, run, ar.RoleSessionName)
	})

	t.Run("--no-session assumes the role straight from the long-term key", func(t *testing.T) {
		rs := newRoleSetup(t, roleOptions{externalID: "ext-direct"})
		code := rs.user.code(t)
		rec := startRecording(t)
		run := rs.sb.shellWithProbe(t, "bash", evalLine("bash", "e2e-role -m "+code+" --no-session"), nil)
		calls := rec.stsCalls(t)
		checkDirectAssumeRole(t, rs, calls, code, "")
		if ar := only(calls, "AssumeRole"); len(ar) == 1 {
			checkRoleSession(t, rs, run, ar[0].RoleSessionName)
		}
	})

	t.Run("-d 2h is over the chaining limit, so no session is used", func(t *testing.T) {
		rs := newRoleSetup(t, roleOptions{})
		code := rs.user.code(t)
		rec := startRecording(t)
		run := rs.sb.shellWithProbe(t, "bash", evalLine("bash", "e2e-role -m "+code+" -d 2h"), nil)
		calls := rec.stsCalls(t)
		checkDirectAssumeRole(t, rs, calls, code, "7200")
		if ar := only(calls, "AssumeRole"); len(ar) == 1 {
			checkRoleSession(t, rs, run, ar[0].RoleSessionName)
		}
	})
}

// checkDirectAssumeRole checks that a single AssumeRole carried the MFA serial and code and was
// signed by the long-term key, with no GetSessionToken.
func checkDirectAssumeRole(t *testing.T, rs *roleSetup, calls []stsCall, code, duration string) {
	t.Helper()
	creds := credentialCalls(calls)
	if len(creds) != 1 || creds[0].Action != "AssumeRole" {
		t.Fatalf("recorded %v, want a single AssumeRole", creds)
	}
	ar := creds[0]
	if ar.RoleArn != rs.role.ARN || ar.SerialNumber != rs.user.MFASerial || ar.TokenCode != code {
		t.Errorf("AssumeRole = %v, want role %s with serial %s and code %s", ar, rs.role.ARN, rs.user.MFASerial, code)
	}
	if ar.SigningKeyID != rs.user.AccessKeyID || ar.SecurityToken != "" {
		t.Errorf("AssumeRole was signed by %q (session token: %t), want the long-term key %q",
			ar.SigningKeyID, ar.SecurityToken != "", rs.user.AccessKeyID)
	}
	if duration != "" && ar.DurationSeconds != duration {
		t.Errorf("AssumeRole DurationSeconds = %q, want %s", ar.DurationSeconds, duration)
	}
}

// TestCachedSessionsNeedNoNewCode: one MFA code for the source user serves its roles, and cached
// credentials are handed out again without any STS call. Runs without a terminal, so any prompt
// would fail.
func TestCachedSessionsNeedNoNewCode(t *testing.T) {
	rs := newRoleSetup(t, roleOptions{mfaOnSource: true, sessionName: "cached"})
	code := rs.user.code(t)
	rec := startRecording(t)

	first := rs.sb.assume(t, nil, "e2e-src", "-m", code, "--format", "bash")
	if first.ExitCode != 0 {
		t.Fatalf("assume e2e-src -m CODE failed:\n%s", first)
	}
	calls := credentialCalls(rec.stsCalls(t))
	if len(calls) != 1 {
		t.Fatalf("recorded %v, want one GetSessionToken", calls)
	}
	checkGetSessionToken(t, calls[0], rs.user, code)

	again := rs.sb.assume(t, nil, "e2e-src", "--format", "bash")
	if again.ExitCode != 0 {
		t.Fatalf("assume e2e-src without a code, with a cached session, failed:\n%s", again)
	}
	if calls := credentialCalls(rec.stsCalls(t)); len(calls) != 1 {
		t.Errorf("the cached session was not used: %v", calls)
	}

	role := rs.sb.assume(t, nil, "e2e-role", "--format", "bash")
	if role.ExitCode != 0 {
		t.Fatalf("assume e2e-role without a code, with the source's session cached, failed:\n%s", role)
	}
	calls = credentialCalls(rec.stsCalls(t))
	if len(calls) != 2 || calls[1].Action != "AssumeRole" || calls[1].SecurityToken == "" || calls[1].TokenCode != "" {
		t.Errorf("want one AssumeRole signed by the cached session after the GetSessionToken, got %v", calls)
	}

	roleAgain := rs.sb.assume(t, nil, "e2e-role", "--format", "bash")
	if roleAgain.ExitCode != 0 {
		t.Fatalf("assume e2e-role a second time failed:\n%s", roleAgain)
	}
	if calls := credentialCalls(rec.stsCalls(t)); len(calls) != 2 {
		t.Errorf("the cached role credentials were not used: %v", calls)
	}
	if roleAgain.Stdout != role.Stdout {
		t.Errorf("cached role credentials differ from the first ones:\nfirst:\n%s\nsecond:\n%s", role.Stdout, roleAgain.Stdout)
	}

	// The cached role is the small front's own answer: a copy of assume without assume-full
	// beside it prints the same statements and the same notice.
	program, err := os.ReadFile(requireAssume(t))
	if err != nil {
		t.Fatal(err)
	}
	alone := filepath.Join(t.TempDir(), "assume")
	if err := os.WriteFile(alone, program, 0o755); err != nil {
		t.Fatal(err)
	}
	front := rs.sb.run(t, nil, alone, "e2e-role", "--format", "bash")
	if front.ExitCode != 0 || front.Stdout != roleAgain.Stdout || front.Stderr != roleAgain.Stderr {
		t.Errorf("assume alone, on the cached role:\n%s\nwith assume-full beside it:\n%s", front, roleAgain)
	}
}

// TestShellWrapper: after `eval "$(assume --init SHELL)"`, a plain `assume PROFILE -m CODE` in
// the same shell exports the credentials.
func TestShellWrapper(t *testing.T) {
	cases := []struct {
		name, shell, init string
	}{
		{"bash", "bash", `eval "$(assume --init bash)"`},
		{"zsh", "zsh", `eval "$(assume --init zsh)"`},
		{"zsh with compinit", "zsh", "autoload -Uz compinit && compinit -u\n" + `eval "$(assume --init zsh)"`},
		{"fish", "fish", "assume --init fish | source"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rs := newRoleSetup(t, roleOptions{sessionName: "wrapped"})
			code := rs.user.code(t)
			rec := startRecording(t)
			run := rs.sb.shellWithProbe(t, c.shell, c.init+"\nassume e2e-role -m "+code, nil)
			calls := rec.stsCalls(t)

			checkRoleSession(t, rs, run, "wrapped")
			checkSessionThenRole(t, rs, calls, code)
			checkCallerIdentityCall(t, calls, run.env)
			if before, _, _ := strings.Cut(run.Stdout, envBegin); strings.TrimSpace(before) != "" {
				t.Errorf("the wrapper printed to stdout:\n%s", before)
			}
		})
	}
}

// TestStaleEnvironment: credentials already in the environment, from an earlier assume or plain
// garbage, never sign assume's own calls: the profile's long-term key does.
func TestStaleEnvironment(t *testing.T) {
	t.Run("garbage", func(t *testing.T) {
		u := createMFAUser(t, "stale-user")
		other := createUser(t, "other-user")
		sb := newSandbox(t)
		var p profileSet
		p.addUser("e2e-user", u, true)
		p.addUser("e2e-other", other, false)
		sb.writeProfiles(t, &p)
		code := u.code(t)
		stale := map[string]string{
			"AWS_ACCESS_KEY_ID":         "AKIASTALEGARBAGE0000",
			"AWS_SECRET_ACCESS_KEY":     "stale-secret-garbage",
			"AWS_SESSION_TOKEN":         "stale-session-token-garbage",
			"AWS_SECURITY_TOKEN":        "stale-security-token-garbage",
			"AWS_CREDENTIAL_EXPIRATION": "2001-02-03T04:05:06Z",
			"AWS_PROFILE":               "e2e-other",
			"AWS_DEFAULT_PROFILE":       "e2e-other",
		}
		rec := startRecording(t)
		run := sb.shellWithProbe(t, "bash", evalLine("bash", "e2e-user -m "+code), stale)
		calls := rec.stsCalls(t)

		creds := credentialCalls(calls)
		if len(creds) != 1 {
			t.Fatalf("recorded %v, want one GetSessionToken\n%s", creds, run.Result)
		}
		checkGetSessionToken(t, creds[0], u, code)
		checkExported(t, run.env, "e2e-user")
		for k, v := range stale {
			if run.env[k] == v {
				t.Errorf("%s still holds the stale value %q", k, v)
			}
		}
		checkCallerIdentityCall(t, calls, run.env)
	})

	t.Run("an earlier assume in the same shell", func(t *testing.T) {
		rs := newRoleSetup(t, roleOptions{sessionName: "earlier"})
		u2 := createMFAUser(t, "second-user")
		var p profileSet
		p.addUser("e2e-src", rs.user, false)
		p.addProfile("e2e-role", "role_arn", rs.role.ARN, "source_profile", "e2e-src", "mfa_serial", rs.user.MFASerial,
			"role_session_name", "earlier", "region", region)
		p.addUser("e2e-user2", u2, true)
		rs.sb.writeProfiles(t, &p)
		code1, code2 := rs.user.code(t), u2.code(t)

		rec := startRecording(t)
		script := evalLine("bash", "e2e-role -m "+code1) + "\n" +
			`test -n "$AWS_SESSION_TOKEN" || { echo "the first assume exported nothing" >&2; exit 3; }` + "\n" +
			evalLine("bash", "e2e-user2 -m "+code2)
		run := rs.sb.shellWithProbe(t, "bash", script, nil)
		calls := rec.stsCalls(t)
		if run.ExitCode == 3 {
			t.Fatalf("first assume failed:\n%s", run.Result)
		}

		var found bool
		for _, c := range only(calls, "GetSessionToken") {
			if c.SerialNumber == u2.MFASerial {
				found = true
				checkGetSessionToken(t, c, u2, code2)
			}
		}
		if !found {
			t.Fatalf("no GetSessionToken for e2e-user2's device: %v", calls)
		}
		checkExported(t, run.env, "e2e-user2")
		if run.identity != nil && strings.Contains(run.identity.Arn, "assumed-role") {
			t.Errorf("after assume e2e-user2 the shell is still the role: %s", run.identity.Arn)
		}
	})
}

// TestErrors: failures exit 1 with nothing on stdout and one line on stderr that reveals no secret,
// and make no STS call that hands out credentials.
func TestErrors(t *testing.T) {
	u := createMFAUser(t, "err-user")
	sb := newSandbox(t)
	var p profileSet
	p.addUser("e2e-user", u, true)
	sb.writeProfiles(t, &p)

	cases := []struct {
		name     string
		args     []string
		env      map[string]string
		wantExit int    // a malformed code is a bad flag value: exit 2 (docs/cli.md)
		mention  string // stderr must contain this
	}{
		{"unknown profile", []string{"e2e-nosuch", "-m", "123456", "--format", "bash"}, nil, 1, "e2e-nosuch"},
		{"unknown profile suggests the closest name", []string{"e2e-usr", "--format", "bash"}, nil, 1, "e2e-user"},
		{"MFA code of 5 digits", []string{"e2e-user", "-m", "12345", "--format", "bash"}, nil, 2, "6 digits"},
		{"MFA code of 7 digits", []string{"e2e-user", "-m", "1234567", "--format", "bash"}, nil, 2, "6 digits"},
		{"MFA code with letters", []string{"e2e-user", "-m", "12a456", "--format", "bash"}, nil, 2, "6 digits"},
		{"MFA code with a space", []string{"e2e-user", "-m", "123 56", "--format", "bash"}, nil, 2, "6 digits"},
		{"bad ASSUME_MFA_TOKEN", []string{"e2e-user", "--format", "bash"}, map[string]string{"ASSUME_MFA_TOKEN": "abcdef"}, 2, "6 digits"},
		{"MFA needed, no code and no terminal", []string{"e2e-user", "--format", "bash"}, nil, 1, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := startRecording(t)
			r := sb.assume(t, c.env, c.args...)
			checkOneLineError(t, r, c.wantExit, u.SecretAccessKey)
			if c.mention != "" && !strings.Contains(r.Stderr, c.mention) {
				t.Errorf("stderr does not mention %q:\n%s", c.mention, r.Stderr)
			}
			if calls := credentialCalls(rec.stsCalls(t)); len(calls) != 0 {
				t.Errorf("a failing command called STS: %v", calls)
			}
		})
	}
}
