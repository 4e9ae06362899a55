package completions_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/assume-cli/assume/completions"
	"github.com/assume-cli/assume/internal/console"
	"github.com/assume-cli/assume/internal/testkit"
	"github.com/assume-cli/assume/shell/shelltest"
)

var bin testkit.Binary

func TestMain(m *testing.M) {
	os.Exit(testkit.Main(m, &bin))
}

// profiles has names with every character users put in profile names.
var profiles = []shelltest.Profile{
	{Name: "prod"}, {Name: "prod-eu"}, {Name: "prod.us"}, {Name: "prod_admin"},
	{Name: "prod@corp"}, {Name: "prod:readonly"}, {Name: "preview"}, {Name: "dev"},
	{Name: "dev:admin"}, {Name: "staging", Region: "eu-west-1"},
}

var formats = []string{"bash", "zsh", "fish", "powershell", "pwsh", "sh", "dotenv", "json", "credential-process"}

// completer asks one real shell what it offers for a command line.
type completer struct {
	shell string
	// complete returns what the shell offers for line, sorted. For bash it is what readline
	// would insert: the text after the last COMP_WORDBREAKS character of the word.
	complete func(t *testing.T, env *shelltest.Env, line string) []string
}

var completers = []completer{
	{"bash", bashComplete},
	{"zsh", zshComplete},
	{"fish", fishComplete},
}

func newEnv(t *testing.T, shell string, ps []shelltest.Profile) *shelltest.Env {
	t.Helper()
	testkit.RequireTool(t, shell)
	bin.Require(t)
	env := shelltest.NewEnv(t, &bin, ps)
	env.RequireListProfiles(t)
	return env
}

// bashWordBreaks is bash's default COMP_WORDBREAKS.
const bashWordBreaks = " \t\n\"'@><=;|&(:"

// bashWords splits line as bash does before completion: at blanks, and around every run of
// COMP_WORDBREAKS characters, which become words of their own.
func bashWords(line, breaks string) []string {
	words := []string{""}
	lastKind := 0 // 0 blank, 1 word, 2 break characters
	for _, r := range line {
		kind := 1
		if strings.ContainsRune(" \t\n", r) {
			kind = 0
		} else if strings.ContainsRune(breaks, r) {
			kind = 2
		}
		switch {
		case kind == 0:
			if words[len(words)-1] != "" {
				words = append(words, "")
			}
		case kind != lastKind && words[len(words)-1] != "":
			words = append(words, string(r))
		default:
			words[len(words)-1] += string(r)
		}
		lastKind = kind
	}
	return words
}

// readlineWord is the text readline replaces, which bash passes to the completion function as
// $2: from the last break character (excluded, but for @ and $, which readline keeps) to the end.
func readlineWord(line, breaks string) string {
	i := strings.LastIndexAny(line, " \t\n"+breaks)
	if i >= 0 && strings.ContainsRune("@$", rune(line[i])) && strings.ContainsRune(breaks, rune(line[i])) {
		return line[i:]
	}
	return line[i+1:]
}

// bashQuote quotes s for a bash script.
func bashQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// bashCompleteWith runs the completion function as bash's programmable completion would,
// with COMP_WORDS split at breaks, and returns COMPREPLY sorted.
func bashCompleteWith(t *testing.T, env *shelltest.Env, line, breaks, extra string) []string {
	t.Helper()
	words := bashWords(line, breaks)
	var quoted []string
	for _, w := range words {
		quoted = append(quoted, bashQuote(w))
	}
	script := strings.Join([]string{
		"set -euo pipefail",
		`eval "$(assume --init bash)"`,
		extra,
		"COMP_WORDBREAKS=" + bashQuote(breaks),
		"COMP_LINE=" + bashQuote(line),
		fmt.Sprintf("COMP_POINT=%d", len(line)),
		"COMP_WORDS=(" + strings.Join(quoted, " ") + ")",
		fmt.Sprintf("COMP_CWORD=%d", len(words)-1),
		// The function bash would call: the one `complete -p assume` names.
		`spec=$(complete -p assume)`,
		`[[ $spec =~ -F\ ([^ ]+) ]] || { echo "no completion function: $spec" >&2; exit 1; }`,
		`"${BASH_REMATCH[1]}" assume ` + bashQuote(readlineWord(line, breaks)) + ` "${COMP_WORDS[COMP_CWORD-1]-}"`,
		`for r in ${COMPREPLY[@]+"${COMPREPLY[@]}"}; do printf '<%s>\n' "$r"; done`,
	}, "\n")
	res := env.Run(t, testkit.CleanShell("bash", "-c", script)...)
	if res.ExitCode != 0 {
		t.Fatalf("bash completion of %q: exit %d\n%s", line, res.ExitCode, res.Stderr)
	}
	return replies(res.Stdout, regexp.MustCompile(`(?m)^<(.*)>$`))
}

func bashComplete(t *testing.T, env *shelltest.Env, line string) []string {
	return bashCompleteWith(t, env, line, bashWordBreaks, "")
}

func replies(out string, re *regexp.Regexp) []string {
	seen := map[string]bool{}
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		seen[m[1]] = true
	}
	got := make([]string, 0, len(seen))
	for r := range seen {
		got = append(got, r)
	}
	sort.Strings(got)
	return got
}

func fishComplete(t *testing.T, env *shelltest.Env, line string) []string {
	t.Helper()
	script := "assume --init fish | source\n" +
		"complete -C " + fishQuote(line) + " | string replace -r '\\t.*' '' | string replace -r '^(.*)$' '<$1>'\n" +
		"exit 0\n"
	res := env.Run(t, testkit.CleanShell("fish", "-c", script)...)
	if res.ExitCode != 0 || res.Stderr != "" {
		t.Fatalf("fish completion of %q: exit %d\n%s", line, res.ExitCode, res.Stderr)
	}
	return replies(res.Stdout, regexp.MustCompile(`(?m)^<(.*)>$`))
}

func fishQuote(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `'`, `\'`) + "'"
}

// zshSetup is sourced by the zsh in the pseudo-terminal: it loads the completion system and the
// integration (zshLoad, unless told otherwise), prints every match the completion adds and marks
// the end of a completion.
const zshSetup = `PS1='' PROMPT='' RPROMPT=''
%s
compadd() {
  # Calls that only ask which words match are internal: no match is offered by them.
  if (( ${@[(I)-[OAD]*]} )); then
    builtin compadd "$@"
    return
  fi
  local -a assume_test_matches
  builtin compadd -O assume_test_matches "$@"
  local m
  for m in "${assume_test_matches[@]}"; do
    print -r -- "<<m:${m}:m>>"
  done
  builtin compadd "$@"
}
assume_test_done() { print -r -- '<<done>>' }
comppostfuncs=(assume_test_done)
print -r -- '<<'ready'>>'
`

// zshLoad is how users load the integration: compinit in their .zshrc, then the eval.
const zshLoad = `autoload -Uz compinit && compinit -u -D
eval "$(assume --init zsh)"
`

func zshCompleteWith(t *testing.T, env *shelltest.Env, line, extra string) []string {
	t.Helper()
	return zshCompleteLoaded(t, env, line, zshLoad+extra)
}

// zshCompleteLoaded is zshCompleteWith with load instead of zshLoad.
func zshCompleteLoaded(t *testing.T, env *shelltest.Env, line, load string) []string {
	t.Helper()
	driver, err := filepath.Abs(filepath.Join("testdata", "zsh-complete.zsh"))
	if err != nil {
		t.Fatal(err)
	}
	setup := env.WriteFile(t, "zsh-setup.zsh", fmt.Sprintf(zshSetup, load))
	res := env.Run(t, "zsh", "-f", driver, setup, line)
	if res.ExitCode != 0 || !strings.Contains(res.Stdout, "<<done>>") {
		t.Fatalf("zsh completion of %q: exit %d\nstdout:\n%s\nstderr:\n%s", line, res.ExitCode, res.Stdout, res.Stderr)
	}
	return replies(res.Stdout, regexp.MustCompile(`<<m:(.*?):m>>`))
}

func zshComplete(t *testing.T, env *shelltest.Env, line string) []string {
	return zshCompleteWith(t, env, line, "")
}

func sorted(words []string) []string {
	out := append([]string(nil), words...)
	sort.Strings(out)
	return out
}

func expectWords(t *testing.T, line string, got, want []string) {
	t.Helper()
	want = sorted(want)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("completing %q:\n got  %q\n want %q", line, got, want)
	}
}

// afterLastBreak is what bash's readline inserts for a match: the part from readlineWord on.
func afterLastBreak(word, typed string) string {
	return word[len(typed)-len(readlineWord(typed, bashWordBreaks)):]
}

// expectCompletions checks line against the candidates whose full text starts with typed.
func expectCompletions(t *testing.T, c completer, env *shelltest.Env, line, typed string, candidates []string) {
	t.Helper()
	var want []string
	for _, w := range candidates {
		if strings.HasPrefix(w, typed) {
			if c.shell == "bash" {
				w = afterLastBreak(w, typed)
			}
			want = append(want, w)
		}
	}
	if len(want) == 0 {
		t.Fatalf("test bug: nothing in %q starts with %q", candidates, typed)
	}
	expectWords(t, line, c.complete(t, env, line), want)
}

func TestCompleteProfiles(t *testing.T) {
	for _, c := range completers {
		t.Run(c.shell, func(t *testing.T) {
			env := newEnv(t, c.shell, profiles)
			names := env.Names("")
			for _, typed := range []string{"pr", "prod", "prod-", "prod.", "prod_", "prod@", "prod:", "prod:r", "dev:", "s", ""} {
				expectCompletions(t, c, env, "assume "+typed, typed, names)
			}
			// After flags and their values too.
			expectCompletions(t, c, env, "assume -r eu-west-1 --refresh pr", "pr", names)
			// One profile at most.
			if got := c.complete(t, env, "assume prod pr"); len(got) > 0 {
				t.Errorf("completing a second profile: got %q, want nothing", got)
			}
		})
	}
}

func TestCompleteManyProfiles(t *testing.T) {
	var many []shelltest.Profile
	for i := range 5000 {
		many = append(many, shelltest.Profile{Name: fmt.Sprintf("team-%04d", i)})
	}
	for _, c := range completers {
		t.Run(c.shell, func(t *testing.T) {
			env := newEnv(t, c.shell, many)
			names := env.Names("")
			for _, typed := range []string{"team-12", "team-4999"} {
				expectCompletions(t, c, env, "assume "+typed, typed, names)
			}
		})
	}
}

// helpFlags reads the flags the binary documents in --help, short and long.
func helpFlags(t *testing.T, env *shelltest.Env) []string {
	t.Helper()
	var flags []string
	for _, f := range env.HelpFlags(t) {
		if f.Short != "" {
			flags = append(flags, f.Short)
		}
		flags = append(flags, f.Long)
	}
	return flags
}

func TestCompleteFlags(t *testing.T) {
	for _, c := range completers {
		t.Run(c.shell, func(t *testing.T) {
			env := newEnv(t, c.shell, profiles)
			got := c.complete(t, env, "assume -")
			offered := map[string]bool{}
			for _, f := range got {
				if !strings.HasPrefix(f, "-") {
					t.Errorf("completing flags offered %q", f)
				}
				offered[f] = true
			}
			for _, f := range helpFlags(t, env) {
				if !offered[f] {
					t.Errorf("assume - does not offer %s (from --help); offered %q", f, got)
				}
			}
			if offered["--list-profiles"] {
				t.Errorf("the hidden --list-profiles is offered")
			}
			expectWords(t, "assume --for", c.complete(t, env, "assume --for"), []string{"--format"})
			expectWords(t, "assume prod --ref", c.complete(t, env, "assume prod --ref"), []string{"--refresh"})
		})
	}
}

func TestCompleteFlagValues(t *testing.T) {
	for _, c := range completers {
		t.Run(c.shell, func(t *testing.T) {
			env := newEnv(t, c.shell, profiles)
			expectCompletions(t, c, env, "assume --format ", "", formats)
			expectCompletions(t, c, env, "assume prod --format p", "p", formats)
			expectCompletions(t, c, env, "assume --init ", "", []string{"bash", "zsh", "fish", "powershell"})
			expectCompletions(t, c, env, "assume -r eu-west-", "eu-west-", []string{"eu-west-1", "eu-west-2", "eu-west-3"})
			// The --flag=value form: fish offers the whole word; bash inserts what follows the
			// "=", and the matches zsh adds leave the "--format=" out too.
			var want []string
			for _, f := range formats {
				if strings.HasPrefix(f, "c") {
					want = append(want, f)
				}
			}
			got := c.complete(t, env, "assume --format=c")
			if c.shell == "fish" {
				for i := range want {
					want[i] = "--format=" + want[i]
				}
			}
			expectWords(t, "assume --format=c", got, want)
		})
	}
}

// TestCompleteBashWithoutWordBreaks covers a COMP_WORDBREAKS without = : and @, as some users
// set it: bash then replaces the whole word, so the replies are whole.
func TestCompleteBashWithoutWordBreaks(t *testing.T) {
	env := newEnv(t, "bash", profiles)
	for _, tc := range []struct{ line, typed string }{{"assume prod:", "prod:"}, {"assume prod@", "prod@"}, {"assume pr", "pr"}} {
		got := bashCompleteWith(t, env, tc.line, " \t\n\"'><;|&(", "")
		expectWords(t, tc.line, got, env.Names(tc.typed))
	}
	got := bashCompleteWith(t, env, "assume --format=j", " \t\n\"'><;|&(", "")
	expectWords(t, "assume --format=j", got, []string{"--format=json"})
}

// TestCompleteCommandAfterDashDash: after `assume PROFILE --`, the command's own completion.
func TestCompleteCommandAfterDashDash(t *testing.T) {
	t.Run("bash", func(t *testing.T) {
		env := newEnv(t, "bash", profiles)
		// Without bash-completion: command names, then file names.
		got := bashComplete(t, env, "assume prod -- ech")
		if !contains(got, "echo") || contains(got, "prod") {
			t.Errorf("assume prod -- ech: got %q, want commands such as echo", got)
		}
		env.WriteFile(t, "some-file.txt", "")
		if got := bashComplete(t, env, "assume prod -- cat some-f"); !contains(got, "some-file.txt") {
			t.Errorf("assume prod -- cat some-f: got %q, want some-file.txt", got)
		}
		// With bash-completion: its _command_offset, given the index of the command word.
		fake := `_command_offset() { COMPREPLY=("offset=$1" "words=${COMP_WORDS[*]}"); }`
		got = bashCompleteWith(t, env, "assume -r eu-west-1 prod -- git chec", bashWordBreaks, fake)
		expectWords(t, "with _command_offset", got, []string{"offset=5", "words=assume -r eu-west-1 prod -- git chec"})
	})
	t.Run("zsh", func(t *testing.T) {
		env := newEnv(t, "zsh", profiles)
		fake := `_fake_tool() { compadd alpha-one alpha-two beta }
fake-tool() { :; }
compdef _fake_tool fake-tool`
		expectWords(t, "zsh", zshCompleteWith(t, env, "assume prod -- fake-tool al", fake), []string{"alpha-one", "alpha-two"})
		if got := zshComplete(t, env, "assume prod -- ech"); !contains(got, "echo") || contains(got, "prod") {
			t.Errorf("assume prod -- ech: got %q, want commands such as echo", got)
		}
	})
	t.Run("fish", func(t *testing.T) {
		env := newEnv(t, "fish", profiles)
		script := "assume --init fish | source\n" +
			"complete -c fake-tool -f -a 'alpha-one alpha-two beta'\n" +
			"complete -C 'assume prod -- fake-tool al' | string replace -r '\\t.*' '' | string replace -r '^(.*)$' '<$1>'\n"
		res := env.Run(t, testkit.CleanShell("fish", "-c", script)...)
		expectWords(t, "fish", replies(res.Stdout, regexp.MustCompile(`(?m)^<(.*)>$`)), []string{"alpha-one", "alpha-two"})
		if got := fishComplete(t, env, "assume prod -- ech"); !contains(got, "echo") || contains(got, "--format") {
			t.Errorf("assume prod -- ech: got %q, want commands such as echo", got)
		}
	})
}

func contains(words []string, w string) bool {
	for _, x := range words {
		if x == w {
			return true
		}
	}
	return false
}

func TestFilesAreTheScripts(t *testing.T) {
	for _, file := range []string{"assume.bash", "_assume", "assume.fish", "assume.ps1"} {
		got, err := completions.Files.ReadFile(file)
		if err != nil {
			t.Fatalf("%s is not embedded: %v", file, err)
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("the embedded %s differs from the file", file)
		}
	}
}

func TestShellcheck(t *testing.T) {
	shellcheck := testkit.RequireTool(t, "shellcheck")
	if out, err := exec.Command(shellcheck, "assume.bash").CombinedOutput(); err != nil {
		t.Errorf("shellcheck assume.bash: %v\n%s", err, out)
	}
}

// TestScriptsAgree checks that the four scripts offer the same flags, formats and regions: the
// lists are written out in each shell's language. (The shells' tests check the flags against
// the binary's --help; PowerShell's only through this.)
func TestScriptsAgree(t *testing.T) {
	region := regexp.MustCompile(`\b(?:[a-z]{2}|us-gov)-[a-z]+-\d\b`)
	// Where each script lists its flags.
	flagLists := map[string]*regexp.Regexp{
		"assume.bash": regexp.MustCompile(`(?s)local flags='(.*?)'`),
		"_assume":     regexp.MustCompile(`(?s)_arguments : (.*?)\n\n`),
		"assume.ps1":  regexp.MustCompile(`(?s)\$flags = (.*?)\n\s*#`),
	}
	fishFlag := regexp.MustCompile(`(?m)^complete -c assume .*?\s-([sl]) ([a-z][a-z-]*)(?: -l ([a-z][a-z-]*))?`)
	sets := map[string]map[string]bool{}
	regionSets := map[string]string{}
	for _, file := range []string{"assume.bash", "_assume", "assume.fish", "assume.ps1"} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		regions := region.FindAllString(string(src), -1)
		sort.Strings(regions)
		regionSets[file] = strings.Join(regions, " ")
		flags := map[string]bool{}
		if file == "assume.fish" {
			for _, m := range fishFlag.FindAllStringSubmatch(string(src), -1) {
				if m[1] == "s" {
					flags["-"+m[2]] = true
				} else {
					flags["--"+m[2]] = true
				}
				if m[3] != "" {
					flags["--"+m[3]] = true
				}
			}
		} else {
			m := flagLists[file].FindSubmatch(src)
			if m == nil {
				t.Fatalf("%s: the list of flags was not found", file)
			}
			for _, f := range shelltest.FlagsIn(string(m[1])) {
				flags[f] = true
			}
		}
		sets[file] = flags
	}
	if regionSets["assume.bash"] == "" {
		t.Fatal("no region found in assume.bash")
	}
	for file, regions := range regionSets {
		if regions != regionSets["assume.bash"] {
			t.Errorf("%s completes other regions than assume.bash:\n%s\n%s", file, regions, regionSets["assume.bash"])
		}
	}
	// Every flag of the contract (docs/cli.md) is offered by each script.
	cliFlags := []string{"-m", "--mfa-token", "--format", "--mfa-process", "-d", "--duration",
		"--session-duration", "-r", "--region", "--role-arn", "--external-id", "--session-name",
		"--no-session", "--refresh", "-u", "--unset", "-l", "--list", "--init", "--write-profile",
		"--setup", "--qr-file", "--clear-cache", "--version", "-h", "--help"}
	for file, flags := range sets {
		for _, f := range cliFlags {
			if !flags[f] {
				t.Errorf("%s does not offer %s", file, f)
			}
		}
		for f := range sets["assume.bash"] {
			if !flags[f] {
				t.Errorf("%s does not offer %s, which assume.bash offers", file, f)
			}
		}
		for f := range flags {
			if !sets["assume.bash"][f] {
				t.Errorf("%s offers %s, which assume.bash does not", file, f)
			}
		}
	}
	for file := range sets {
		src, _ := os.ReadFile(file)
		for _, f := range formats {
			if !bytes.Contains(src, []byte(f)) {
				t.Errorf("%s does not offer the format %s", file, f)
			}
		}
	}
}

// TestValueFlags checks each script's list of the flags followed by a value (whose value is
// not taken for a profile) against the flags --help shows as --name=VALUE.
func TestValueFlags(t *testing.T) {
	bin.Require(t)
	env := shelltest.NewEnv(t, &bin, profiles)
	want := strings.Join(shelltest.ValueFlags(env.HelpFlags(t)), " ")
	lists := map[string]*regexp.Regexp{
		"assume.bash": regexp.MustCompile(`(?s)local value_flags='(.*?)'`),
		"assume.fish": regexp.MustCompile(`(?s)switch \$token\n\s*case (.*?)\n\s*set skip_value 1`),
		"assume.ps1":  regexp.MustCompile(`(?s)\$valueFlags = (.*?)\n\n`),
	}
	for file, re := range lists {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		m := re.FindSubmatch(src)
		if m == nil {
			t.Fatalf("%s: the list of flags with a value was not found", file)
		}
		if got := strings.Join(shelltest.FlagsIn(string(m[1])), " "); got != want {
			t.Errorf("%s: flags with a value\n got  %s\n want %s (from --help)", file, got, want)
		}
	}
	// zsh: the _arguments specs say it, -m+ or --name=.
	src, err := os.ReadFile("_assume")
	if err != nil {
		t.Fatal(err)
	}
	var zsh []string
	for _, m := range regexp.MustCompile(`(?:^|[{,'\s])(--?[a-z][a-z0-9-]*)[+=]`).FindAllStringSubmatch(string(src), -1) {
		zsh = append(zsh, m[1])
	}
	sort.Strings(zsh)
	if got := strings.Join(zsh, " "); got != want {
		t.Errorf("_assume: flags with a value\n got  %s\n want %s (from --help)", got, want)
	}
}

// TestCompleteZshLoading covers the other ways zsh users load a completion: the eval placed
// before compinit runs (registered at the first prompt), and _assume as an autoloaded file
// of $fpath, as packages install it.
func TestCompleteZshLoading(t *testing.T) {
	env := newEnv(t, "zsh", profiles)
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	loads := map[string]string{
		"eval before compinit": `eval "$(assume --init zsh)"
autoload -Uz compinit && compinit -u -D
`,
		"fpath": `fpath=(` + dir + ` $fpath)
autoload -Uz compinit && compinit -u -D
`,
	}
	for name, load := range loads {
		t.Run(name, func(t *testing.T) {
			expectWords(t, "assume pr", zshCompleteLoaded(t, env, "assume pr", load), env.Names("pr"))
			expectWords(t, "assume --format j", zshCompleteLoaded(t, env, "assume --format j", load), []string{"json"})
		})
	}
}

// TestCompleteServices: -s/--service completes the service names the binary knows, in every
// shell, and each script lists exactly those.
func TestCompleteServices(t *testing.T) {
	want := console.ServiceNames()
	lists := map[string]*regexp.Regexp{
		"assume.bash": regexp.MustCompile(`(?s)local services='(.*?)'`),
		"_assume":     regexp.MustCompile(`(?s)services=\((.*?)\)`),
		"assume.fish": regexp.MustCompile(`(?s)-l service .*?-a '(.*?)'`),
		"assume.ps1":  regexp.MustCompile(`(?s)\$services = (.*?)\n\n`),
	}
	for file, re := range lists {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		m := re.FindSubmatch(src)
		if m == nil {
			t.Fatalf("%s: the list of services was not found", file)
		}
		got := strings.Fields(strings.NewReplacer("'", " ", ",", " ").Replace(string(m[1])))
		sort.Strings(got)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s completes the services\n%v\nwant the binary's\n%v", file, got, want)
		}
	}
	var cloud []string
	for _, s := range want {
		if strings.HasPrefix(s, "clo") {
			cloud = append(cloud, s)
		}
	}
	for _, c := range completers {
		t.Run(c.shell, func(t *testing.T) {
			env := newEnv(t, c.shell, profiles)
			expectWords(t, "assume prod -s clo", c.complete(t, env, "assume prod -s clo"), cloud)
			expectWords(t, "assume --service s", c.complete(t, env, "assume --service s"), []string{"s3", "secretsmanager", "sns", "sqs", "ssm", "sso", "stepfunctions"})
			expectWords(t, "assume prod --con", c.complete(t, env, "assume prod --con"), []string{"--console", "--console-url"})
		})
	}
}
