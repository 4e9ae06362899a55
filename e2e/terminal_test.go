package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// terminal is one program running in a real terminal: its own tmux server, driven with
// send-keys and read with capture-pane, as a person types and reads.
type terminal struct {
	t      *testing.T
	tmux   string
	socket string
}

// startTerminal runs argv in a new tmux server with exactly the variables in env.
func startTerminal(t *testing.T, env, argv []string) *terminal {
	t.Helper()
	tmux := requireTool(t, "tmux")
	tm := &terminal{t: t, tmux: tmux, socket: filepath.Join(t.TempDir(), "tmux.sock")}
	// A private server (-S) with no configuration (-f /dev/null) and a deep scrollback, so that
	// a whole walk-through can be read back.
	args := []string{"-S", tm.socket, "-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "40", "-s", "term", "env", "-i"}
	args = append(append(args, env...), argv...)
	cmd := exec.Command(tmux, args...)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	_ = exec.Command(tmux, "-S", tm.socket, "set-option", "-g", "history-limit", "50000").Run()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("terminal at the end:\n%s", tm.history())
		}
		_ = exec.Command(tmux, "-S", tm.socket, "kill-server").Run()
	})
	return tm
}

// keys sends tmux key names (Enter, Tab, C-c) or, with literal, text typed as is.
func (tm *terminal) keys(literal bool, keys ...string) {
	tm.t.Helper()
	args := []string{"-S", tm.socket, "send-keys", "-t", "term"}
	if literal {
		args = append(args, "-l")
	}
	if out, err := exec.Command(tm.tmux, append(args, keys...)...).CombinedOutput(); err != nil {
		tm.t.Fatalf("tmux send-keys %q: %v\n%s", keys, err, out)
	}
}

// typeLine types text and presses Enter.
func (tm *terminal) typeLine(text string) {
	tm.t.Helper()
	tm.keys(true, text)
	tm.keys(false, "Enter")
}

// screen is what the terminal shows now.
func (tm *terminal) screen() string { return tm.capture() }

// currentLine is the line the cursor is on: what is being typed at the prompt.
func (tm *terminal) currentLine() string {
	y, err := exec.Command(tm.tmux, "-S", tm.socket, "display-message", "-p", "-t", "term", "#{cursor_y}").Output()
	if err != nil {
		return ""
	}
	lines := strings.Split(tm.screen(), "\n")
	n := 0
	fmt.Sscan(strings.TrimSpace(string(y)), &n)
	if n < len(lines) {
		return lines[n]
	}
	return ""
}

// history is everything the terminal has shown, scrollback included, with wrapped lines joined.
func (tm *terminal) history() string { return tm.capture("-S", "-", "-J") }

func (tm *terminal) capture(extra ...string) string {
	args := append([]string{"-S", tm.socket, "capture-pane", "-p", "-t", "term"}, extra...)
	out, err := exec.Command(tm.tmux, args...).Output()
	if err != nil {
		return fmt.Sprintf("(capture-pane failed: %v)", err)
	}
	return string(out)
}

// waitFor polls the whole history until ok. The bound only keeps a hung program from stalling
// the suite (it is generous: a walk-through starts an emulator); nothing here measures time.
func (tm *terminal) waitFor(what string, within time.Duration, ok func(history string) bool) string {
	tm.t.Helper()
	deadline := time.Now().Add(within)
	for {
		h := tm.history()
		if ok(h) {
			return h
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("waited in vain for %s; the terminal shows:\n%s", what, h)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitForText waits until the history holds want, counted from the n-th occurrence on.
func (tm *terminal) waitForText(want string, count int, within time.Duration) string {
	tm.t.Helper()
	return tm.waitFor(fmt.Sprintf("%q (x%d)", want, count), within, func(h string) bool {
		return strings.Count(h, want) >= count
	})
}

// interactiveShell is argv for an interactive shell that reads only the start-up file it is
// given (rc, written into home where the shell looks for it).
func interactiveShell(t *testing.T, shell, home, rc string) []string {
	t.Helper()
	path := requireTool(t, shell)
	switch shell {
	case "bash":
		write(t, filepath.Join(home, ".bashrc"), rc)
		return []string{path, "--noprofile", "--rcfile", filepath.Join(home, ".bashrc"), "-i"}
	case "zsh":
		write(t, filepath.Join(home, ".zshrc"), rc)
		return []string{path, "-i"} // ZDOTDIR is home (see terminalEnv)
	case "fish":
		// An existing generated_completions folder keeps fish from starting a background job
		// that parses man pages into it while the test's folder is being removed.
		for _, dir := range []string{filepath.Join(home, ".config", "fish"), filepath.Join(home, ".local", "share", "fish", "generated_completions")} {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
		}
		write(t, filepath.Join(home, ".config", "fish", "config.fish"), rc)
		return []string{path, "-i"}
	}
	t.Fatalf("no start-up recipe for %s", shell)
	return nil
}
