package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/testkit"
	"github.com/assume-cli/assume/shell"
)

// The first minutes of a new user, on a real terminal: the try-it script, the subshell.

// rcLine is the line each shell's start-up file gets to load assume (README's install table).
func rcLine(name string) string {
	s, ok := shell.Lookup(name)
	if !ok || s.RCLine == "" {
		panic("no start-up line for " + name)
	}
	return s.RCLine
}

// prompt is a start-up line that sets a prompt the tests wait for.
var prompt = map[string]string{
	"bash": "PS1='ready> '",
	"zsh":  "PROMPT='ready> '",
	"fish": "function fish_prompt; echo -n 'ready> '; end",
}

// readyWithAssume is a start-up file that sets the prompt the tests wait for and loads assume.
func readyWithAssume(shell string) string { return prompt[shell] + "\n" + rcLine(shell) + "\n" }

// statusOf is how each shell spells the last command's status.
var statusOf = map[string]string{"bash": "$?", "zsh": "$?", "fish": "$status"}

// terminalEnv is the sandbox's environment for a shell on a terminal.
func terminalEnv(s *sandbox, shell string, extra map[string]string) []string {
	env := map[string]string{"TERM": "screen", "ZDOTDIR": s.home, "SHELL": shellPath(shell)}
	for k, v := range extra {
		env[k] = v
	}
	return s.environ(env)
}

func shellPath(shell string) string {
	for _, dir := range []string{"/usr/bin", "/bin"} {
		if p := filepath.Join(dir, shell); fileExists(p) {
			return p
		}
	}
	return shell
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// `assume PROFILE --` opens the user's shell with the credentials; what runs there uses them,
// and the shell's exit status comes back as assume's.
func TestSubshellOnATerminal(t *testing.T) {
	s := newSandbox(t)
	u := createUser(t, "subshell")
	var p profileSet
	p.addUser("work", u, false)
	s.writeProfiles(t, &p)
	for _, shell := range []string{"bash", "zsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			argv := testkit.InteractiveShell(t, shell, s.home, readyWithAssume(shell))
			tm := startTerminal(t, terminalEnv(s, shell, nil), argv)
			tm.waitForText("ready>", 1, time.Minute)
			tm.TypeLine("assume work --")
			tm.waitForText("opening "+shellPath(shell)+" with work's credentials; exit it to return", 1, time.Minute)
			tm.waitForText("ready>", 2, time.Minute)
			tm.TypeLine(`aws sts get-caller-identity --query Account --output text; echo "inner=$ASSUME_PROFILE"`)
			tm.waitForText("inner=work", 1, time.Minute)
			tm.TypeLine("exit 3")
			tm.TypeLine("echo outer=" + statusOf[shell])
			h := tm.waitForText("outer=3", 1, time.Minute)
			if !regexp.MustCompile(`\n\d{12}\s*\n`).MatchString(h) {
				t.Fatalf("aws sts get-caller-identity printed no account inside the subshell:\n%s", h)
			}
			if strings.Contains(h, u.SecretAccessKey) {
				t.Fatal("the secret key reached the terminal")
			}
		})
	}
}

// scripts/try.sh on a terminal, as a new user of each shell runs it: the walk-through in the
// user's kind of shell (statements with an explicit format, the wrapper exporting by itself,
// completion, the picker), then --shell opens that shell with the wrapper and the profiles.
func TestTryScriptOnATerminal(t *testing.T) {
	bin := requireAssume(t)
	for _, tool := range []string{"moto_server", "aws", "oathtool", "python3"} {
		testkit.RequireTool(t, tool)
	}
	script, err := filepath.Abs("../scripts/try.sh")
	if err != nil {
		t.Fatal(err)
	}
	for _, shell := range []string{"bash", "zsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			home := t.TempDir()
			env := []string{
				"PATH=" + os.Getenv("PATH"), "HOME=" + home, "TMPDIR=" + t.TempDir(),
				"LANG=C.UTF-8", "TERM=screen", "ASSUME_BIN=" + bin, "SHELL=" + shellPath(shell),
				"ZDOTDIR=" + home,
			}
			env = append(env, pyenvVars()...)
			argv := testkit.InteractiveShell(t, shell, home, prompt[shell]+"\n")
			tm := startTerminal(t, env, argv)
			tm.waitForText("ready>", 1, time.Minute)
			tm.TypeLine("bash " + script + " --shell")

			// The picker: type to filter, Enter to choose; the wrapper exports the choice.
			tm.waitForText("Profile:", 1, 5*time.Minute)
			tm.Type("demo-role")
			tm.waitFor("the list filtered to demo-role", time.Minute, func(h string) bool { return strings.Contains(tm.Screen(), "> demo-role") })
			tm.Keys("Enter")
			tm.waitForText("picked demo-role", 1, time.Minute)

			// --shell: the user's kind of shell with the wrapper and completion loaded.
			tm.waitForText("type exit to clean up", 1, 2*time.Minute)
			time.Sleep(500 * time.Millisecond) // the shell draws its prompt; typing earlier is fine too
			tm.Type("assume demo-r")
			tm.Keys("Tab")
			tm.waitFor("Tab to complete demo-role", time.Minute, func(string) bool {
				return strings.HasSuffix(strings.TrimSpace(tm.CursorLine()), "assume demo-role")
			})
			tm.Keys("Enter")
			tm.waitForText("assume: demo-role (", 2, time.Minute)
			tm.TypeLine("aws sts get-caller-identity --query Arn --output text")
			tm.waitFor("the role's identity in the sandbox shell", time.Minute, func(h string) bool {
				return strings.Count(h, "assumed-role/demo-role/") >= 3
			})
			tm.TypeLine("exit")
			h := tm.waitForText("done; cleaning up", 1, time.Minute)

			format := map[string]string{"bash": "export AWS_ACCESS_KEY_ID=", "zsh": "export AWS_ACCESS_KEY_ID=", "fish": "set -gx AWS_ACCESS_KEY_ID "}[shell]
			for _, want := range []string{
				"$ assume demo-user -m ", "--format " + shell, format,
				"  " + rcLine(shell),
				"$ assume demo-role", "$ assume --list-profiles", "$ assume -l",
				"$ assume demo-role -- aws sts get-caller-identity",
			} {
				if !strings.Contains(h, want) {
					t.Errorf("the walk-through lacks %q", want)
				}
			}
			if strings.Contains(h, "failed (exit") || strings.Contains(h, "not printed to a terminal") {
				t.Errorf("a step of the walk-through failed")
			}
			if t.Failed() {
				t.Logf("terminal:\n%s", h)
			}
			if m := regexp.MustCompile(`sandbox: (\S+)`).FindStringSubmatch(h); m == nil {
				t.Errorf("try.sh did not say where its sandbox is")
			} else {
				tm.waitFor("the sandbox removed", time.Minute, func(string) bool { return !fileExists(m[1]) })
			}
			if fileExists(filepath.Join(home, ".aws")) {
				t.Errorf("try.sh created ~/.aws")
			}
		})
	}
}

// A wrapper whose program is no longer on PATH (a shell started before `go install`, or an rc
// line that ran assume by its full path) says what to do, in one line, instead of the shell's
// "command not found".
func TestWrapperWithoutProgramOnPath(t *testing.T) {
	bin := requireAssume(t)
	for _, shell := range []string{"bash", "zsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			var script string
			switch shell {
			case "fish":
				script = "'" + bin + "' --init fish | source; set -gx PATH /usr/bin /bin; assume prod; echo rc=$status"
			default:
				script = `eval "$('` + bin + `' --init ` + shell + `)"; PATH=/usr/bin:/bin; assume prod; echo rc=$?`
			}
			argv := append(shellCommand(t, shell), script)
			cmd := exec.Command(argv[0], argv[1:]...)
			cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=/usr/bin:/bin", "LANG=C.UTF-8"}
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			if len(lines) != 2 || lines[1] != "rc=127" ||
				!strings.HasPrefix(lines[0], "assume: the assume program is not on PATH in this shell: add its folder") {
				t.Fatalf("got:\n%s", out)
			}
		})
	}
}
