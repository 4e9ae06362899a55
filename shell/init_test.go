package shell_test

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/assume-cli/assume/completions"
	"github.com/assume-cli/assume/shell"
	"github.com/assume-cli/assume/shell/shelltest"
)

func TestNames(t *testing.T) {
	got := strings.Join(shell.Names(), " ")
	if got != "bash zsh fish powershell" {
		t.Errorf("Names() = %q", got)
	}
	names := shell.Names()
	names[0] = "changed"
	if shell.Names()[0] != "bash" {
		t.Errorf("Names() hands out its own slice")
	}
}

func TestInitIsWrapperThenCompletion(t *testing.T) {
	wrappers := map[string]string{"bash": "assume.sh", "zsh": "assume.sh", "fish": "assume.fish",
		"powershell": "assume.ps1", "pwsh": "assume.ps1"}
	for name, file := range wrappers {
		got, err := shell.Init(name)
		if err != nil {
			t.Fatalf("Init(%q): %v", name, err)
		}
		wrapper, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		completion, err := completions.Script(name)
		if err != nil {
			t.Fatal(err)
		}
		if want := string(wrapper) + string(completion); string(got) != want {
			t.Errorf("Init(%q) is not %s followed by the %s completion", name, file, name)
		}
	}
}

func TestInitUnknownShell(t *testing.T) {
	for _, name := range []string{"", "tcsh", "Bash", "cmd"} {
		out, err := shell.Init(name)
		if err == nil {
			t.Errorf("Init(%q) = %d bytes, want an error", name, len(out))
			continue
		}
		for _, valid := range shell.Names() {
			if !strings.Contains(err.Error(), valid) {
				t.Errorf("Init(%q) error %q does not list %q", name, err, valid)
			}
		}
	}
}

// TestInitParses asks each real shell to parse the whole integration without running it.
func TestInitParses(t *testing.T) {
	for _, tc := range []struct{ shell, flag string }{{"bash", "-n"}, {"zsh", "-n"}, {"fish", "--no-execute"}} {
		t.Run(tc.shell, func(t *testing.T) {
			path := shelltest.RequireTool(t, tc.shell)
			script, err := shell.Init(tc.shell)
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(path, tc.flag)
			cmd.Stdin = bytes.NewReader(script)
			if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
				t.Errorf("%s %s: %v\n%s", tc.shell, tc.flag, err, out)
			}
		})
	}
}

func TestShellcheck(t *testing.T) {
	shellcheck := shelltest.RequireTool(t, "shellcheck")
	// The file as it is in the repository, and the whole of `assume --init bash`.
	if out, err := exec.Command(shellcheck, "assume.sh").CombinedOutput(); err != nil {
		t.Errorf("shellcheck assume.sh: %v\n%s", err, out)
	}
	script, err := shell.Init("bash")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(shellcheck, "--shell=bash", "-")
	cmd.Stdin = bytes.NewReader(script)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("shellcheck of Init(\"bash\"): %v\n%s", err, out)
	}
}

// passThroughFlags is the pass-through rule: with any of these before a `--`, or with a `--`,
// the wrapper runs the binary without evaluating its output.
var passThroughFlags = []string{"-h", "--help", "--version", "-l", "--list", "--list-profiles",
	"--init", "--setup", "--clear-cache", "--format", "-c", "--console", "--console-url"}

// TestPassThroughRuleIsTheSameEverywhere reads the rule out of each wrapper.
func TestPassThroughRuleIsTheSameEverywhere(t *testing.T) {
	want := append([]string{"--"}, passThroughFlags...)
	sort.Strings(want)
	flag := regexp.MustCompile(`'?(--?[a-z][a-z-]*|--)(=\*)?'?`)
	extract := func(file string, block *regexp.Regexp) []string {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		m := block.FindSubmatch(src)
		if m == nil {
			t.Fatalf("%s: the pass-through list was not found", file)
		}
		seen := map[string]bool{}
		for _, f := range flag.FindAllStringSubmatch(string(m[1]), -1) {
			seen[f[1]] = true
		}
		var flags []string
		for f := range seen {
			flags = append(flags, f)
		}
		sort.Strings(flags)
		return flags
	}
	got := map[string][]string{
		"assume.sh":   extract("assume.sh", regexp.MustCompile(`(?s)case \$__assume_arg in\n(.*?)\)\n`)),
		"assume.fish": extract("assume.fish", regexp.MustCompile(`(?s)switch \$__assume_arg\n\s*case -- (.*?)\n\s*command assume`)),
	}
	ps := extract("assume.ps1", regexp.MustCompile(`(?s)\$passThroughFlags = (.*?)\n\s*#`))
	got["assume.ps1"] = append(ps, "--") // a '--' is handled apart in PowerShell
	sort.Strings(got["assume.ps1"])
	for file, flags := range got {
		if strings.Join(flags, " ") != strings.Join(want, " ") {
			t.Errorf("%s passes through %v, want %v", file, flags, want)
		}
	}
	// The --format=… and --init=… forms count too.
	for _, file := range []string{"assume.sh", "assume.fish", "assume.ps1"} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, form := range []string{"--format=", "--init="} {
			if !bytes.Contains(src, []byte(form)) {
				t.Errorf("%s does not pass %s… through", file, form)
			}
		}
	}
}

// TestPowerShellWrapper checks what can be checked without pwsh, which cannot be installed here.
func TestPowerShellWrapper(t *testing.T) {
	script, err := shell.Init("powershell")
	if err != nil {
		t.Fatal(err)
	}
	src := string(script)
	mustContainInOrder(t, src,
		// The function shadows the binary, so it calls the application found on PATH.
		"function assume {",
		"Get-Command -Name assume -CommandType Application",
		// Pass-through runs the binary without capturing anything.
		"if ($passThrough) {",
		"& $assumeApp @assumeArgs",
		"return",
		// Otherwise: the format made explicit, stdout captured, evaluated only on success.
		"$assumeOut = & $assumeApp --format powershell @assumeArgs",
		"if ($LASTEXITCODE -ne 0) {",
		"return",
		"Invoke-Expression -Command ($assumeOut | Out-String)",
		// Then the completion.
		"Register-ArgumentCompleter -Native -CommandName assume -ScriptBlock {",
		"param($wordToComplete, $commandAst, $cursorPosition)",
		"--list-profiles",
	)
	if strings.Contains(src, "2>&1") {
		t.Errorf("the PowerShell integration merges stderr into what it captures")
	}
	for _, name := range []string{"pwsh"} {
		alias, err := shell.Init(name)
		if err != nil || !bytes.Equal(alias, script) {
			t.Errorf("Init(%q) differs from Init(\"powershell\") (err %v)", name, err)
		}
	}
	checkPowerShellBalanced(t, "Init(powershell)", src)
}

func mustContainInOrder(t *testing.T, src string, parts ...string) {
	t.Helper()
	rest := src
	for _, part := range parts {
		i := strings.Index(rest, part)
		if i < 0 {
			t.Fatalf("%q is missing, or not after what comes before it", part)
		}
		rest = rest[i+len(part):]
	}
}

// checkPowerShellBalanced tokenizes PowerShell source just enough to find its strings and
// comments, and checks that braces, parentheses and brackets outside them pair up.
func checkPowerShellBalanced(t *testing.T, name, src string) {
	t.Helper()
	var stack []rune
	line := 1
	closing := map[rune]rune{')': '(', '}': '{', ']': '['}
	rs := []rune(src)
	isSingleQuote := func(r rune) bool { return r == '\'' || (r >= '\u2018' && r <= '\u201B') }
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\n':
			line++
		case r == '#':
			for i < len(rs) && rs[i] != '\n' {
				i++
			}
			i--
		case r == '`':
			i++ // escapes the next character
		case isSingleQuote(r):
			start := line
			for i++; ; i++ {
				if i >= len(rs) {
					t.Fatalf("%s: single-quoted string from line %d never ends", name, start)
				}
				if rs[i] == '\n' {
					line++
				}
				if isSingleQuote(rs[i]) {
					if i+1 < len(rs) && isSingleQuote(rs[i+1]) {
						i++
						continue
					}
					break
				}
			}
		case r == '"':
			start := line
			for i++; ; i++ {
				if i >= len(rs) {
					t.Fatalf("%s: double-quoted string from line %d never ends", name, start)
				}
				if rs[i] == '\n' {
					line++
				}
				if rs[i] == '`' {
					i++
					continue
				}
				if rs[i] == '"' {
					if i+1 < len(rs) && rs[i+1] == '"' {
						i++
						continue
					}
					break
				}
			}
		case r == '(' || r == '{' || r == '[':
			stack = append(stack, r)
		case closing[r] != 0:
			if len(stack) == 0 || stack[len(stack)-1] != closing[r] {
				t.Fatalf("%s: unmatched %q on line %d", name, r, line)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 {
		t.Fatalf("%s: %d brackets left open (%q)", name, len(stack), string(stack))
	}
}

// TestPowerShellValueFlags: PowerShell drops a bare `--`, so its wrapper counts positional words
// to put it back, skipping flag values; its list of flags with a value must match --help.
func TestPowerShellValueFlags(t *testing.T) {
	bin.Require(t)
	env := shelltest.NewEnv(t, &bin, nil)
	want := strings.Join(shelltest.ValueFlags(env.HelpFlags(t)), " ")
	src, err := os.ReadFile("assume.ps1")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)\$valueFlags = (.*?)\n\n`).FindSubmatch(src)
	if m == nil {
		t.Fatal("assume.ps1: $valueFlags not found")
	}
	if got := strings.Join(shelltest.FlagsIn(string(m[1])), " "); got != want {
		t.Errorf("assume.ps1: flags with a value\n got  %s\n want %s (from --help)", got, want)
	}
}
