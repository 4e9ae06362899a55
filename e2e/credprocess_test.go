package e2e

import (
	"strings"
	"testing"

	"github.com/assume-cli/assume/internal/testkit"
)

// TestOneCodeForSeveralRolesAndTools: with one MFA code, two roles, a
// credential_process profile used by the AWS CLI, and `-- COMMAND` all work;
// the recorder shows a single GetSessionToken for all of them.
func TestOneCodeForSeveralRolesAndTools(t *testing.T) {
	testkit.RequireTool(t, "aws")
	u := createMFAUser(t, "day-src")
	r1 := createRole(t, "day-one", u.ARN)
	r2 := createRole(t, "day-two", u.ARN)
	sb := newSandbox(t)
	var p profileSet
	p.addUser("e2e-src", u, true)
	p.addProfile("e2e-one", "role_arn", r1.ARN, "source_profile", "e2e-src", "region", region)
	p.addProfile("e2e-two", "role_arn", r2.ARN, "source_profile", "e2e-src", "region", region)
	p.addProfile("e2e-tools", "credential_process", requireAssume(t)+" e2e-two --format credential-process", "region", region)
	sb.writeProfiles(t, &p)

	code := u.code(t)
	rec := startRecording(t)
	one := sb.assume(t, nil, "e2e-one", "-m", code, "--format", "bash")
	if one.ExitCode != 0 {
		t.Fatalf("assume e2e-one -m CODE:\n%s", one)
	}

	// The AWS CLI runs assume as its credential_process: no code needed now.
	id := sb.run(t, nil, "aws", "sts", "get-caller-identity", "--profile", "e2e-tools", "--query", "Arn", "--output", "text")
	if id.ExitCode != 0 || !strings.Contains(id.Stdout, ":assumed-role/"+r2.Name+"/") {
		t.Fatalf("aws --profile e2e-tools (credential_process = assume):\n%s", id)
	}

	// -- COMMAND: the command sees the role's credentials and its exit code is assume's.
	exec := sb.assume(t, nil, "e2e-one", "--", "aws", "sts", "get-caller-identity", "--query", "Arn", "--output", "text")
	if exec.ExitCode != 0 || !strings.Contains(exec.Stdout, ":assumed-role/"+r1.Name+"/") {
		t.Fatalf("assume e2e-one -- aws sts get-caller-identity:\n%s", exec)
	}
	failing := sb.assume(t, nil, "e2e-one", "--", "sh", "-c", "exit 42")
	if failing.ExitCode != 42 {
		t.Fatalf("assume -- sh -c 'exit 42' returned %d", failing.ExitCode)
	}

	calls := credentialCalls(rec.stsCalls(t))
	if n := len(only(calls, "GetSessionToken")); n != 1 {
		t.Errorf("%d GetSessionToken calls for two roles and a tool, want 1: %v", n, calls)
	}
	if n := len(only(calls, "AssumeRole")); n != 2 {
		t.Errorf("%d AssumeRole calls, want one per role (the second use of each is cached): %v", n, calls)
	}
}
