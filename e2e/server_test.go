package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/assume-cli/assume/internal/testkit"
)

// buildSDKClient builds testdata/sdkclient, a program on the AWS SDK for Go's default chain.
func buildSDKClient(t *testing.T) string {
	t.Helper()
	return testkit.BuildProgram(t, "./testdata/sdkclient", t.TempDir(), "sdkclient")
}

// TestServerRenewsForTheCommand: `assume e2e-role --server -- COMMAND` with the AWS CLI and an SDK
// program as COMMAND. Both get the role's credentials through the loopback endpoint and none
// through key variables; with a renewal margin longer than the credentials live, every request
// renews them, so the child sees new keys at each request after the first, each renewal is one AssumeRole signed
// by the cached MFA session, and no code is asked after the first (there is no terminal to ask
// on); a request without the token gets 403; assume exits with the command's code.
func TestServerRenewsForTheCommand(t *testing.T) {
	rs := newRoleSetup(t, roleOptions{})
	testkit.RequireTool(t, "aws")
	client := buildSDKClient(t)
	code := rs.user.code(t)
	rec := startRecording(t)

	script := `aws sts get-caller-identity --query Arn --output text | sed 's/^/cli arn=/' && "$1"; st=$?; [ $st -eq 0 ] && exit 7; exit $st`
	res := rs.sb.assume(t, map[string]string{
		"ASSUME_REFRESH_MARGIN": "2h",
		// Stale variables the child must not get: they would win over the endpoint.
		"AWS_ACCESS_KEY_ID":     "AKIASTALESTALESTALE",
		"AWS_SECRET_ACCESS_KEY": "stale-secret",
		"AWS_PROFILE":           "e2e-src",
	}, "e2e-role", "-m", code, "--server", "--", "sh", "-c", script, "sh", client)
	if res.ExitCode != 7 {
		t.Fatalf("want the command's exit code 7:\n%s", res)
	}
	role := regexp.QuoteMeta(rs.role.ARN[strings.LastIndex(rs.role.ARN, "/")+1:])
	if !regexp.MustCompile(`(?m)^cli arn=arn:aws:sts::\d+:assumed-role/` + role + `/`).MatchString(res.Stdout) {
		t.Errorf("the AWS CLI is not the role:\n%s", res)
	}
	sdk := regexp.MustCompile(`(?m)^sdk(\d) key=(\S+) source=(\S+) arn=(\S+)$`).FindAllStringSubmatch(res.Stdout, -1)
	if len(sdk) != 2 {
		t.Fatalf("the SDK program did not report twice:\n%s", res)
	}
	for _, m := range sdk {
		if !strings.Contains(m[3], "Endpoint") || !strings.Contains(m[4], ":assumed-role/") {
			t.Errorf("SDK load %s: credentials from %s as %s, want the endpoint and the role", m[1], m[3], m[4])
		}
	}
	if sdk[0][2] == sdk[1][2] {
		t.Errorf("the second request got the same key %s: no renewal", sdk[0][2])
	}
	if !strings.Contains(res.Stdout, "without-token status=403\n") {
		t.Errorf("a request without the token was not refused with 403:\n%s", res)
	}
	if strings.Contains(res.Stdout, "given ") {
		t.Errorf("the command was given key or profile variables:\n%s", res)
	}
	if strings.Contains(res.Stderr, "could not renew") {
		t.Errorf("a renewal failed:\n%s", res)
	}

	calls := rec.stsCalls(t)
	sessions := only(calls, "GetSessionToken")
	roles := only(calls, "AssumeRole")
	ids := only(calls, "GetCallerIdentity")
	if len(sessions) != 1 || sessions[0].TokenCode != code {
		t.Errorf("want one GetSessionToken, with the one code: %v", sessions)
	}
	// One AssumeRole before the command starts, whose credentials answer the first request (the
	// CLI's), then one renewal per later request (the SDK's two).
	if len(ids) != 3 || len(roles) != len(ids) {
		t.Fatalf("recorded %d AssumeRole and %d GetCallerIdentity calls, want one AssumeRole per renewal (1 + 2) and 3:\n%v", len(roles), len(ids), calls)
	}
	keys := map[string]bool{}
	for _, r := range roles {
		if r.TokenCode != "" || r.SecurityToken == "" || r.SigningKeyID == rs.user.AccessKeyID {
			t.Errorf("a renewal was not signed by the cached MFA session, or sent a code: %v", r)
		}
	}
	for _, c := range ids {
		if c.SigningKeyID == "AKIASTALESTALESTALE" || c.SecurityToken == "" {
			t.Errorf("GetCallerIdentity signed by %q, want role credentials", c.SigningKeyID)
		}
		keys[c.SigningKeyID] = true
	}
	if len(keys) != 3 || !keys[sdk[0][2]] || !keys[sdk[1][2]] {
		t.Errorf("the three calls were signed by %v, want three renewed keys including the SDK's %s and %s", keys, sdk[0][2], sdk[1][2])
	}
	checkNoSecrets(t, res.Stderr, rs.user.SecretAccessKey)
}

// TestServerSessionOver: when the cached MFA session ends during the command and there is no
// terminal to ask on, assume says once on stderr what to run, and the command goes on with the
// credentials it has while they last (once they expire, the SDK shows the server's error: see
// package credserver).
func TestServerSessionOver(t *testing.T) {
	rs := newRoleSetup(t, roleOptions{})
	testkit.RequireTool(t, "aws")
	code := rs.user.code(t)
	// Open the session; the command then ends it by clearing the cache, so renewals need a code.
	if r := rs.sb.assume(t, nil, "e2e-role", "-m", code, "--format", "json"); r.ExitCode != 0 {
		t.Fatalf("first assume:\n%s", r)
	}
	rec := startRecording(t)
	script := `assume --clear-cache 2>/dev/null; aws sts get-caller-identity --query Arn --output text && aws sts get-caller-identity --query Arn --output text`
	res := rs.sb.assume(t, map[string]string{"ASSUME_REFRESH_MARGIN": "2h"}, "e2e-role", "--server", "--", "sh", "-c", script)
	if res.ExitCode != 0 || strings.Count(res.Stdout, ":assumed-role/") != 2 {
		t.Errorf("the command did not go on with the credentials it had:\n%s", res)
	}
	over := "assume: could not renew the credentials: the MFA session for profile \"e2e-role\" is over"
	if n := strings.Count(res.Stderr, over); n != 1 {
		t.Errorf("assume said %d times that the session is over, want once:\n%s", n, res)
	}
	if !strings.Contains(res.Stderr, "run `assume e2e-role`") {
		t.Errorf("stderr does not say what to run:\n%s", res)
	}
	if n := len(credentialCalls(rec.stsCalls(t))); n != 0 {
		t.Errorf("%d credential calls without a session; a renewal needing a code must fail before STS", n)
	}
}

// TestServerUsage: --server needs a command.
func TestServerUsage(t *testing.T) {
	rs := newRoleSetup(t, roleOptions{})
	res := rs.sb.assume(t, nil, "e2e-role", "--server")
	if res.ExitCode != 2 || res.Stdout != "" || !strings.Contains(res.Stderr, "-- COMMAND") {
		t.Errorf("--server without a command:\n%s", res)
	}
}
