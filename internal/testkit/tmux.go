package testkit

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TmuxOptions say how to start a program in a terminal.
type TmuxOptions struct {
	// Dir holds the server's socket; the test's own temporary folder when empty.
	Dir string
	// WorkDir is the folder the program starts in (default: the package under test's).
	WorkDir string
	// Name is the session's name (default "main").
	Name string
	// Width and Height are the pane's size (default 160x40).
	Width, Height int
	// Env is the whole environment of the program (run through env -i) and of the server.
	Env  []string
	Argv []string
	// History is the scrollback to keep, in lines (0: tmux's default), so a whole walk-through
	// can be read back.
	History int
	// Poll is how often WaitFor reads the terminal (default 50 ms).
	Poll time.Duration
	// ExitShell asks the shell to exit at clean-up (Ctrl-C, exit, Enter) and waits up to 10 s
	// for it, so that it is done writing its files before the test's folder goes; the server
	// is killed after that in any case.
	ExitShell bool
}

// Tmux is a program running in a real terminal: a tmux server of its own (-S, no
// configuration), driven with send-keys and read with capture-pane, as a person types and
// reads.
type Tmux struct {
	t      testing.TB
	tmux   string
	socket string
	env    []string
	target string
	poll   time.Duration
}

// StartTmux starts o.Argv in a new tmux server. On a failed test, the terminal's history is
// logged at clean-up.
func StartTmux(t testing.TB, o TmuxOptions) *Tmux {
	t.Helper()
	tm := &Tmux{t: t, tmux: RequireTool(t, "tmux"), env: o.Env, poll: o.Poll}
	if tm.poll == 0 {
		tm.poll = 50 * time.Millisecond
	}
	if o.Dir == "" {
		o.Dir = t.TempDir()
	}
	tm.socket = filepath.Join(o.Dir, "tmux.sock")
	if o.Width == 0 {
		o.Width, o.Height = 160, 40
	}
	if o.Name == "" {
		o.Name = "main"
	}
	args := []string{"-f", "/dev/null", "new-session", "-d", "-x", fmt.Sprint(o.Width), "-y", fmt.Sprint(o.Height), "-s", o.Name, "--"}
	cmd := tm.tmuxCmd(append(args, tm.command(o.Argv)...)...)
	cmd.Dir = o.WorkDir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	tm.target = o.Name
	if o.History > 0 {
		_, _ = tm.Command("set-option", "-g", "history-limit", fmt.Sprint(o.History))
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("terminal at the end:\n%s", tm.History())
		}
		if o.ExitShell {
			tm.exitShell()
		}
		// A shell killed with its server still writes its history (bash on SIGHUP, fish
		// after each command) for a moment: wait for the panes' programs to end, so that
		// nothing writes into the test's folder while it is removed.
		pids := tm.panePIDs()
		_, _ = tm.Command("kill-server")
		waitGone(pids, 10*time.Second)
	})
	return tm
}

// command is argv run with exactly the terminal's environment.
func (tm *Tmux) command(argv []string) []string {
	if tm.env == nil {
		return argv
	}
	return append(append([]string{"env", "-i"}, tm.env...), argv...)
}

// NewSession starts argv in another session of the same server; keys go there from now on.
func (tm *Tmux) NewSession(name string, width, height int, argv ...string) {
	tm.t.Helper()
	args := []string{"new-session", "-d", "-x", fmt.Sprint(width), "-y", fmt.Sprint(height), "-s", name, "--"}
	tm.Run(append(args, tm.command(argv)...)...)
	tm.target = name
}

func (tm *Tmux) tmuxCmd(args ...string) *exec.Cmd {
	cmd := exec.Command(tm.tmux, append([]string{"-S", tm.socket}, args...)...)
	cmd.Env = tm.env
	return cmd
}

// Command runs a tmux command on this server and returns its output.
func (tm *Tmux) Command(args ...string) (string, error) {
	out, err := tm.tmuxCmd(args...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// Run is Command that fails the test on error.
func (tm *Tmux) Run(args ...string) string {
	tm.t.Helper()
	out, err := tm.Command(args...)
	if err != nil {
		tm.t.Fatal(err)
	}
	return out
}

// Type types text as it is.
func (tm *Tmux) Type(text string) {
	tm.t.Helper()
	tm.Run("send-keys", "-t", tm.target, "-l", "--", text)
}

// Keys presses keys by their tmux names: Enter, Tab, Down, C-c.
func (tm *Tmux) Keys(keys ...string) {
	tm.t.Helper()
	tm.Run(append([]string{"send-keys", "-t", tm.target}, keys...)...)
}

// TypeLine types text, if any, and presses Enter.
func (tm *Tmux) TypeLine(text string) {
	tm.t.Helper()
	if text != "" {
		tm.Type(text)
	}
	tm.Keys("Enter")
}

// Capture is capture-pane -p with extra options; a failure is returned as text, so that it
// shows where the screen would.
func (tm *Tmux) Capture(extra ...string) string {
	out, err := tm.Command(append([]string{"capture-pane", "-p", "-t", tm.target}, extra...)...)
	if err != nil {
		return fmt.Sprintf("(capture-pane failed: %v)", err)
	}
	return out
}

// Screen is what the terminal shows now.
func (tm *Tmux) Screen() string { return tm.Capture() }

// History is everything the terminal has shown, scrollback included, wrapped lines joined.
func (tm *Tmux) History() string { return tm.Capture("-S", "-", "-J") }

// CursorLine is the line the cursor is on: what is being typed at the prompt.
func (tm *Tmux) CursorLine() string {
	y, err := tm.Command("display-message", "-p", "-t", tm.target, "#{cursor_y}")
	if err != nil {
		return ""
	}
	lines := strings.Split(tm.Screen(), "\n")
	n := 0
	fmt.Sscan(strings.TrimSpace(y), &n)
	if n < len(lines) {
		return lines[n]
	}
	return ""
}

// WaitFor polls read (Screen, History, a capture of one's own) until ok, and returns what it
// read last. The bound only keeps a hung program from stalling the suite; nothing here
// measures time.
func (tm *Tmux) WaitFor(what string, within time.Duration, read func() string, ok func(string) bool) string {
	tm.t.Helper()
	deadline := time.Now().Add(within)
	for {
		s := read()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("waited in vain for %s; the terminal shows:\n%s", what, s)
		}
		time.Sleep(tm.poll)
	}
}

// exitShell asks the shell to exit and waits for the server to end with it.
func (tm *Tmux) exitShell() {
	_, _ = tm.Command("send-keys", "-t", tm.target, "C-c")
	_, _ = tm.Command("send-keys", "-t", tm.target, "-l", "exit")
	_, _ = tm.Command("send-keys", "-t", tm.target, "Enter")
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if _, err := tm.Command("has-session"); err != nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// panePIDs are the process IDs of the programs in every pane of the server.
func (tm *Tmux) panePIDs() []int {
	out, err := tm.Command("list-panes", "-a", "-F", "#{pane_pid}")
	if err != nil {
		return nil
	}
	var pids []int
	for _, f := range strings.Fields(out) {
		var pid int
		if _, err := fmt.Sscan(f, &pid); err == nil && pid > 0 {
			pids = append(pids, pid)
		}
	}
	return pids
}
