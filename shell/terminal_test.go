package shell_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/assume-cli/assume/internal/testkit"
	"github.com/assume-cli/assume/shell/shelltest"
)

// interactive is how each shell starts interactively, without any rc file.
var interactive = map[string][]string{
	"bash": testkit.CleanShell("bash", "-i"),
	"zsh":  testkit.CleanShell("zsh", "-i"),
	"fish": testkit.CleanShell("fish", "-i"),
}

// setPrompt makes each shell's prompt "READY> ", to tell when it waits for a command.
var setPrompt = map[string]string{
	"bash": "PS1='READY> '",
	"zsh":  "PS1='READY> '",
	"fish": "function fish_prompt; echo -n 'READY> '; end",
}

// atPrompt matches a screen whose last line is the prompt, after what matches before.
func atPrompt(before string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + before + `(?:.*\n)?READY>\s*\z`)
}

// TestWrapperPickerOnTerminal runs `assume` without a profile in an interactive shell on a real
// terminal: the binary's picker must reach the terminal through the wrapper (nothing of it is
// captured), and the profile picked must then be exported into that shell.
func TestWrapperPickerOnTerminal(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			testkit.RequireTool(t, d.name)
			bin.Require(t)
			env := shelltest.NewEnv(t, &bin, []shelltest.Profile{staticProfile, otherProfile})
			init := env.Run(t, bin.Path, "--init", d.name)
			if init.ExitCode != 0 {
				t.Fatalf("assume --init %s: exit %d: %s", d.name, init.ExitCode, init.Stderr)
			}
			path := env.WriteFile(t, "init."+d.name, init.Stdout)

			term := env.StartTerminal(t, interactive[d.name]...)
			term.Type(setPrompt[d.name] + "; source '" + path + "'; echo loaded")
			term.Keys("Enter")
			term.WaitFor(atPrompt(`\nloaded\n`))
			term.Type("assume")
			term.Keys("Enter")
			term.WaitFor(regexp.MustCompile(`Profile:`))
			// Type to filter, then take the one left.
			term.Type(otherProfile.Name)
			term.WaitFor(regexp.MustCompile(`(?m)^\W*` + otherProfile.Name + `\b`))
			term.Keys("Enter")
			// Typed ahead, the next line could reach the picker, which reads the terminal.
			term.WaitFor(atPrompt(`Profile: ` + otherProfile.Name + `\n`))
			term.Type(`echo "profile=$ASSUME_PROFILE key=$AWS_ACCESS_KEY_ID"`)
			term.Keys("Enter")
			m := term.WaitFor(regexp.MustCompile(`(?m)^profile=(\S*) key=(\S*)\s*$`))
			if m[1] != otherProfile.Name || m[2] != otherProfile.AccessKeyID() {
				t.Errorf("after picking %s: profile=%q key=%q, want %q %q\n%s", otherProfile.Name, m[1], m[2],
					otherProfile.Name, otherProfile.AccessKeyID(), term.Screen())
			}
		})
	}
}

// TestPickerShowsNamesEscaped opens the picker on a real terminal with a profile whose name holds
// ESC[2J: the terminal must show the escape written out, never act on it, and picking still
// gives the real name.
func TestPickerShowsNamesEscaped(t *testing.T) {
	testkit.RequireTool(t, "bash")
	bin.Require(t)
	hostile := shelltest.Profile{Name: "evil\x1b[2Jname", Region: "eu-west-1"}
	env := shelltest.NewEnv(t, &bin, []shelltest.Profile{hostile, otherProfile})
	term := env.StartTerminal(t, interactive["bash"]...)
	term.Type(setPrompt["bash"] + "; echo loaded")
	term.Keys("Enter")
	term.WaitFor(atPrompt(`\nloaded\n`))
	term.Type(`eval "$(assume --format sh)"; printf '<%s>\n' "$ASSUME_PROFILE" | od -c | head -2`)
	term.Keys("Enter")
	term.WaitFor(regexp.MustCompile(`Profile:`))
	screen := term.WaitFor(regexp.MustCompile(`(?m)^.*evil\\x1b\[2Jname.*$`))[0]
	if strings.Contains(term.Screen(), "evilname") {
		t.Errorf("the terminal received the raw escape:\n%s", term.Screen())
	}
	// The hostile name is first in the file: Enter takes it.
	term.Keys("Enter")
	m := term.WaitFor(regexp.MustCompile(`(?m)^0000000\s+<\s+e\s+v\s+i\s+l\s+(\S+)`))
	if m[1] != "033" {
		t.Errorf("picking %q exported a profile name starting %q after evil; picker line %q\n%s", hostile.Name, m[1], screen, term.Screen())
	}
}
