package shell_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/testkit"
)

// TestServerAsksOnceOnTheTerminal: `assume prod --server -- COMMAND` on a real terminal, where
// COMMAND ends the MFA session (it clears the cache) and then keeps asking the endpoint for
// credentials, three requests at a time. The renewal asks for a code on the terminal once; while
// the person types, the requests get the credentials that are still valid; after the answer the
// command sees new keys, from one GetSessionToken with the new code.
func TestServerAsksOnceOnTheTerminal(t *testing.T) {
	testkit.RequireTool(t, "bash")
	e := newRefreshEnv(t)
	poll := testkit.BuildProgram(t, "./testdata/credpoll", e.Dir, "credpoll")
	term := e.StartTerminal(t, interactive["bash"]...)
	term.Type("PS1='READY> '; echo started")
	term.Keys("Enter")
	term.WaitFor(atPrompt(`\nstarted\n`))

	// A margin longer than the role's hour: every request after the first wants a renewal.
	term.Type("ASSUME_REFRESH_MARGIN=2h command assume prod -m " + refreshCode +
		" --server -- sh -c 'assume --clear-cache 2>/dev/null; exec \"$0\"' '" + poll + "'; echo \"exit=$?\"")
	term.Keys("Enter")
	term.WaitFor(regexp.MustCompile(`MFA code for prod`))
	if e.sts.CallCount("GetSessionToken") != 1 {
		t.Fatalf("%d GetSessionToken calls before the answer, want the first one", e.sts.CallCount("GetSessionToken"))
	}
	// Let the command make more requests while the question is open.
	time.Sleep(time.Second)
	e.sts.SetCode(refreshUserKey, "654321")
	term.Type("654321")
	term.Keys("Enter")
	m := term.WaitFor(regexp.MustCompile(`renewed from (ASIA\w+) to (ASIA\w+)\s+exit=(\d+)`))
	if m[1] == m[2] || m[3] != "0" {
		t.Errorf("keys %s -> %s, exit %s", m[1], m[2], m[3])
	}
	screen := term.Screen()
	if n := strings.Count(screen, "MFA code for prod"); n != 1 {
		t.Errorf("the code was asked for %d times, want once:\n%s", n, screen)
	}
	var codes []string
	for _, c := range e.sts.Calls() {
		if c.Action == "GetSessionToken" {
			codes = append(codes, c.TokenCode)
		}
	}
	if strings.Join(codes, " ") != refreshCode+" 654321" {
		t.Errorf("GetSessionToken codes %v, want the first code, then the one typed", codes)
	}
	// The start, the renewal after the code, and (with this margin) maybe more requests' renewals
	// from the new session, none of which asked again.
	if n := e.sts.CallCount("AssumeRole"); n < 2 {
		t.Errorf("%d AssumeRole calls, want the start and the renewal", n)
	}
}
