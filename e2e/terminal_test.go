package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/testkit"
)

// terminal is one program running in a real terminal: its own tmux server, driven with
// send-keys and read with capture-pane, as a person types and reads (testkit.Tmux).
type terminal struct {
	t *testing.T
	*testkit.Tmux
}

// startTerminal runs argv in a new tmux server with exactly the variables in env, with a deep
// scrollback, so that a whole walk-through can be read back.
func startTerminal(t *testing.T, env, argv []string) *terminal {
	t.Helper()
	return &terminal{t: t, Tmux: testkit.StartTmux(t, testkit.TmuxOptions{Name: "term", Env: env, Argv: argv, History: 50000, Poll: 100 * time.Millisecond})}
}

// keys sends tmux key names (Enter, Tab, C-c) or, with literal, text typed as is.
func (tm *terminal) keys(literal bool, keys ...string) {
	tm.t.Helper()
	if literal {
		tm.Type(strings.Join(keys, ""))
		return
	}
	tm.Keys(keys...)
}

// typeLine types text and presses Enter.
func (tm *terminal) typeLine(text string) {
	tm.t.Helper()
	tm.TypeLine(text)
}

// screen is what the terminal shows now.
func (tm *terminal) screen() string { return tm.Screen() }

// currentLine is the line the cursor is on: what is being typed at the prompt.
func (tm *terminal) currentLine() string { return tm.CursorLine() }

// waitFor polls the whole history until ok. The bound only keeps a hung program from stalling
// the suite (it is generous: a walk-through starts an emulator); nothing here measures time.
func (tm *terminal) waitFor(what string, within time.Duration, ok func(history string) bool) string {
	tm.t.Helper()
	return tm.WaitFor(what, within, tm.History, ok)
}

// waitForText waits until the history holds want, counted from the n-th occurrence on.
func (tm *terminal) waitForText(want string, count int, within time.Duration) string {
	tm.t.Helper()
	return tm.waitFor(fmt.Sprintf("%q (x%d)", want, count), within, func(h string) bool {
		return strings.Count(h, want) >= count
	})
}

// interactiveShell is argv for an interactive shell that reads only the start-up file it is
// given (rc, written into home where the shell looks for it; zsh finds it through ZDOTDIR,
// set by terminalEnv).
func interactiveShell(t *testing.T, shell, home, rc string) []string {
	t.Helper()
	return testkit.InteractiveShell(t, shell, home, rc)
}
