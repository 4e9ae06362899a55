package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A command that cannot run fails before any STS call (no MFA code spent), with the
// shell's exit code and one line on stderr: no success notice before it.
func TestExecCommandThatCannotRun(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain")
	write(t, plain, "echo hi\n") // 0600: no x bit
	pathDir := filepath.Join(dir, "bin")
	if err := os.Mkdir(pathDir, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(pathDir, "tool"), "echo hi\n")
	cases := []struct {
		argv []string
		code int
		want string
	}{
		{[]string{"/nonexistent/cmd"}, 127, "command not found"},
		{[]string{"no-such-command-here"}, 127, "command not found"},
		{[]string{plain}, 126, "not executable"},
		{[]string{"tool"}, 126, "not executable"},
		{[]string{dir}, 126, "folder"},
	}
	for _, c := range cases {
		h := newHarness(t)
		args := append([]string{"alice", "-m", "123456", "--"}, c.argv...)
		code := h.runAs("bash", map[string]string{"PATH": pathDir + ":/usr/bin:/bin"}, args...)
		if code != c.code || h.stdout() != "" || !strings.Contains(h.stderr(), c.want) {
			t.Errorf("assume %q: exit %d, stdout %q, stderr %q; want %d and %q", args, code, h.stdout(), h.stderr(), c.code, c.want)
		}
		if lines := strings.Count(strings.TrimSpace(h.stderr()), "\n"); lines != 0 {
			t.Errorf("assume %q: stderr has %d lines: %q", args, lines+1, h.stderr())
		}
		if n := len(h.sts.Calls()); n != 0 {
			t.Errorf("assume %q: %d STS calls before the command was found", args, n)
		}
	}
}

// "assume PROFILE --" opens the user's shell with the credentials, says so, and
// returns the shell's exit status.
func TestExecWithoutCommandOpensUsersShell(t *testing.T) {
	h := newHarness(t)
	h.streams.InBuf.WriteString(`printf '%s|%s' "$AWS_ACCESS_KEY_ID" "$ASSUME_PROFILE"; exit 3` + "\n")
	code := h.runAs("bash", map[string]string{"SHELL": "/bin/sh"}, "static", "--")
	if code != 3 {
		t.Fatalf("exit %d, stderr %q; want the shell's 3", code, h.stderr())
	}
	if got := h.stdout(); got != staticKey+"|static" {
		t.Fatalf("the shell saw %q", got)
	}
	if !strings.Contains(h.stderr(), "opening /bin/sh with static's credentials") {
		t.Fatalf("stderr does not say which shell opens: %q", h.stderr())
	}
	h.noSecrets()

	// Without $SHELL, the calling shell (detected) opens.
	h.streams.InBuf.WriteString("exit 4\n")
	if code := h.runAs("bash", map[string]string{"SHELL": ""}, "static", "--"); code != 4 || !strings.Contains(h.stderr(), "opening bash") {
		t.Fatalf("exit %d, stderr %q; want bash opened and its 4", code, h.stderr())
	}
}
