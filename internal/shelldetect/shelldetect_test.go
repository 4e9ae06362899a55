package shelldetect

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"bash": "bash", "-zsh": "zsh", "/usr/bin/fish": "fish", "pwsh.exe": "powershell",
		"powershell": "powershell", "sh": "bash", "go": "", "": "", "sudo": "",
	} {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDetectFromParent runs this test binary under real shells and checks
// that the child names the shell that started it, even with SHELL saying
// otherwise.
func TestDetectFromParent(t *testing.T) {
	if os.Getenv("SHELLDETECT_CHILD") == "1" {
		os.Stdout.WriteString(Detect())
		os.Exit(0)
	}
	for _, sh := range []string{"bash", "zsh", "fish"} {
		path, err := exec.LookPath(sh)
		if err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is not installed", sh)
			}
			t.Logf("skipping %s: not installed", sh)
			continue
		}
		// The trailing "; true" keeps the shell from exec-ing the child
		// in place, so the child's parent really is the shell.
		cmd := exec.Command(path, "-c", "'"+os.Args[0]+"' -test.run=TestDetectFromParent; true")
		cmd.Env = append(os.Environ(), "SHELLDETECT_CHILD=1", "SHELL=/bin/tcsh")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v", sh, err)
		}
		if got := strings.TrimSpace(string(out)); got != sh {
			t.Errorf("under %s Detect() = %q", sh, got)
		}
	}
}

func TestDetectFallsBackToSHELL(t *testing.T) {
	// The test binary's parent is `go test`, not a shell.
	t.Setenv("SHELL", "/usr/local/bin/fish")
	if got := Detect(); got != "fish" {
		t.Errorf("Detect() = %q, want fish from $SHELL", got)
	}
	t.Setenv("SHELL", "")
	if got := Detect(); got != "bash" {
		t.Errorf("Detect() = %q, want the bash default", got)
	}
}
