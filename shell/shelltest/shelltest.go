// Package shelltest holds what the tests of the shell integration (packages shell and
// completions) share: building the real assume binary once per test run, finding the real
// shells, a temporary AWS configuration with static-key profiles, and (for internal/render too)
// the independent PowerShell parser.
package shelltest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/testkit"
)

// Profile is one profile of the test configuration, with static long-term keys.
type Profile struct {
	Name   string
	Region string
}

// AccessKeyID is the access key of a test profile: derived from its name, so a test can tell
// whose keys were exported.
func (p Profile) AccessKeyID() string {
	return "AKIATEST" + strings.ToUpper(hexName(p.Name, 12))
}

// SecretAccessKey is the secret key of a test profile.
func (p Profile) SecretAccessKey() string {
	return "secret/" + hexName(p.Name, 32) + "+KEY"
}

func hexName(name string, n int) string {
	h := fmt.Sprintf("%x", name)
	for len(h) < n {
		h += h
	}
	return h[:n]
}

// Env is a sandbox for running the binary and shells: its own HOME, cache and AWS files.
type Env struct {
	Dir      string
	Bin      *testkit.Binary
	Profiles []Profile
	// Vars is the whole environment of the processes started with Command.
	Vars []string
}

// NewEnv writes an AWS config and credentials file holding profiles (static keys, so no STS
// call is needed) and returns an environment that points the binary at them.
func NewEnv(t testing.TB, bin *testkit.Binary, profiles []Profile) *Env {
	t.Helper()
	dir := t.TempDir()
	var config, credentials bytes.Buffer
	for _, p := range profiles {
		fmt.Fprintf(&config, "[profile %s]\n", p.Name)
		if p.Region != "" {
			fmt.Fprintf(&config, "region = %s\n", p.Region)
		}
		config.WriteString("\n")
		fmt.Fprintf(&credentials, "[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n\n",
			p.Name, p.AccessKeyID(), p.SecretAccessKey())
	}
	home := filepath.Join(dir, "home")
	awsDir := filepath.Join(home, ".aws")
	if err := os.MkdirAll(awsDir, 0o700); err != nil {
		t.Fatal(err)
	}
	files := testkit.WriteAWSFiles(t, awsDir, config.String(), credentials.String())
	vars := []string{
		"PATH=" + bin.Dir + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CACHE_HOME=" + filepath.Join(dir, "cache"),
		"XDG_CONFIG_HOME=" + filepath.Join(dir, "config"),
		"XDG_DATA_HOME=" + filepath.Join(dir, "data"),
		"AWS_CONFIG_FILE=" + files.Config,
		"AWS_SHARED_CREDENTIALS_FILE=" + files.Credentials,
		// Nothing here needs STS; should anything call it, fail fast instead of waiting.
		"AWS_ENDPOINT_URL_STS=http://127.0.0.1:9",
		"AWS_EC2_METADATA_DISABLED=true",
		"TERM=dumb",
		"LC_ALL=C.UTF-8",
	}
	return &Env{Dir: dir, Bin: bin, Profiles: profiles, Vars: vars}
}

// Getenv is the value of a variable of the sandbox's environment ("" when unset).
func (e *Env) Getenv(name string) string {
	for _, v := range e.Vars {
		if k, value, _ := strings.Cut(v, "="); k == name {
			return value
		}
	}
	return ""
}

// Setenv sets a variable of the sandbox's environment: in place if it is set, else at the end.
func (e *Env) Setenv(name, value string) {
	for i, v := range e.Vars {
		if k, _, _ := strings.Cut(v, "="); k == name {
			e.Vars[i] = name + "=" + value
			return
		}
	}
	e.Vars = append(e.Vars, name+"="+value)
}

// Run runs argv in the sandbox, in a new session without a controlling terminal (so that
// nothing can wait on /dev/tty for an answer), with stdin from /dev/null.
func (e *Env) Run(t testing.TB, argv ...string) testkit.Result {
	t.Helper()
	return e.RunInput(t, "", argv...)
}

// RunInput is Run with stdin.
func (e *Env) RunInput(t testing.TB, stdin string, argv ...string) testkit.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = e.Vars
	cmd.Dir = e.Dir
	cmd.Stdin = strings.NewReader(stdin)
	res, err := testkit.Run(cmd)
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if err != nil {
		t.Fatalf("running %q: %v\nstdout:\n%s\nstderr:\n%s", argv, err, res.Stdout, res.Stderr)
	}
	return res
}

// WriteFile writes a file in the sandbox and returns its path.
func (e *Env) WriteFile(t testing.TB, name, content string) string {
	t.Helper()
	path := filepath.Join(e.Dir, name)
	testkit.WriteFile(t, path, content)
	return path
}

// Names returns the profile names that start with prefix, sorted.
func (e *Env) Names(prefix string) []string {
	var names []string
	for _, p := range e.Profiles {
		if strings.HasPrefix(p.Name, prefix) {
			names = append(names, p.Name)
		}
	}
	sort.Strings(names)
	return names
}

// RequireListProfiles skips the test (in CI: fails it) while the binary lacks --list-profiles.
func (e *Env) RequireListProfiles(t testing.TB) {
	t.Helper()
	e.Bin.Require(t)
	res := e.Run(t, e.Bin.Path, "--list-profiles")
	if res.ExitCode == 0 {
		return
	}
	if testkit.InCI() {
		t.Fatalf("assume --list-profiles: exit %d: %s", res.ExitCode, res.Stderr)
	}
	t.Skipf("waiting for the CLI: assume --list-profiles exits %d: %s", res.ExitCode, strings.TrimSpace(res.Stderr))
}

// Terminal is a program running in a tmux pane (testkit.Tmux): a real terminal, for what only
// a terminal shows (pickers and prompts on /dev/tty, readline's own completion).
type Terminal struct {
	t    testing.TB
	term *testkit.Tmux
}

// StartTerminal runs argv in a new tmux server of its own, with exactly the sandbox's
// environment (plus TERM=xterm), in a pane of 160x40. At the end the shell is asked to exit,
// so that it is done writing its files before the sandbox goes.
func (e *Env) StartTerminal(t testing.TB, argv ...string) *Terminal {
	t.Helper()
	var env []string
	for _, v := range e.Vars {
		if !strings.HasPrefix(v, "TERM=") {
			env = append(env, v)
		}
	}
	// No history file: nothing written when the shell exits.
	env = append(env, "TERM=xterm", "HISTFILE=", "fish_history=")
	return &Terminal{t: t, term: testkit.StartTmux(t, testkit.TmuxOptions{Dir: e.Dir, WorkDir: e.Dir, Env: env, Argv: argv, ExitShell: true})}
}

// Type types text as it is.
func (tm *Terminal) Type(text string) {
	tm.t.Helper()
	tm.term.Type(text)
}

// Keys presses keys by their tmux names: Enter, Tab, Down, C-c.
func (tm *Terminal) Keys(keys ...string) {
	tm.t.Helper()
	tm.term.Keys(keys...)
}

// Screen returns what the pane shows, its history included.
func (tm *Terminal) Screen() string { return tm.term.Capture("-J", "-S", "-200") }

// WaitFor waits until the pane shows a line that matches re and returns its submatches. It
// gives up after a minute: a guard against hanging, not a measure of speed.
func (tm *Terminal) WaitFor(re *regexp.Regexp) []string {
	tm.t.Helper()
	screen := tm.term.WaitFor(fmt.Sprintf("%q", re), time.Minute, tm.Screen, re.MatchString)
	return re.FindStringSubmatch(screen)
}

// HelpFlag is one flag documented by `assume --help`.
type HelpFlag struct {
	Short string // "-m", or empty
	Long  string // "--mfa-token"
	// TakesValue is true for a flag shown as --name=VALUE.
	TakesValue bool
}

// HelpFlags reads the flags the binary documents in --help (hidden ones are not there).
func (e *Env) HelpFlags(t testing.TB) []HelpFlag {
	t.Helper()
	res := e.Run(t, e.Bin.Path, "--help")
	if res.ExitCode != 0 {
		t.Fatalf("assume --help: exit %d: %s", res.ExitCode, res.Stderr)
	}
	var flags []HelpFlag
	re := regexp.MustCompile(`(?m)^\s+(?:(-[a-zA-Z]),\s+)?(--[a-z][a-z0-9-]*)(=)?`)
	for _, m := range re.FindAllStringSubmatch(res.Stdout, -1) {
		flags = append(flags, HelpFlag{Short: m[1], Long: m[2], TakesValue: m[3] != ""})
	}
	if len(flags) < 10 {
		t.Fatalf("found only %d flags in assume --help:\n%s", len(flags), res.Stdout)
	}
	return flags
}

// ValueFlags returns the short and long names of the flags that take a value, sorted.
func ValueFlags(flags []HelpFlag) []string {
	var names []string
	for _, f := range flags {
		if !f.TakesValue {
			continue
		}
		if f.Short != "" {
			names = append(names, f.Short)
		}
		names = append(names, f.Long)
	}
	sort.Strings(names)
	return names
}

// FlagsIn returns the flags written in src (words such as -m or --mfa-token), sorted and
// without repeats.
func FlagsIn(src string) []string {
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?:^|[\s'(,{])(--?[a-z][a-z0-9-]*)`).FindAllStringSubmatch(src, -1) {
		seen[m[1]] = true
	}
	names := make([]string, 0, len(seen))
	for name := range seen {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
