package cli_test

import (
	"github.com/assume-cli/assume/internal/testkit"
	"strings"
	"testing"
)

// TestNonInteractive: --non-interactive renews a role from the cached MFA session, and when a
// code would be needed it asks nobody (not even a terminal that is there) and says in one line
// what to run, with nothing on stdout.
func TestNonInteractive(t *testing.T) {
	h := newHarness(t)
	h.prompter.Answers = testkit.Replies("654321")
	if code := h.run("prod", "--non-interactive", "--format", "bash"); code != 1 || h.stdout() != "" {
		t.Fatalf("without a session: exit %d, stdout %q", code, h.stdout())
	}
	want := "assume: the MFA session for profile \"prod\" is over (or none is cached) and a new code is needed; run `assume prod` to enter one.\n"
	if h.stderr() != want {
		t.Errorf("stderr %q, want %q", h.stderr(), want)
	}
	if len(h.prompter.Answers) != 1 || h.sts.CallCount("") != 0 {
		t.Errorf("a prompt was shown or STS called: %d answers left, %d calls", len(h.prompter.Answers), h.sts.CallCount(""))
	}

	// With a session cached, a renewal (--refresh) needs no code.
	if code := h.run("prod", "-m", "123456", "--format", "bash"); code != 0 {
		t.Fatalf("exit %d: %s", code, h.stderr())
	}
	first := h.stdout()
	if code := h.run("prod", "--refresh", "--non-interactive", "--format", "bash"); code != 0 {
		t.Fatalf("renewal: exit %d: %s", code, h.stderr())
	}
	if h.stdout() == first || !strings.Contains(h.stdout(), "AWS_ACCESS_KEY_ID") {
		t.Errorf("the renewal printed the same credentials:\n%s", h.stdout())
	}
	if n, m := h.sts.CallCount("GetSessionToken"), h.sts.CallCount("AssumeRole"); n != 1 || m != 2 {
		t.Errorf("%d GetSessionToken and %d AssumeRole calls, want 1 and 2", n, m)
	}
	// The picker would ask: refused.
	if code := h.run("--non-interactive", "--format", "bash"); code != 2 || !strings.Contains(h.stderr(), "needs a PROFILE") {
		t.Errorf("no profile: exit %d: %s", code, h.stderr())
	}
	h.noSecrets()
}

func TestServerAndAutoRefreshUsage(t *testing.T) {
	h := newHarness(t)
	for _, args := range [][]string{
		{"prod", "--server"},
		{"prod", "--server", "--write-profile", "x", "--", "true"},
		{"--auto-refresh"},
		{"--init", "tcsh", "--auto-refresh"},
	} {
		if code := h.run(args...); code != 2 || h.stdout() != "" || !strings.HasPrefix(h.stderr(), "assume: ") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, h.stdout(), h.stderr())
		}
	}
	if n := h.sts.CallCount(""); n != 0 {
		t.Errorf("%d STS calls for usage errors", n)
	}
}
