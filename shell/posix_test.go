package shell_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assume-cli/assume/internal/testkit"
	"github.com/assume-cli/assume/shell/shelltest"
)

// posixShells run `sh -c SCRIPT NAME ARG` in each POSIX shell: argv before -c.
var posixShells = map[string][]string{
	"dash":       {"dash"},
	"busybox-sh": {"busybox", "sh"},
	"ksh":        {"ksh"},
	"mksh":       {"mksh"},
}

// TestEvalInPOSIXShells runs the real binary the way sh users do, with no wrapper and no
// --format: eval "$(assume PROFILE)". Detection must choose the sh format (bash's $'…' runs code
// in dash), the names must come back byte for byte, and no canary file may appear.
func TestEvalInPOSIXShells(t *testing.T) {
	names := []string{
		"my prod",
		"sub$(touch canary)`touch canary`",
		"it's 'quoted' \\ \"$HOME\"",
		"new\nline$(touch canary)",
	}
	profiles := []shelltest.Profile{{Name: "s", Region: "eu-west-1"}, {Name: "bad-region", Region: "x';touch canary;#"}}
	for _, n := range names {
		if !strings.Contains(n, "\n") { // a newline cannot be in an INI section name
			profiles = append(profiles, shelltest.Profile{Name: n})
		}
	}
	for shellName, argv := range posixShells {
		t.Run(shellName, func(t *testing.T) {
			testkit.RequireTool(t, argv[0])
			bin.Require(t)
			env := shelltest.NewEnv(t, &bin, profiles)
			canary := filepath.Join(env.Dir, "canary")
			sh := func(script string, args ...string) testkit.Result {
				return env.Run(t, append(append(append([]string(nil), argv...), "-c", script, "sh"), args...)...)
			}

			res := sh(`eval "$(assume s)" && printf '%s|%s|%s\n' "$ASSUME_PROFILE" "$AWS_ACCESS_KEY_ID" "$AWS_REGION"`)
			if want := "s|" + profiles[0].AccessKeyID() + "|eu-west-1\n"; res.ExitCode != 0 || res.Stdout != want {
				t.Fatalf("eval \"$(assume s)\": exit %d, stdout %q, want %q; stderr %q", res.ExitCode, res.Stdout, want, res.Stderr)
			}
			for _, p := range profiles[2:] {
				res := sh(`eval "$(assume "$1")" && printf '%s|%s' "$ASSUME_PROFILE" "$AWSUME_PROFILE"`, p.Name)
				if want := p.Name + "|" + p.Name; res.ExitCode != 0 || res.Stdout != want {
					t.Errorf("profile %q: exit %d, stdout %q, want %q; stderr %q", p.Name, res.ExitCode, res.Stdout, want, res.Stderr)
				}
			}
			// The explicit format, with a value no profile file can hold.
			res = sh(`eval "$(assume s --format sh)" && printf '%s' "$ASSUME_PROFILE"`)
			if res.ExitCode != 0 || res.Stdout != "s" {
				t.Errorf("--format sh: exit %d, stdout %q; stderr %q", res.ExitCode, res.Stdout, res.Stderr)
			}
			// A region made of shell syntax is refused: nothing to evaluate, one sentence.
			// (eval of an empty string succeeds, so the status is taken from the assignment.)
			res = sh(`out=$(assume bad-region) || exit 3; eval "$out"`)
			if res.ExitCode != 3 || res.Stdout != "" || !strings.Contains(res.Stderr, "is not a region name") ||
				strings.Count(strings.TrimSpace(res.Stderr), "\n") != 0 {
				t.Errorf("bad region: exit %d, stdout %q, stderr %q", res.ExitCode, res.Stdout, res.Stderr)
			}
			if _, err := os.Lstat(canary); err == nil {
				t.Fatalf("a value ran as code in %s: %s exists", shellName, canary)
			}
		})
	}
}
