package shell_test

import (
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/assume-cli/assume/internal/testkit"
	"github.com/assume-cli/assume/shell/shelltest"
)

var bin testkit.Binary

func TestMain(m *testing.M) {
	os.Exit(testkit.Main(m, &bin))
}

var (
	staticProfile = shelltest.Profile{Name: "static-profile", Region: "eu-west-1"}
	otherProfile  = shelltest.Profile{Name: "other", Region: "us-east-2"}
)

// dialect is what differs between the shells in the scripts the tests run.
type dialect struct {
	name string
	// argv runs a script.
	argv func(script string) []string
	// loadFile and loadEval load the integration from the file $ASSUME_INIT (as an rc file
	// does) or from the binary's output.
	loadFile, loadEval string
	// options is put before loading: strict settings users have in their rc files.
	options string
	// set assigns and exports a variable.
	set func(name, value string) string
	// run runs a command and prints its status without tripping any errexit option.
	run func(cmd string) string
	// varNames prints the names of every shell variable, one a line.
	varNames string
}

func posixSet(name, value string) string { return "export " + name + "='" + value + "'" }

var dialects = []dialect{
	{
		name:     "bash",
		argv:     func(s string) []string { return testkit.CleanShell("bash", "-c", s) },
		loadFile: `source "$ASSUME_INIT"`,
		loadEval: `eval "$(assume --init bash)"`,
		options:  "set -euo pipefail",
		set:      posixSet,
		run:      func(c string) string { return "st=0; " + c + " || st=$?; echo status=$st" },
		varNames: "compgen -v",
	},
	{
		name:     "zsh",
		argv:     func(s string) []string { return testkit.CleanShell("zsh", "-c", s) },
		loadFile: `source "$ASSUME_INIT"`,
		loadEval: `eval "$(assume --init zsh)"`,
		options:  "setopt nounset ksh_arrays err_exit pipe_fail warn_create_global sh_word_split",
		set:      posixSet,
		run:      func(c string) string { return "st=0; " + c + " || st=$?; echo status=$st" },
		varNames: "print -rl -- ${(k)parameters}",
	},
	{
		name:     "fish",
		argv:     func(s string) []string { return testkit.CleanShell("fish", "-c", s) },
		loadFile: `source "$ASSUME_INIT"`,
		loadEval: `assume --init fish | source`,
		set:      func(name, value string) string { return "set -gx " + name + " '" + value + "'" },
		run:      func(c string) string { return c + "; echo status=$status" },
		varNames: "set -n",
	},
}

// loadMode is how the integration reaches the shell.
type loadMode struct {
	name   string
	strict bool // with the dialect's strict options
	file   bool // from a file, as an rc file sources it
}

var loadModes = []loadMode{
	{name: "rcfile", file: true},
	{name: "eval"},
	{name: "eval-strict", strict: true},
}

// shellCase is one shell and one way of loading the integration, ready to run scripts.
type shellCase struct {
	d    dialect
	mode loadMode
	env  *shelltest.Env
}

// forEachShell runs f for every shell and load mode, each in its own sandbox.
func forEachShell(t *testing.T, f func(t *testing.T, sc shellCase)) {
	for _, d := range dialects {
		for _, mode := range loadModes {
			if mode.strict && d.options == "" {
				continue
			}
			t.Run(d.name+"/"+mode.name, func(t *testing.T) {
				testkit.RequireTool(t, d.name)
				bin.Require(t)
				env := shelltest.NewEnv(t, &bin, []shelltest.Profile{staticProfile, otherProfile})
				if mode.file {
					init := env.Run(t, bin.Path, "--init", d.name)
					if init.ExitCode != 0 {
						t.Fatalf("assume --init %s: exit %d: %s", d.name, init.ExitCode, init.Stderr)
					}
					path := env.WriteFile(t, "init."+d.name, init.Stdout)
					env.Setenv("ASSUME_INIT", path)
				}
				f(t, shellCase{d: d, mode: mode, env: env})
			})
		}
	}
}

// script builds a script: the strict options if asked, loading, then the lines.
func (sc shellCase) script(lines ...string) string {
	var all []string
	if sc.mode.strict {
		all = append(all, sc.d.options)
	}
	if sc.mode.file {
		all = append(all, sc.d.loadFile)
	} else {
		all = append(all, sc.d.loadEval)
	}
	return strings.Join(append(all, lines...), "\n") + "\n"
}

func (sc shellCase) run(t *testing.T, lines ...string) testkit.Result {
	t.Helper()
	return sc.env.Run(t, sc.d.argv(sc.script(lines...))...)
}

// envDump prints the environment a child process gets, between markers.
const envDump = "echo '<env>'; env; echo '</env>'"

var envBlock = regexp.MustCompile(`(?s)<env>\n(.*?)</env>\n`)

// exported parses every envDump in out, in order.
func exported(t *testing.T, out string) []map[string]string {
	t.Helper()
	var dumps []map[string]string
	for _, m := range envBlock.FindAllStringSubmatch(out, -1) {
		vars := map[string]string{}
		for _, line := range strings.Split(m[1], "\n") {
			if name, value, ok := strings.Cut(line, "="); ok {
				vars[name] = value
			}
		}
		dumps = append(dumps, vars)
	}
	if len(dumps) == 0 {
		t.Fatalf("no environment dump in the output:\n%s", out)
	}
	return dumps
}

var statusLine = regexp.MustCompile(`(?m)^status=(\d+)$`)

// statuses returns every "status=N" of out, in order.
func statuses(t *testing.T, out string) []int {
	t.Helper()
	var codes []int
	for _, m := range statusLine.FindAllStringSubmatch(out, -1) {
		n, err := strconv.Atoi(m[1])
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, n)
	}
	return codes
}

// setVars are the variables assume sets (docs/cli.md).
var setVars = []string{
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
	"AWS_CREDENTIAL_EXPIRATION", "AWS_REGION", "AWS_DEFAULT_REGION", "ASSUME_PROFILE", "AWSUME_PROFILE",
}

// credentialVars are every variable assume sets or clears (docs/cli.md), which -u clears.
var credentialVars = append(append([]string(nil), setVars...), "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
	"AWS_VAULT", "AWSU_PROFILE", "AWS_SSO_PROFILE")

func TestWrapperExportsStaticProfile(t *testing.T) {
	forEachShell(t, func(t *testing.T, sc shellCase) {
		res := sc.run(t,
			sc.d.set("AWS_SESSION_TOKEN", "stale-token"),
			sc.d.set("AWS_PROFILE", "stale-profile"),
			sc.d.set("AWS_VAULT", "stale-vault"),
			sc.d.set("AWSU_PROFILE", "stale-awsu"),
			sc.d.set("AWS_SSO_PROFILE", "stale-sso"),
			sc.d.set("AWSUME_PROFILE", "stale-awsume"),
			"echo '<assume>'",
			sc.d.run("assume static-profile"),
			"echo '</assume>'",
			envDump,
		)
		if res.ExitCode != 0 {
			t.Fatalf("script exit %d\nstdout:\n%s\nstderr:\n%s", res.ExitCode, res.Stdout, res.Stderr)
		}
		if want := "<assume>\nstatus=0\n</assume>\n"; !strings.Contains(res.Stdout, want) {
			t.Errorf("assume static-profile printed something or failed; want %q in stdout:\n%s\nstderr:\n%s", want, res.Stdout, res.Stderr)
		}
		env := exported(t, res.Stdout)[0]
		want := map[string]string{
			"AWS_ACCESS_KEY_ID":     staticProfile.AccessKeyID(),
			"AWS_SECRET_ACCESS_KEY": staticProfile.SecretAccessKey(),
			"AWS_REGION":            staticProfile.Region,
			"AWS_DEFAULT_REGION":    staticProfile.Region,
			"ASSUME_PROFILE":        staticProfile.Name,
			"AWSUME_PROFILE":        staticProfile.Name,
		}
		for name, value := range want {
			if got, ok := env[name]; !ok || got != value {
				t.Errorf("after assume static-profile, %s = %q (set: %v), want %q", name, got, ok, value)
			}
		}
		// Static keys have no token; no profile may compete with the exported keys.
		// Nor may another tool's profile variable name a different account in a prompt.
		for _, name := range []string{"AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_VAULT", "AWSU_PROFILE", "AWS_SSO_PROFILE"} {
			if value, ok := env[name]; ok {
				t.Errorf("after assume static-profile, %s is still set to %q", name, value)
			}
		}
	})
}

func TestWrapperFailureExportsNothing(t *testing.T) {
	forEachShell(t, func(t *testing.T, sc shellCase) {
		direct := sc.env.Run(t, bin.Path, "--format", sc.d.name, "no-such-profile")
		if direct.ExitCode == 0 {
			t.Fatalf("assume no-such-profile succeeded when run directly: %q", direct.Stdout)
		}
		res := sc.run(t,
			sc.d.set("AWS_ACCESS_KEY_ID", "previous-key"),
			sc.d.set("ASSUME_PROFILE", "previous-profile"),
			"echo '<assume>'",
			sc.d.run("assume no-such-profile"),
			"echo '</assume>'",
			envDump,
		)
		if res.ExitCode != 0 {
			t.Fatalf("script exit %d\nstdout:\n%s\nstderr:\n%s", res.ExitCode, res.Stdout, res.Stderr)
		}
		want := "<assume>\nstatus=" + strconv.Itoa(direct.ExitCode) + "\n</assume>\n"
		if !strings.Contains(res.Stdout, want) {
			t.Errorf("want %q (the binary's own exit code, nothing else) in stdout:\n%s", want, res.Stdout)
		}
		if res.Stderr != direct.Stderr {
			t.Errorf("the error message did not reach stderr as the binary wrote it:\ngot  %q\nwant %q", res.Stderr, direct.Stderr)
		}
		if strings.TrimSpace(direct.Stderr) == "" {
			t.Errorf("the binary said nothing on stderr about the unknown profile")
		}
		env := exported(t, res.Stdout)[0]
		if env["AWS_ACCESS_KEY_ID"] != "previous-key" || env["ASSUME_PROFILE"] != "previous-profile" {
			t.Errorf("a failed assume changed the variables: AWS_ACCESS_KEY_ID=%q ASSUME_PROFILE=%q",
				env["AWS_ACCESS_KEY_ID"], env["ASSUME_PROFILE"])
		}
		for _, name := range []string{"AWS_SECRET_ACCESS_KEY", "AWS_REGION"} {
			if value, ok := env[name]; ok {
				t.Errorf("a failed assume set %s=%q", name, value)
			}
		}
	})
}

func TestWrapperPassesThrough(t *testing.T) {
	cases := [][]string{
		{"--help"},
		{"-h"},
		{"--version"},
		{"-l"},
		{"--list"},
		{"--list-profiles"},
		{"--init", "bash"},
		// The user asked for text: printed, not evaluated.
		{"static-profile", "--format", "bash"},
		{"--format=json", "static-profile"},
	}
	forEachShell(t, func(t *testing.T, sc shellCase) {
		for _, args := range cases {
			t.Run(strings.Join(args, "_"), func(t *testing.T) {
				direct := sc.env.Run(t, append([]string{bin.Path}, args...)...)
				if direct.ExitCode != 0 {
					t.Skipf("waiting for the CLI: assume %s exits %d: %s", strings.Join(args, " "), direct.ExitCode, strings.TrimSpace(direct.Stderr))
				}
				out := sc.env.Dir + "/passthrough.out"
				res := sc.run(t,
					sc.d.run("assume "+strings.Join(args, " ")+" >"+out),
					envDump,
				)
				if got := statuses(t, res.Stdout); len(got) != 1 || got[0] != direct.ExitCode {
					t.Fatalf("assume %s: statuses %v, want [%d]\nstdout:\n%s\nstderr:\n%s", args, got, direct.ExitCode, res.Stdout, res.Stderr)
				}
				got, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				if string(got) != direct.Stdout {
					t.Errorf("assume %s through the wrapper printed\n%q\nwant the binary's own output\n%q", args, got, direct.Stdout)
				}
				env := exported(t, res.Stdout)[0]
				for _, name := range credentialVars {
					if value, ok := env[name]; ok {
						t.Errorf("assume %s was evaluated: %s=%q", args, name, value)
					}
				}
			})
		}
	})
}

func TestWrapperUnset(t *testing.T) {
	forEachShell(t, func(t *testing.T, sc shellCase) {
		lines := []string{sc.d.run("assume static-profile"), envDump}
		lines = append(lines, sc.d.set("AWS_SESSION_TOKEN", "token"), sc.d.set("AWS_SECURITY_TOKEN", "token"),
			sc.d.set("AWS_PROFILE", "p"), sc.d.set("AWS_DEFAULT_PROFILE", "p"),
			sc.d.set("AWS_VAULT", "v"), sc.d.set("AWSU_PROFILE", "u"), sc.d.set("AWS_SSO_PROFILE", "s"))
		lines = append(lines, sc.d.run("assume -u"), envDump)
		res := sc.run(t, lines...)
		if res.ExitCode != 0 {
			t.Fatalf("script exit %d\nstdout:\n%s\nstderr:\n%s", res.ExitCode, res.Stdout, res.Stderr)
		}
		if got := statuses(t, res.Stdout); len(got) != 2 || got[0] != 0 || got[1] != 0 {
			t.Fatalf("statuses %v, want [0 0]\nstdout:\n%s\nstderr:\n%s", got, res.Stdout, res.Stderr)
		}
		dumps := exported(t, res.Stdout)
		if dumps[0]["AWS_ACCESS_KEY_ID"] != staticProfile.AccessKeyID() {
			t.Fatalf("assume static-profile did not export the keys: %q", dumps[0]["AWS_ACCESS_KEY_ID"])
		}
		for _, name := range credentialVars {
			if value, ok := dumps[1][name]; ok {
				t.Errorf("after assume -u, %s is still set to %q", name, value)
			}
		}
	})
}

func TestWrapperRunsCommand(t *testing.T) {
	forEachShell(t, func(t *testing.T, sc shellCase) {
		res := sc.run(t,
			sc.d.run(`assume static-profile -- sh -c 'echo "key=$AWS_ACCESS_KEY_ID"; exit 3'`),
			sc.d.run(`printf 'piped line\n' | assume static-profile -- cat`),
			envDump,
		)
		if got := statuses(t, res.Stdout); len(got) != 2 || got[0] != 3 || got[1] != 0 {
			t.Fatalf("statuses %v, want [3 0] (the command's own code)\nstdout:\n%s\nstderr:\n%s", got, res.Stdout, res.Stderr)
		}
		if want := "key=" + staticProfile.AccessKeyID() + "\nstatus=3\n"; !strings.Contains(res.Stdout, want) {
			t.Errorf("the command's output did not reach stdout; want %q in:\n%s", want, res.Stdout)
		}
		if want := "piped line\nstatus=0\n"; !strings.Contains(res.Stdout, want) {
			t.Errorf("the command did not read the shell's stdin; want %q in:\n%s", want, res.Stdout)
		}
		if value, ok := exported(t, res.Stdout)[0]["AWS_ACCESS_KEY_ID"]; ok {
			t.Errorf("assume PROFILE -- COMMAND exported AWS_ACCESS_KEY_ID=%q into the shell", value)
		}
	})
}

func TestWrapperLeavesNoHelperVariables(t *testing.T) {
	forEachShell(t, func(t *testing.T, sc shellCase) {
		res := sc.run(t,
			"echo '<before>'", sc.d.varNames, "echo '</before>'",
			sc.d.run("assume static-profile"),
			sc.d.run("assume no-such-profile 2>/dev/null"),
			sc.d.run("assume --version >/dev/null"),
			sc.d.run("assume static-profile -- true"),
			"echo '<after>'", sc.d.varNames, "echo '</after>'",
		)
		if got := statuses(t, res.Stdout); len(got) != 4 || got[0] != 0 || got[1] == 0 || got[2] != 0 || got[3] != 0 {
			t.Fatalf("statuses %v, want [0 non-zero 0 0]\nstdout:\n%s\nstderr:\n%s", got, res.Stdout, res.Stderr)
		}
		before := section(t, res.Stdout, "before")
		after := section(t, res.Stdout, "after")
		// Shell bookkeeping that changes by itself with every command.
		bookkeeping := map[string]bool{"_": true, "st": true, "status": true, "pipestatus": true,
			"PIPESTATUS": true, "BASH_COMMAND": true, "BASH_LINENO": true, "LINENO": true,
			"RANDOM": true, "SECONDS": true, "EPOCHSECONDS": true, "EPOCHREALTIME": true,
			"SRANDOM": true, "CMD_DURATION": true, "history": true, "BASH_ARGC": true, "BASH_ARGV": true}
		var leaked []string
		for name := range after {
			if before[name] || bookkeeping[name] || strings.HasPrefix(name, "AWS_") || name == "ASSUME_PROFILE" || name == "AWSUME_PROFILE" {
				continue
			}
			leaked = append(leaked, name)
		}
		sort.Strings(leaked)
		if len(leaked) > 0 {
			t.Errorf("the wrapper left variables in the shell: %v", leaked)
		}
	})
}

// section returns the lines between <name> and </name> as a set.
func section(t *testing.T, out, name string) map[string]bool {
	t.Helper()
	m := regexp.MustCompile(`(?s)<` + name + `>\n(.*?)</` + name + `>`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no <%s> section in:\n%s", name, out)
	}
	set := map[string]bool{}
	for _, line := range strings.Split(m[1], "\n") {
		if line != "" {
			set[line] = true
		}
	}
	return set
}
