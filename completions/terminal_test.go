package completions_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/assume-cli/assume/internal/testkit"
	"github.com/assume-cli/assume/shell/shelltest"
)

// TestCompleteBashReadline presses TAB in an interactive bash on a real terminal: what readline
// inserts, with bash's own splitting at COMP_WORDBREAKS, must make whole profile names.
func TestCompleteBashReadline(t *testing.T) {
	env := newEnv(t, "bash", profiles)
	term := env.StartTerminal(t, testkit.CleanShell("bash", "-i")...)
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

// TestCompleteBashQuotesNames presses TAB and then Enter in an interactive bash: a name that is
// shell syntax is inserted escaped, so running the line runs nothing but assume, and a name
// with a space stays one word.
func TestCompleteBashQuotesNames(t *testing.T) {
	hostile := []shelltest.Profile{{Name: "sub$(touch F)`touch G`"}, {Name: "sp ace"}, {Name: "prod:readonly"}, {Name: "quo'te"}}
	env := newEnv(t, "bash", hostile)
	term := env.StartTerminal(t, testkit.CleanShell("bash", "-i")...)
	term.Type(`PS1='READY> '; eval "$(assume --init bash)"; echo loaded`)
	term.Keys("Enter")
	term.WaitFor(regexp.MustCompile(`(?m)^loaded\nREADY>`))
	for _, tc := range []struct{ typed, line, name string }{
		{"assume sub", `assume sub\$\(touch\ F\)\` + "`" + `touch\ G\` + "` ", hostile[0].Name},
		{"assume sp", `assume sp\ ace `, "sp ace"},
		{`assume sp\ a`, `assume sp\ ace `, "sp ace"},
		{"assume 'sp", `assume 'sp ace' `, "sp ace"},
		{"assume prod:r", "assume prod:readonly ", "prod:readonly"},
		{"assume quo", `assume quo\'te `, "quo'te"},
	} {
		term.Type(tc.typed)
		term.Keys("Tab")
		term.WaitFor(regexp.MustCompile(`(?m)^READY> ` + regexp.QuoteMeta(tc.line) + `$`))
		term.Keys("Enter")
		term.WaitFor(regexp.MustCompile(`(?m)^READY> $`))
		term.Type(`printf '<%s>\n' "$ASSUME_PROFILE"`)
		term.Keys("Enter")
		m := term.WaitFor(regexp.MustCompile(`(?m)^<(.*)>\s*$`))
		if m[1] != tc.name {
			t.Errorf("after %q TAB Enter: ASSUME_PROFILE = %q, want %q\n%s", tc.typed, m[1], tc.name, term.Screen())
		}
		term.Type("clear")
		term.Keys("Enter")
		term.WaitFor(regexp.MustCompile(`\AREADY> \s*\z`))
	}
	for _, canary := range []string{"F", "G"} {
		if _, err := os.Lstat(filepath.Join(env.Dir, canary)); err == nil {
			t.Errorf("completing and running the line ran code: %s exists", canary)
		}
	}
}
