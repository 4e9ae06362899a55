package e2e

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/testkit"
)

// TestTryScript runs scripts/try.sh as a newcomer would, without a terminal, and checks that it
// walks through to the end, shows the role's identity, and cleans up after itself.
func TestTryScript(t *testing.T) {
	bin := requireAssume(t)
	for _, tool := range []string{"bash", "moto_server", "aws", "oathtool", "python3"} {
		testkit.RequireTool(t, tool)
	}
	script, err := filepath.Abs("../scripts/try.sh")
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	cmd := exec.CommandContext(ctxFor(t, 5*time.Minute), "bash", script)
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"TMPDIR=" + t.TempDir(),
		"LANG=C.UTF-8",
		"ASSUME_BIN=" + bin,
		// Stale settings of the developer's must not leak into the demo.
		"AWS_PROFILE=not-a-profile-of-the-demo",
		"AWS_ACCESS_KEY_ID=AKIASTALEGARBAGE0000",
		"AWS_SECRET_ACCESS_KEY=stale",
	}
	cmd.Env = append(cmd.Env, pyenvVars()...)
	testkit.Detach(cmd)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err = cmd.Run()
	output := out.String()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		t.Fatalf("run try.sh: %v", err)
	}
	if err != nil {
		t.Errorf("try.sh failed: %v\n%s", err, output)
	}

	for _, want := range []string{
		"$ assume demo-user -m ",
		"$ aws sts get-caller-identity",
		"$ assume demo-role -- aws sts get-caller-identity",
		"$ assume -l",
		"assumed-role/demo-role/",
	} {
		if !strings.Contains(output, want) {
			t.Errorf("try.sh output lacks %q:\n%s", want, output)
		}
	}
	if _, err := os.Stat(filepath.Join(home, ".aws")); !os.IsNotExist(err) {
		t.Errorf("try.sh created ~/.aws (stat: %v)", err)
	}

	if m := regexp.MustCompile(`sandbox: (\S+)`).FindStringSubmatch(output); m == nil {
		t.Errorf("try.sh did not say where its sandbox is:\n%s", output)
	} else if _, err := os.Stat(m[1]); !os.IsNotExist(err) {
		t.Errorf("try.sh left its sandbox %s behind (stat: %v)", m[1], err)
	}
	if m := regexp.MustCompile(`moto_server pid (\d+)`).FindStringSubmatch(output); m == nil {
		t.Errorf("try.sh did not say which moto_server it started:\n%s", output)
	} else {
		pid, _ := strconv.Atoi(m[1])
		if pid > 0 && syscall.Kill(pid, 0) == nil {
			t.Errorf("try.sh left moto_server (pid %d) running", pid)
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}
