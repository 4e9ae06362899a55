package shell_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/assume-cli/assume/internal/fakests"
	"github.com/assume-cli/assume/internal/testkit"
	"github.com/assume-cli/assume/shell/shelltest"
)

const (
	refreshUserKey    = "AKIAREFRESHUSER01"
	refreshUserSecret = "refresh-user-secret"
	refreshSerial     = "arn:aws:iam::111111111111:mfa/alice"
	refreshRole       = "arn:aws:iam::222222222222:role/admin"
	refreshCode       = "123456"
)

// refreshEnv is a sandbox whose role profile "prod" is assumed through an MFA session of user
// "alice" from the in-process fake STS, with a counting `assume` first on PATH: every run of the
// binary, by the wrapper or by the prompt hook, adds a line to the file at count.
type refreshEnv struct {
	*shelltest.Env
	sts   *fakests.Server
	count string
}

func newRefreshEnv(t *testing.T) *refreshEnv {
	t.Helper()
	bin.Require(t)
	sts := fakests.New(
		[]fakests.User{{Name: "alice", AccessKeyID: refreshUserKey, SecretAccessKey: refreshUserSecret, MFASerial: refreshSerial, Code: refreshCode}},
		[]fakests.Role{{ARN: refreshRole, RequireMFA: true}},
	)
	t.Cleanup(sts.Close)
	env := shelltest.NewEnv(t, &bin, nil)
	config := env.WriteFile(t, "config", fmt.Sprintf(
		"[profile alice]\nmfa_serial = %s\n\n[profile prod]\nrole_arn = %s\nsource_profile = alice\nregion = eu-west-1\n",
		refreshSerial, refreshRole))
	credentials := env.WriteFile(t, "credentials", fmt.Sprintf(
		"[alice]\naws_access_key_id = %s\naws_secret_access_key = %s\n", refreshUserKey, refreshUserSecret))

	countDir := filepath.Join(env.Dir, "counting")
	if err := os.Mkdir(countDir, 0o700); err != nil {
		t.Fatal(err)
	}
	count := filepath.Join(env.Dir, "runs")
	wrapper := fmt.Sprintf("#!/bin/sh\necho run >>'%s'\nexec '%s' \"$@\"\n", count, bin.Path)
	if err := os.WriteFile(filepath.Join(countDir, "assume"), []byte(wrapper), 0o700); err != nil {
		t.Fatal(err)
	}
	env.Setenv("PATH", countDir+string(os.PathListSeparator)+env.Getenv("PATH"))
	env.Setenv("AWS_CONFIG_FILE", config)
	env.Setenv("AWS_SHARED_CREDENTIALS_FILE", credentials)
	env.Setenv("AWS_ENDPOINT_URL_STS", sts.URL)
	return &refreshEnv{Env: env, sts: sts, count: count}
}

// runs is how many times the binary has run so far.
func (e *refreshEnv) runs(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile(e.count)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), "run\n")
}

// setMargin assigns ASSUME_REFRESH_MARGIN in the shell (not exported: the hook reads it there).
var setMargin = map[string]func(string) string{
	"bash": func(v string) string { return "ASSUME_REFRESH_MARGIN=" + v },
	"zsh":  func(v string) string { return "ASSUME_REFRESH_MARGIN=" + v },
	"fish": func(v string) string { return "set -g ASSUME_REFRESH_MARGIN " + v },
}

// TestAutoRefreshAtThePrompt drives real interactive shells on a terminal with the hook of
// --init SHELL --auto-refresh: prompts while the credentials have more than the margin left start
// no process; a prompt once the margin is reached (the margin is raised above the credentials'
// life instead of waiting an hour) renews them from the cached MFA session without a code; and
// when that session is over, one line says what to run, no code is asked, and later prompts start
// no process.
func TestAutoRefreshAtThePrompt(t *testing.T) {
	for _, d := range dialects {
		t.Run(d.name, func(t *testing.T) {
			testkit.RequireTool(t, d.name)
			e := newRefreshEnv(t)
			init := e.Run(t, bin.Path, "--init", d.name, "--auto-refresh")
			if init.ExitCode != 0 {
				t.Fatalf("assume --init %s --auto-refresh: exit %d: %s", d.name, init.ExitCode, init.Stderr)
			}
			path := e.WriteFile(t, "init."+d.name, init.Stdout)
			before := e.runs(t)

			term := e.StartTerminal(t, interactive[d.name]...)
			step := 0
			// do types a command, waits for the prompt after its output, and returns the screen.
			do := func(cmd string) string {
				t.Helper()
				step++
				mark := fmt.Sprintf("step-%d-done", step)
				term.Type(cmd + "; echo " + mark)
				term.Keys("Enter")
				term.WaitFor(atPrompt(`\n` + mark + `\n`))
				return term.Screen()
			}
			key := func() string {
				t.Helper()
				screen := do(`echo "key=$AWS_ACCESS_KEY_ID"`)
				m := regexp.MustCompile(`(?m)^key=(\S*)\s*$`).FindAllStringSubmatch(screen, -1)
				if m == nil {
					t.Fatalf("no key shown:\n%s", screen)
				}
				return m[len(m)-1][1]
			}

			do(setPrompt[d.name] + "; source '" + path + "'")
			do("assume prod -m " + refreshCode)
			first := key()
			if !strings.HasPrefix(first, "ASIA") {
				t.Fatalf("after assume prod the key is %q", first)
			}
			afterExport := e.runs(t)
			if afterExport != before+1 {
				t.Fatalf("assume prod ran the binary %d times, want 1", afterExport-before)
			}
			assumeRoles := e.sts.CallCount("AssumeRole")

			// An hour left, a 15-minute margin: prompts start nothing.
			for i := 0; i < 3; i++ {
				do("true")
			}
			if got := key(); got != first {
				t.Fatalf("the key changed to %s before the margin", got)
			}
			if n := e.runs(t); n != afterExport {
				t.Fatalf("prompts before the margin started the binary %d times", n-afterExport)
			}

			// The margin reached: the next prompt renews, with no code.
			screen := do(setMargin[d.name]("2h"))
			// Back to a margin below the credentials' life, or every prompt would renew.
			do(setMargin[d.name]("60"))
			second := key()
			if second == first || !strings.HasPrefix(second, "ASIA") {
				t.Fatalf("after the margin the key is %q (was %q)\n%s", second, first, term.Screen())
			}
			if n := e.runs(t); n != afterExport+1 {
				t.Errorf("renewal ran the binary %d times, want 1", n-afterExport)
			}
			if n := e.sts.CallCount("AssumeRole"); n != assumeRoles+1 {
				t.Errorf("renewal made %d AssumeRole calls, want 1", n-assumeRoles)
			}
			if n := e.sts.CallCount("GetSessionToken"); n != 1 {
				t.Errorf("%d GetSessionToken calls, want the first one only", n)
			}
			if !regexp.MustCompile(`(?m)^assume: prod \(role via MFA session\)`).MatchString(screen) {
				t.Errorf("no notice of the renewal:\n%s", screen)
			}
			if strings.Contains(term.Screen(), "MFA code for") {
				t.Errorf("a code was asked for:\n%s", term.Screen())
			}
			renewed := e.runs(t)

			// The MFA session ends: one line, no prompt, and no process at later prompts.
			e.sts.RevokeAll()
			do(setMargin[d.name]("2h"))
			for i := 0; i < 3; i++ {
				do("true")
			}
			screen = term.Screen()
			over := regexp.MustCompile("(?m)^assume: the MFA session for profile \"prod\" is over.*run `assume prod`")
			if n := len(over.FindAllString(screen, -1)); n != 1 {
				t.Errorf("the end of the session was said %d times, want once:\n%s", n, screen)
			}
			if strings.Contains(screen, "MFA code for") {
				t.Errorf("a code was asked for:\n%s", screen)
			}
			if n := e.runs(t); n != renewed+1 {
				t.Errorf("after the session ended the binary ran %d times, want 1", n-renewed)
			}
			if got := key(); got != second {
				t.Errorf("the key changed to %s without a session", got)
			}
		})
	}
}

// TestAutoRefreshOnlyWhenAsked: the hook is in the integration only with --auto-refresh.
func TestAutoRefreshOnlyWhenAsked(t *testing.T) {
	bin.Require(t)
	env := shelltest.NewEnv(t, &bin, nil)
	for _, name := range []string{"bash", "zsh", "fish", "powershell"} {
		plain := env.Run(t, bin.Path, "--init", name)
		hooked := env.Run(t, bin.Path, "--init", name, "--auto-refresh")
		if plain.ExitCode != 0 || hooked.ExitCode != 0 {
			t.Fatalf("%s: exit %d / %d: %s%s", name, plain.ExitCode, hooked.ExitCode, plain.Stderr, hooked.Stderr)
		}
		// (The completion offers the flag; the hook's functions must not be there.)
		if strings.Contains(strings.ToLower(plain.Stdout), "__assumerefresh") || strings.Contains(plain.Stdout, "__assume_refresh") {
			t.Errorf("%s: the hook is there without --auto-refresh", name)
		}
		if !strings.HasPrefix(hooked.Stdout, plain.Stdout) || !strings.Contains(hooked.Stdout, "--non-interactive") {
			t.Errorf("%s: --auto-refresh does not add the hook after the integration", name)
		}
	}
	if res := env.Run(t, bin.Path, "--auto-refresh"); res.ExitCode != 2 || res.Stdout != "" {
		t.Errorf("--auto-refresh without --init: exit %d, stdout %q", res.ExitCode, res.Stdout)
	}
}
