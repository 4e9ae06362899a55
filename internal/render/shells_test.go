package render

// Round trips through real bash, zsh, fish and the POSIX shells (dash,
// busybox sh, ksh, mksh): render values, let the shell
// evaluate the statements the way the wrappers do, have it run `env -0`, and
// compare what the child process received byte for byte. Every shell runs in
// an empty working directory, which must still be empty afterwards: a value
// like $(touch canary) that ran as code would leave a file there.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/testkit"
)

// shellRun is one way of evaluating a script in one shell.
type shellRun struct {
	format Format
	how    string // "eval" or "source"
	bin    string
	// args runs the script at path and writes `env -0` to out.
	args func(script, out string) []string
	// name tells apart runs of one format in different shells; empty: the format's.
	name string
}

func (s shellRun) String() string {
	name := s.name
	if name == "" {
		name = string(s.format)
	}
	return name + "-" + s.how
}

// posixRuns evaluate the sh format in one POSIX shell, started as argv0,
// the way users do: eval "$(assume …)" and `. file`.
func posixRuns(name, bin string, argv0 ...string) []shellRun {
	with := func(code string) func(script, out string) []string {
		return func(script, out string) []string {
			return append(append([]string(nil), argv0...), "-c", code, "sh", script, out)
		}
	}
	return []shellRun{
		{Sh, "eval", bin, with(`eval "$(cat -- "$1")" && exec env -0 >"$2"`), name},
		{Sh, "source", bin, with(`. "$1" && exec env -0 >"$2"`), name},
	}
}

var shellRuns = []shellRun{
	{Bash, "eval", "bash", func(script, out string) []string {
		return testkit.CleanShell("bash", "-c", `eval "$(cat -- "$1")" && exec env -0 >"$2"`, "bash", script, out)[1:]
	}, ""},
	{Bash, "source", "bash", func(script, out string) []string {
		return testkit.CleanShell("bash", "-c", `. "$1" && exec env -0 >"$2"`, "bash", script, out)[1:]
	}, ""},
	{Zsh, "eval", "zsh", func(script, out string) []string {
		return testkit.CleanShell("zsh", "-c", `eval "$(cat -- "$1")" && exec env -0 >"$2"`, "zsh", script, out)[1:]
	}, ""},
	{Zsh, "source", "zsh", func(script, out string) []string {
		return testkit.CleanShell("zsh", "-c", `. "$1" && exec env -0 >"$2"`, "zsh", script, out)[1:]
	}, ""},
	// `eval (assume …)` splits the output into lines and joins them with
	// spaces; `assume … | source` reads it as it is.
	{Fish, "eval", "fish", func(script, out string) []string {
		return testkit.CleanShell("fish", "-c", `eval (cat -- $argv[1]); and exec env -0 >$argv[2]`, script, out)[1:]
	}, ""},
	{Fish, "source", "fish", func(script, out string) []string {
		return testkit.CleanShell("fish", "-c", `source $argv[1]; and exec env -0 >$argv[2]`, script, out)[1:]
	}, ""},
}

func init() {
	// busybox runs its ash as `busybox sh`; the others by their own names.
	shellRuns = append(shellRuns, posixRuns("dash", "dash")...)
	shellRuns = append(shellRuns, posixRuns("busybox-sh", "busybox", "sh")...)
	shellRuns = append(shellRuns, posixRuns("ksh", "ksh")...)
	shellRuns = append(shellRuns, posixRuns("mksh", "mksh")...)
}

// needShell returns the path of a shell, skipping the test when it is
// missing, except in CI, where a missing shell is a failure.
func needShell(t testing.TB, bin string) string {
	t.Helper()
	return testkit.RequireTool(t, bin)
}

// presetUnset are variables the child starts with; the script must remove them.
var presetUnset = []string{"GONE_A", "GONE_B"}

// varName is the name value i is exported under.
func varName(i int) string { return "V" + strconv.Itoa(i) }

// shellRoundTrip renders values as V0…Vn (plus unsets of presetUnset) for
// run's shell, evaluates them with locale as LC_ALL, and fails the test for
// every value that does not come back byte for byte.
func shellRoundTrip(t testing.TB, run shellRun, locale string, values []string) {
	t.Helper()
	bin := needShell(t, run.bin)
	env := Env{Unset: presetUnset}
	for i, v := range values {
		env.Set = append(env.Set, Var{varName(i), v})
	}
	var script bytes.Buffer
	if err := WriteEnv(&script, run.format, env); err != nil {
		t.Fatalf("%s: %v", run, err)
	}
	got := evalInShell(t, run, bin, locale, script.Bytes())
	for i, want := range values {
		v, ok := got[varName(i)]
		if !ok {
			t.Errorf("%s (%s): %s is not set; value %s", run, locale, varName(i), describe(want))
			continue
		}
		if v != want {
			t.Errorf("%s (%s): %s differs: %s", run, locale, varName(i), diffAt(want, v))
		}
	}
	for _, name := range presetUnset {
		if _, ok := got[name]; ok {
			t.Errorf("%s (%s): %s was not unset", run, locale, name)
		}
	}
}

// evalInShell runs script in a fresh shell and returns the environment the
// shell handed to its child.
func evalInShell(t testing.TB, run shellRun, bin, locale string, script []byte) map[string]string {
	t.Helper()
	dir, err := os.MkdirTemp("", "render-"+run.String())
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o700); err != nil {
		t.Fatal(err)
	}
	scriptPath := filepath.Join(dir, "script")
	outPath := filepath.Join(dir, "env")
	if err := os.WriteFile(scriptPath, script, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, run.args(scriptPath, outPath)...)
	cmd.Dir = work
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		"LC_ALL=" + locale,
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
		"XDG_DATA_HOME=" + filepath.Join(dir, "data"),
		"XDG_CACHE_HOME=" + filepath.Join(dir, "cache"),
		"TERM=dumb",
	}
	for _, name := range presetUnset {
		cmd.Env = append(cmd.Env, name+"=stale")
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdin = nil
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s (%s): %v; stderr: %.2000s", run, locale, err, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("%s (%s): stderr: %.2000s", run, locale, stderr.String())
	}
	entries, err := os.ReadDir(work)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("%s (%s): a value ran as code: it created %q", run, locale, e.Name())
	}
	raw, err := os.ReadFile(outPath)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, kv := range strings.Split(strings.TrimSuffix(string(raw), "\x00"), "\x00") {
		name, value, _ := strings.Cut(kv, "=")
		got[name] = value
	}
	return got
}

// describe shows a test value briefly (these are test data, not secrets).
func describe(s string) string {
	if len(s) > 80 {
		return fmt.Sprintf("%q… (%d bytes)", s[:80], len(s))
	}
	return fmt.Sprintf("%q", s)
}

// diffAt shows where got first differs from want.
func diffAt(want, got string) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	lo := max(0, i-16)
	return fmt.Sprintf("at byte %d of %d (got %d bytes): want …%q…, got …%q…",
		i, len(want), len(got), want[lo:min(len(want), i+16)], got[lo:min(len(got), i+16)])
}

// hostileValues are values chosen to break quoting in one shell or another.
func hostileValues() []string {
	v := []string{
		"", " ", "  lead", "trail  ", "a b", "-", "-e", "--", "-n", "=", "a=b", "+x",
		"'", "''", `'\''`, `"`, `""`, "`", "\u2018", "\u2019", "\u201a", "\u201b", "\u201c\u201d\u201e\u201f",
		"it's", "it\u2019s", "'\u2019'", "\u2018\u2018", "@'", "'@", "@\"\n\"@",
		"$", "$$", "$HOME", "${HOME}", "$(touch canary)", "`touch canary`", "$((1+1))", "$'\\x41'", "$\"x\"",
		"\\", "\\\\", "\\'", "\\\"", `\x41`, `\101`, `\u0041`, `\n`, `\`, "a\\",
		";touch canary", "; touch canary;", "&& touch canary", "|touch canary", "& touch canary &", ">canary", "<canary",
		"'; touch canary; '", "\"; touch canary; \"", "'$(touch canary)'", "\n touch canary\n", "x\ntouch canary",
		"');touch canary;echo('", "(touch canary)", "{a,b}", "*", "?", "[a]", "~", "~root", "=ls", "%self", "$argv", "#comment",
		"!", "!!", "!-1", "!$", "^a^b", "!#", "a!b",
		"$(New-Item canary)", "$env:PATH", "`$x", "@(1)", "#{x}", "%PATH%",
		"\n", "\r", "\r\n", "a\nb", "a\rb", "\t", "a\tb", "\n\n\n", "\v\f\b\a\x1b[31m",
		"\x01", "\x7f", "\x01AB", "\x01ab", "\x7fff", "\x1b1", "\x0aA0", "é1", "\xe9ff", "\xffAB", "\x80\x80",
		"\xc0\xaf", "\xed\xa0\x80", "\xe2\x80", "\x80", "\xff\xfe", "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80",
		"é", "日本語", "💥", "\u00a0", "\u0085", "\u2028\u2029", "\ufeff", "\ufffd", "\uf600\uf6ff", "\ufdd0\uffff\ufffe",
		"\U0010ffff", "\xef\x98\x80", "a\u200bb", "\u202eevil",
		"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "2030-01-02T03:04:05Z",
	}
	var all, ctl []byte
	for c := 1; c < 256; c++ {
		all = append(all, byte(c))
		v = append(v, string([]byte{byte(c)}), "x"+string([]byte{byte(c)})+"0f")
		if c < 0x20 || c == 0x7f {
			ctl = append(ctl, byte(c))
		}
	}
	v = append(v, string(all), string(ctl), strings.Repeat(string(all), 64))
	long := make([]byte, 0, 100_000)
	for len(long) < 100_000 {
		long = append(long, "$(touch canary)'\"\\\n\xff\u2019"...)
	}
	v = append(v, string(long), strings.Repeat("A", 100_000))
	return v
}

func TestShellRoundTripHostile(t *testing.T) {
	values := hostileValues()
	for _, run := range shellRuns {
		for _, locale := range []string{"C.UTF-8", "C"} {
			t.Run(run.String()+"/"+locale, func(t *testing.T) {
				shellRoundTrip(t, run, locale, values)
			})
		}
	}
}

// TestShellOutputSucceeds evaluates Export and Unset in a shell where none of
// the variables is set: the statements must end with status 0, so that
// `eval "$(assume …)" && …` and `assume … | source; and …` go on.
func TestShellOutputSucceeds(t *testing.T) {
	for _, run := range shellRuns {
		t.Run(run.String(), func(t *testing.T) {
			bin := needShell(t, run.bin)
			for _, c := range []Credentials{sessionCreds, staticCreds} {
				var script bytes.Buffer
				if err := Export(&script, run.format, c); err != nil {
					t.Fatal(err)
				}
				got := evalInShell(t, run, bin, "C.UTF-8", script.Bytes())
				if got["AWS_ACCESS_KEY_ID"] != c.AccessKeyID {
					t.Errorf("export: AWS_ACCESS_KEY_ID = %q, want %q", got["AWS_ACCESS_KEY_ID"], c.AccessKeyID)
				}
			}
			var script bytes.Buffer
			if err := Unset(&script, run.format); err != nil {
				t.Fatal(err)
			}
			if got := evalInShell(t, run, bin, "C.UTF-8", script.Bytes()); got["AWS_ACCESS_KEY_ID"] != "" {
				t.Errorf("unset left AWS_ACCESS_KEY_ID = %q", got["AWS_ACCESS_KEY_ID"])
			}
		})
	}
}

func TestShellUnsetAndExport(t *testing.T) {
	// The real statements: after Export the child sees exactly EnvFor's
	// variables and none of those it removes; after Unset none of them.
	for _, run := range shellRuns {
		t.Run(run.String(), func(t *testing.T) {
			bin := needShell(t, run.bin)
			for _, c := range []Credentials{sessionCreds, staticCreds, hostileCreds} {
				var script bytes.Buffer
				// Start with every variable set, stale, to see which survive.
				var stale Env
				for _, name := range UnsetEnv().Unset {
					stale.Set = append(stale.Set, Var{name, "stale"})
				}
				if err := WriteEnv(&script, run.format, stale); err != nil {
					t.Fatal(err)
				}
				if err := Export(&script, run.format, c); err != nil {
					t.Fatal(err)
				}
				got := evalInShell(t, run, bin, "C.UTF-8", script.Bytes())
				env := EnvFor(c)
				for _, v := range env.Set {
					if got[v.Name] != v.Value {
						t.Errorf("%s = %s, want %s", v.Name, describe(got[v.Name]), describe(v.Value))
					}
				}
				for _, name := range env.Unset {
					if _, ok := got[name]; ok {
						t.Errorf("%s survived", name)
					}
				}
				if c.Region == "" && got["AWS_REGION"] != "stale" {
					t.Errorf("an unknown region replaced AWS_REGION: %q", got["AWS_REGION"])
				}

				if err := Unset(&script, run.format); err != nil {
					t.Fatal(err)
				}
				got = evalInShell(t, run, bin, "C.UTF-8", script.Bytes())
				for _, name := range UnsetEnv().Unset {
					if v, ok := got[name]; ok {
						t.Errorf("after unset %s = %q", name, v)
					}
				}
			}
		})
	}
}

// TestDecodersRoundTripHostile puts the same values through the PowerShell
// and dotenv reference decoders.
func TestDecodersRoundTripHostile(t *testing.T) {
	values := hostileValues()
	n := psRoundTrip(t, values)
	m := dotenvRoundTrip(t, values)
	t.Logf("powershell: %d values decoded (%d refused as invalid UTF-8); dotenv: %d", n, len(values)-n, m)
}

// psRoundTrip renders values for PowerShell one statement each and decodes
// them; invalid UTF-8 must be refused. It returns how many were decoded.
func psRoundTrip(t testing.TB, values []string) int {
	t.Helper()
	decoded := 0
	for _, v := range values {
		var b bytes.Buffer
		err := WriteEnv(&b, PowerShell, Env{Set: []Var{{"V", v}}, Unset: []string{"GONE"}})
		if !utf8Valid(v) {
			if err == nil || b.Len() != 0 {
				t.Errorf("powershell: invalid UTF-8 %s: err %v, output %q", describe(v), err, b.String())
			}
			continue
		}
		if err != nil {
			t.Errorf("powershell: %s: %v", describe(v), err)
			continue
		}
		for i := 0; i < b.Len(); i++ {
			if c := b.Bytes()[i]; c >= 0x80 {
				t.Errorf("powershell: non-ASCII byte %#x in the output for %s", c, describe(v))
				break
			}
		}
		sts, err := decodePowerShell(b.String())
		if err != nil {
			t.Errorf("powershell: %s: output does not decode: %v", describe(v), err)
			continue
		}
		if len(sts) != 2 || sts[0].name != "V" || sts[0].null || sts[1].name != "GONE" || !sts[1].null {
			t.Errorf("powershell: %s: decoded %+v", describe(v), sts)
			continue
		}
		if sts[0].value != v {
			t.Errorf("powershell: value differs: %s", diffAt(v, sts[0].value))
		}
		decoded++
	}
	return decoded
}

// dotenvRoundTrip renders values as one dotenv file and decodes it.
func dotenvRoundTrip(t testing.TB, values []string) int {
	t.Helper()
	env := Env{Unset: []string{"GONE"}}
	for i, v := range values {
		env.Set = append(env.Set, Var{varName(i), v})
	}
	var b bytes.Buffer
	if err := WriteEnv(&b, Dotenv, env); err != nil {
		t.Fatalf("dotenv: %v", err)
	}
	vars, err := decodeDotenv(b.String())
	if err != nil {
		t.Fatalf("dotenv: output does not decode: %v", err)
	}
	if len(vars) != len(values) {
		t.Fatalf("dotenv: %d assignments for %d values", len(vars), len(values))
	}
	for i, v := range vars {
		if v.Name != varName(i) || v.Value != values[i] {
			t.Errorf("dotenv: %s: %s", v.Name, diffAt(values[i], v.Value))
		}
	}
	return len(vars)
}

// TestBashFormatRunsCodeInDash shows why POSIX shells get their own format: dash reads bash's
// $'…' as a $ and a plain quoted string, so an escaped quote ends it and the rest runs. The
// round trips above would catch this with their canary; here it is shown on purpose.
func TestBashFormatRunsCodeInDash(t *testing.T) {
	dash := needShell(t, "dash")
	dir := t.TempDir()
	var script bytes.Buffer
	if err := WriteEnv(&script, Bash, Env{Set: []Var{{"REGION", "x';touch canary;#"}}}); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(dash, "-c", `eval "$1"`, "sh", script.String())
	cmd.Dir = dir
	_ = cmd.Run()
	if _, err := os.Stat(filepath.Join(dir, "canary")); err != nil {
		t.Fatalf("bash's format ran nothing in dash (%v): has dash changed? The sh format is still the safe one", err)
	}
	script.Reset()
	if err := WriteEnv(&script, Sh, Env{Set: []Var{{"REGION", "x';touch canary2;#"}}}); err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command(dash, "-c", `eval "$1"`, "sh", script.String())
	cmd.Dir = dir
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "canary2")); err == nil {
		t.Fatal("the sh format ran code in dash")
	}
}
