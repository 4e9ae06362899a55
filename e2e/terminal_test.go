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
	*testkit.Tmux
	t   *testing.T
	dir string // holds the server's socket; tests keep their files there too
}

// newTerminal starts o.Argv in a new tmux server whose socket is in o.Dir (a new temporary
// folder when empty).
func newTerminal(t *testing.T, o testkit.TmuxOptions) *terminal {
	t.Helper()
	if o.Dir == "" {
		o.Dir = t.TempDir()
	}
	return &terminal{Tmux: testkit.StartTmux(t, o), t: t, dir: o.Dir}
}

// startTerminal runs argv in a new tmux server with exactly the variables in env, with a deep
// scrollback, so that a whole walk-through can be read back.
func startTerminal(t *testing.T, env, argv []string) *terminal {
	t.Helper()
	return newTerminal(t, testkit.TmuxOptions{Name: "term", Env: env, Argv: argv, History: 50000, Poll: 100 * time.Millisecond})
}

// waitFor polls the whole history until ok. The bound only keeps a hung program from stalling
// the suite (it is generous: a walk-through starts an emulator); nothing here measures time.
func (tm *terminal) waitFor(what string, within time.Duration, ok func(history string) bool) string {
	tm.t.Helper()
	return tm.WaitFor(what, within, tm.History, ok)
}

// waitForScreen polls what the terminal shows now until ok.
func (tm *terminal) waitForScreen(what string, within time.Duration, ok func(screen string) bool) string {
	tm.t.Helper()
	return tm.WaitFor(what, within, tm.Screen, ok)
}

// waitForText waits until the history holds want, counted from the n-th occurrence on.
func (tm *terminal) waitForText(want string, count int, within time.Duration) string {
	tm.t.Helper()
	return tm.waitFor(fmt.Sprintf("%q (x%d)", want, count), within, func(h string) bool {
		return strings.Count(h, want) >= count
	})
}
