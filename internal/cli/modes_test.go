package cli_test

import (
	"strings"
	"testing"
)

// TestModeConflicts: a flag that does not go with the mode asked for is a usage error (exit 2, one
// sentence, nothing on stdout) before any work; the flags that do go with a mode are accepted.
func TestModeConflicts(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		want string // "" : accepted (exit 0)
	}{
		{[]string{"--clear-cache", "prod", "-d", "4h"}, `--clear-cache cannot be combined with the profile name "prod"`},
		{[]string{"--clear-cache", "-d", "4h"}, "--clear-cache cannot be combined with --duration"},
		{[]string{"-u", "-l", "prod"}, `--unset cannot be combined with the profile name "prod"`},
		{[]string{"-u", "-l"}, "--unset cannot be combined with --list"},
		{[]string{"-u", "prod"}, "--unset cannot be combined with the profile name"},
		{[]string{"-u", "-m", "123456"}, "--unset cannot be combined with --mfa-token"},
		{[]string{"-l", "--format", "bash"}, "--list cannot be combined with --format"},
		{[]string{"-l", "--", "true"}, "--list cannot be combined with --"},
		{[]string{"--list-profiles", "-l"}, "--list-profiles cannot be combined with --list"},
		{[]string{"--version", "prod"}, "--version cannot be combined with the profile name"},
		{[]string{"--init", "bash", "-r", "eu-west-1"}, "--init cannot be combined with --region"},
		{[]string{"--setup", "alice", "-u"}, "--setup prints no credentials and cannot be combined with --unset"},
		{[]string{"--setup", "--clear-cache"}, "--clear-cache cannot be combined with --setup"},
		{[]string{"alice", "--seed-file", "seed"}, "--seed-file goes with --setup, as in assume --setup PROFILE --seed-file"},
		{[]string{"static", "--format", "bash", "--", "true"}, "--format has no effect with -- COMMAND"},
		{[]string{"static", "--qr-file", "q", "--", "true"}, "--qr-file goes with --setup"},
		{[]string{"prod", "-c", "--format", "bash"}, "--console cannot be combined with --format"},
		{[]string{"prod", "--console-url", "--", "true"}, "--console cannot be combined with --"},
		{[]string{"prod", "-c", "--write-profile", "x"}, "--console cannot be combined with --write-profile"},
		{[]string{"prod", "-s", "s3"}, "--service goes with --console, as in assume PROFILE --console --service"},
		{[]string{"prod", "--sign-out", "--format", "bash"}, "--sign-out goes with --console"},
		{[]string{"-l", "-c"}, "--list cannot be combined with --console"},
		{[]string{"prod", "--server", "--write-profile", "x", "--", "true"}, "--write-profile cannot be combined with --server"},
		{[]string{"prod", "--server", "--format", "bash", "--", "true"}, "--format cannot be combined with --server"},
		{[]string{"--auto-refresh"}, `--auto-refresh goes with --init, as in eval "$(assume --init bash --auto-refresh)"`},
		{[]string{"-l", "--server"}, "--list cannot be combined with --server"},
		{[]string{"--init", "zsh", "--auto-refresh"}, ""},

		{[]string{"-u", "--format", "fish"}, ""},
		{[]string{"-u"}, ""},
		{[]string{"-l"}, ""},
		{[]string{"--list-profiles"}, ""},
		{[]string{"--clear-cache"}, ""},
		{[]string{"--version"}, ""},
		{[]string{"--init", "zsh"}, ""},
		{[]string{"alice", "--format", "bash", "-m", "123456", "-d", "1h", "--session-duration", "2h", "-r", "eu-west-1", "--refresh",
			"--no-session", "--session-name", "alice-x", "--role-arn", roleARN, "--write-profile", "tmp"}, ""},
	} {
		h := newHarness(t)
		code := h.run(c.args...)
		if c.want == "" {
			if code != 0 {
				t.Errorf("assume %s: exit %d, stderr %q; want it accepted", strings.Join(c.args, " "), code, h.stderr())
			}
			continue
		}
		if code != 2 || h.stdout() != "" || !strings.Contains(h.stderr(), c.want) || strings.Count(h.stderr(), "\n") != 1 {
			t.Errorf("assume %s: exit %d, stdout %q, stderr %q; want exit 2, no stdout, one line with %q",
				strings.Join(c.args, " "), code, h.stdout(), h.stderr(), c.want)
		}
		if n := h.sts.CallCount(""); n != 0 {
			t.Errorf("assume %s: %d STS calls before the usage error", strings.Join(c.args, " "), n)
		}
	}
}
