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
	"github.com/assume-cli/assume/internal/render"
	"github.com/assume-cli/assume/internal/testkit"
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
	files := map[string][2]string{"bash": {"assume.sh", "assume.bash"}, "zsh": {"assume.sh", "_assume"},
		"fish": {"assume.fish", "assume.fish"}, "powershell": {"assume.ps1", "assume.ps1"}, "pwsh": {"assume.ps1", "assume.ps1"}}
	for name, f := range files {
		got, err := shell.Init(name)
		if err != nil {
			t.Fatalf("Init(%q): %v", name, err)
		}
		wrapper, err := os.ReadFile(f[0])
		if err != nil {
			t.Fatal(err)
		}
		completion, err := os.ReadFile("../completions/" + f[1])
		if err != nil {
			t.Fatal(err)
		}
		if want := string(wrapper) + string(completion); string(got) != want {
			t.Errorf("Init(%q) is not %s followed by completions/%s", name, f[0], f[1])
		}
		s, _ := shell.Lookup(name)
		if !bytes.Equal(s.Wrapper(), wrapper) || !bytes.Equal(s.Completion(), completion) {
			t.Errorf("Lookup(%q) does not hold %s and completions/%s", name, f[0], f[1])
		}
	}
}

// TestEveryCompletionScriptBelongsToAShell: no script in completions/ is left out of the table.
func TestEveryCompletionScriptBelongsToAShell(t *testing.T) {
	entries, err := completions.Files.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, s := range shell.All() {
		if c := s.Completion(); c != nil {
			used[string(c)] = true
		}
	}
	for _, e := range entries {
		b, _ := completions.Files.ReadFile(e.Name())
		if !used[string(b)] {
			t.Errorf("completions/%s belongs to no shell", e.Name())
		}
	}
}

func TestLookupAndFormats(t *testing.T) {
	for name, want := range map[string]render.Format{"bash": render.Bash, "zsh": render.Zsh, "fish": render.Fish,
		"powershell": render.PowerShell, "pwsh": render.PowerShell, "sh": render.Sh,
		"dotenv": render.Dotenv, "json": render.JSON, "credential-process": render.CredentialProcess} {
		if got, err := shell.ParseFormat(name); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	for _, bad := range []string{"", "dash", "Bash", "ksh", "tcsh", "PWSH"} {
		_, err := shell.ParseFormat(bad)
		if err == nil {
			t.Errorf("ParseFormat(%q): no error", bad)
			continue
		}
		for _, name := range append(render.Formats(), "pwsh") {
			if !strings.Contains(err.Error(), name) {
				t.Errorf("ParseFormat(%q) error %q does not list %s", bad, err, name)
			}
		}
	}
	// Every shell's format is a shell format, and every shell format has a shell.
	seen := map[render.Format]bool{}
	for _, s := range shell.All() {
		if !s.Format.IsShell() {
			t.Errorf("%s prints %s, which is no shell format", s.Name, s.Format)
		}
		seen[s.Format] = true
	}
	for _, name := range render.Formats() {
		if f := render.Format(name); f.IsShell() && !seen[f] {
			t.Errorf("no shell evaluates the format %s", f)
		}
	}
	for proc, want := range map[string]string{"dash": "sh", "/bin/ksh": "sh", "-bash": "bash", "PWSH.EXE": "powershell",
		"busybox": "sh", "mksh": "sh"} {
		if s, ok := shell.FromProcess(proc); !ok || s.Name != want {
			t.Errorf("FromProcess(%q) = %q, %v; want %s", proc, s.Name, ok, want)
		}
	}
	if s, ok := shell.FromProcess("tcsh"); ok {
		t.Errorf("FromProcess(tcsh) = %s", s.Name)
	}
}

// TestInitSh: POSIX shells have no integration, and the error says what to do instead.
func TestInitSh(t *testing.T) {
	out, err := shell.Init("sh")
	if err == nil || len(out) > 0 {
		t.Fatalf("Init(sh) = %q, %v; want an error", out, err)
	}
	if !strings.Contains(err.Error(), `eval "$(assume PROFILE)"`) {
		t.Errorf("Init(sh) error %q does not say how to use assume in sh", err)
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
			path := testkit.RequireTool(t, tc.shell)
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
	shellcheck := testkit.RequireTool(t, "shellcheck")
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
	"--init", "--setup", "--clear-cache", "--format", "-c", "--console", "--console-url", "--to-keyring", "--to-file"}

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

// TestPowerShellIndependentParser has the tree-sitter PowerShell grammar read the wrapper, the
// completion script and the whole of `assume --init powershell`: no syntax error may be in them.
// The same parser must find the errors that a dropped quote or brace makes, so that a passing
// parse means something.
func TestPowerShellIndependentParser(t *testing.T) {
	script, err := shell.Init("powershell")
	if err != nil {
		t.Fatal(err)
	}
	wrapper, err := os.ReadFile("assume.ps1")
	if err != nil {
		t.Fatal(err)
	}
	completion, err := os.ReadFile("../completions/assume.ps1")
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string]string{"Init(powershell)": string(script), "assume.ps1": string(wrapper),
		"completions/assume.ps1": string(completion)}
	// Broken copies: the first quote of the pass-through list and of the completion's format
	// list dropped, and the wrapper's last closing brace.
	broken := map[string]string{
		"a dropped quote in the wrapper":   strings.Replace(string(wrapper), "'-h'", "-h'", 1),
		"a dropped quote in the completer": strings.Replace(string(completion), "'bash'", "bash'", 1),
		"a dropped brace":                  string(wrapper[:bytes.LastIndexByte(wrapper, '}')]),
	}
	var names, srcs []string
	for name, src := range sources {
		names, srcs = append(names, name), append(srcs, src)
	}
	for name, src := range broken {
		if src == string(wrapper) || src == string(completion) {
			t.Fatalf("%s: the mutation changed nothing", name)
		}
		names, srcs = append(names, name), append(srcs, src)
	}
	parsed := shelltest.ParsePowerShell(t, srcs...)
	for i, name := range names {
		_, isBroken := broken[name]
		switch {
		case !isBroken && len(parsed[i].Errors) > 0:
			t.Errorf("%s does not parse: %q", name, parsed[i].Errors)
		case isBroken && len(parsed[i].Errors) == 0:
			t.Errorf("the parser finds no error in %s", name)
		}
	}
}

// The README's install table and the shells' own start-up lines (what --init's errors and the
// terminal guidance tell people to add) say the same.
func TestReadmeInstallTableMatchesShells(t *testing.T) {
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\s*\\| (bash|zsh|fish|PowerShell) \\| `(.*)` \\| `(.*)` \\|$")
	rows := row.FindAllStringSubmatch(string(raw), -1)
	if len(rows) != 4 {
		t.Fatalf("README's install table has %d rows for bash, zsh, fish and PowerShell, want 4", len(rows))
	}
	for _, m := range rows {
		s, ok := shell.Lookup(strings.ToLower(m[1]))
		if !ok {
			t.Fatalf("no shell %q", m[1])
		}
		if line := strings.ReplaceAll(m[2], `\|`, "|"); line != s.RCLine || m[3] != s.RCFile {
			t.Errorf("README says %q in %s for %s; the shell table says %q in %s", line, m[3], m[1], s.RCLine, s.RCFile)
		}
	}
}
