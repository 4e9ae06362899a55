package completions_test

import (
	"regexp"
	"testing"
)

// TestCompleteBashReadline presses TAB in an interactive bash on a real terminal: what readline
// inserts, with bash's own splitting at COMP_WORDBREAKS, must make whole profile names.
func TestCompleteBashReadline(t *testing.T) {
	env := newEnv(t, "bash", profiles)
	term := env.StartTerminal(t, "bash", "--norc", "--noprofile", "-i")
	term.Type(`PS1='READY> '; eval "$(assume --init bash)"; echo loaded`)
	term.Keys("Enter")
	term.WaitFor(regexp.MustCompile(`(?m)^loaded\nREADY>`))
	for _, tc := range []struct{ typed, want string }{
		{"assume prod:r", "assume prod:readonly "},
		{"assume prod@c", "assume prod@corp "},
		{"assume prod_", "assume prod_admin "},
		{"assume --format=cr", "assume --format=credential-process "},
		{"assume staging --ref", "assume staging --refresh "},
	} {
		term.Type(tc.typed)
		term.Keys("Tab")
		// The completed line, then a marker that shows the line is done with.
		term.Type("#done")
		term.WaitFor(regexp.MustCompile(`(?m)^READY> ` + regexp.QuoteMeta(tc.want+"#done") + ` *$`))
		term.Keys("C-u")
	}
}
