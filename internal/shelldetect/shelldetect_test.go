package shelldetect

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/assume-cli/assume/internal/testkit"
)

func TestDetectChooses(t *testing.T) {
	for _, tc := range []struct{ parent, shellVar, want string }{
		{"bash", "", "bash"}, {"-zsh", "/bin/bash", "zsh"}, {"/usr/bin/fish", "", "fish"},
		{"pwsh.exe", "", "powershell"}, {"powershell", "", "powershell"},
		// Every POSIX shell gets the sh format, never bash's $'…'.
		{"sh", "/bin/bash", "sh"}, {"dash", "", "sh"}, {"ksh", "", "sh"}, {"ksh93", "", "sh"},
		{"mksh", "", "sh"}, {"busybox", "", "sh"}, {"ash", "", "sh"}, {"-sh", "", "sh"},
		// A parent that is no shell: $SHELL decides; one assume does not know gets sh.
		{"go", "/usr/bin/zsh", "zsh"}, {"sudo", "/bin/dash", "sh"}, {"make", "/bin/tcsh", "sh"},
		{"", "", "bash"}, {"tmux: server", "", "bash"},
	} {
		if got := detect(tc.parent, tc.shellVar); got != tc.want {
			t.Errorf("detect(%q, SHELL=%q) = %q, want %q", tc.parent, tc.shellVar, got, tc.want)
		}
	}
}

// TestDetectFromParent runs this test binary under real shells and checks
// that the child names the shell that started it, even with SHELL saying
// otherwise.
func TestDetectFromParent(t *testing.T) {
	if os.Getenv("SHELLDETECT_CHILD") == "1" {
		os.Stdout.WriteString(Detect(os.Getenv) + "|" + Parent())
		os.Exit(0)
	}
	for sh, want := range map[string]string{"bash": "bash", "zsh": "zsh", "fish": "fish",
		"dash": "sh", "ksh": "sh", "mksh": "sh", "busybox": "sh"} {
		path, err := exec.LookPath(sh)
		if err != nil {
			if testkit.InCI() {
				t.Fatalf("%s is not installed", sh)
			}
			t.Logf("skipping %s: not installed", sh)
			continue
		}
		// The trailing "; true" keeps the shell from exec-ing the child
		// in place, so the child's parent really is the shell.
		args := []string{"-c", "'" + os.Args[0] + "' -test.run=TestDetectFromParent; true"}
		if sh == "busybox" {
			args = append([]string{"sh"}, args...)
		}
		cmd := exec.Command(path, args...)
		cmd.Env = append(os.Environ(), "SHELLDETECT_CHILD=1", "SHELL=/bin/tcsh")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v", sh, err)
		}
		if got := strings.TrimSpace(string(out)); got != want+"|"+want {
			t.Errorf("under %s Detect()|Parent() = %q, want %q for both", sh, got, want)
		}
	}
}

func TestDetectFallsBackToSHELL(t *testing.T) {
	t.Parallel()
	// The test binary's parent is `go test`, not a shell: Parent says so, Detect asks $SHELL.
	env := func(shell string) func(string) string {
		return func(k string) string {
			if k == "SHELL" {
				return shell
			}
			return ""
		}
	}
	if got := Detect(env("/usr/local/bin/fish")); got != "fish" {
		t.Errorf("Detect() = %q, want fish from $SHELL", got)
	}
	if got := Detect(env("")); got != "bash" {
		t.Errorf("Detect() = %q, want the bash default", got)
	}
	if got := Parent(); got != "" {
		t.Errorf("Parent() = %q under go test, want none", got)
	}
}
