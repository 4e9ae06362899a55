package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/testkit"
)

// The picker is what a person sees after typing `assume` alone: these tests drive it in a real
// terminal (tmux) through the shell wrapper, as that person would, with static-key profiles so
// that no STS is involved.

var pickerProfiles = []struct{ name, key, region string }{
	{"dev-user", "AKIAPICKDEV000000001", "eu-west-1"},
	{"prod-admin", "AKIAPICKPRODADMIN001", "us-east-1"},
	{"prod-readonly", "AKIAPICKPRODREAD0001", "eu-central-1"},
}

// pickerWait bounds each wait for the picker's terminal: a program that never draws fails the
// test after a while (the bound only keeps a hung prompt from stalling the suite; nothing here
// measures time).
const pickerWait = 20 * time.Second

// startPicker starts shell in tmux with assume's integration sourced, the binary first on PATH
// and a private AWS configuration, and waits for its prompt.
func startPicker(t *testing.T, shell string) *terminal {
	t.Helper()
	bin := requireAssume(t)

	dir := t.TempDir()
	var config, credentials strings.Builder
	for _, p := range pickerProfiles {
		fmt.Fprintf(&config, "[profile %s]\nregion = %s\n\n", p.name, p.region)
		fmt.Fprintf(&credentials, "[%s]\naws_access_key_id = %s\naws_secret_access_key = secret-of-%s\n\n", p.name, p.key, p.name)
	}
	files := testkit.WriteAWSFiles(t, dir, config.String(), credentials.String())
	home := filepath.Join(dir, "home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}

	// The shell starts with only these variables; its start-up file adds the integration.
	env := []string{
		"PATH=" + filepath.Dir(bin) + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME=" + home,
		"ZDOTDIR=" + home,
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"),
		"AWS_CONFIG_FILE=" + files.Config,
		"AWS_SHARED_CREDENTIALS_FILE=" + files.Credentials,
		"AWS_EC2_METADATA_DISABLED=true",
		"LANG=C.UTF-8",
		"TERM=screen", // what tmux emulates by default
	}
	argv := testkit.InteractiveShell(t, shell, home, readyWithAssume(shell))
	p := newTerminal(t, testkit.TmuxOptions{Dir: dir, Name: "picker", Width: 120, Height: 30, Env: env, Argv: argv})
	// capture-pane drops trailing blanks: the prompt shows as "ready>".
	p.waitForScreen("the shell's prompt", pickerWait, func(s string) bool { return strings.Contains(s, "ready>") })
	return p
}

// shellState makes the shell write its status and assume's variables to a file, and returns them.
func (p *terminal) shellState(shell string) string {
	p.t.Helper()
	out := filepath.Join(p.dir, fmt.Sprintf("state-%d", time.Now().UnixNano()))
	status := "$?"
	if shell == "fish" {
		status = "$status"
	}
	// The status first: it is that of the command run just before.
	p.Type(fmt.Sprintf(`printf '%%s|%%s|%%s|%%s|%%s\n' "%s" "$AWS_ACCESS_KEY_ID" "$ASSUME_PROFILE" "$AWS_REGION" "$AWS_SESSION_TOKEN" > %s`, status, out))
	p.Keys("Enter")
	var data []byte
	p.waitForScreen("the shell to write its variables", pickerWait, func(string) bool {
		var err error
		data, err = os.ReadFile(out)
		return err == nil && strings.HasSuffix(string(data), "\n")
	})
	return strings.TrimSuffix(string(data), "\n")
}

func TestPickerTypeToFilterExportsTheChoice(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			p := startPicker(t, shell)
			p.Type("assume")
			p.Keys("Enter")
			// Every profile is offered with its kind and region.
			p.waitForScreen("the picker with every profile", pickerWait, func(s string) bool {
				for _, prof := range pickerProfiles {
					if !strings.Contains(s, prof.name+" - static, "+prof.region) {
						return false
					}
				}
				return strings.Contains(s, "Profile:")
			})
			p.Type("readonly")
			p.waitForScreen("the list filtered to prod-readonly", pickerWait, func(s string) bool {
				return strings.Contains(s, "> prod-readonly") && !strings.Contains(s, "dev-user -") && !strings.Contains(s, "prod-admin -")
			})
			p.Keys("Enter")
			p.waitForScreen("assume's notice and the next prompt", pickerWait, func(s string) bool {
				i := strings.Index(s, "assume: prod-readonly (static keys)")
				return i >= 0 && strings.Contains(s[i:], "ready>")
			})
			want := pickerProfiles[2]
			if got := p.shellState(shell); got != fmt.Sprintf("0|%s|%s|%s|", want.key, want.name, want.region) {
				t.Fatalf("after picking, status|key|profile|region|token = %q", got)
			}
			if s := p.Screen(); strings.Contains(s, "secret-of-") {
				t.Fatalf("a secret key reached the terminal:\n%s", s)
			}
		})
	}
}

func TestPickerInterruptedExportsNothing(t *testing.T) {
	p := startPicker(t, "bash")
	p.Type("assume")
	p.Keys("Enter")
	p.waitForScreen("the picker", pickerWait, func(s string) bool { return strings.Contains(s, "> dev-user") })
	p.Keys("C-c")
	p.waitForScreen("the prompt after the picker", pickerWait, func(s string) bool {
		return strings.Count(s, "ready>") >= 2
	})
	state := p.shellState("bash")
	if status, rest, _ := strings.Cut(state, "|"); status == "0" || rest != "|||" {
		t.Fatalf("after Ctrl-C, status|key|profile|region|token = %q; want a failure and nothing set", state)
	}
	if s := p.Screen(); !strings.Contains(s, "assume: cancelled at the prompt.") {
		t.Fatalf("no word about the cancelled pick:\n%s", s)
	}
}
