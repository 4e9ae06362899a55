package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assume-cli/assume/internal/cli"
	"github.com/assume-cli/assume/internal/iostreams"
)

// runIn runs assume as if called from the named shell, with HOME set.
func runIn(t *testing.T, shell, home string, pipe, tty bool, args ...string) (int, string, string) {
	t.Helper()
	streams := iostreams.Test()
	streams.SetStdoutPipe(pipe)
	streams.SetStdoutTTY(tty)
	code := cli.Main(context.Background(), args, cli.Deps{
		Streams: streams.IOStreams,
		Getenv: func(k string) string {
			if k == "HOME" {
				return home
			}
			return os.Getenv(k)
		},
		CacheDir:    filepath.Join(home, "cache"),
		DetectShell: func() string { return shell },
		ParentShell: func() string { return shell },
	})
	return code, streams.OutBuf.String(), streams.ErrBuf.String()
}

// The rc line of another shell (bash's eval in ~/.zshrc) is refused with the right line,
// but only while a shell reads the output: a file may hold any shell's integration.
func TestInitForAnotherShellSaysWhichLine(t *testing.T) {
	cases := []struct{ running, asked, want string }{
		{"zsh", "bash", `in ~/.zshrc, use eval "$(assume --init zsh)" instead`},
		{"bash", "fish", `in ~/.bashrc, use eval "$(assume --init bash)" instead`},
		{"fish", "zsh", "in ~/.config/fish/config.fish, use assume --init fish | source instead"},
		{"powershell", "bash", "in $PROFILE, use assume --init powershell | Out-String | Invoke-Expression instead"},
	}
	for _, c := range cases {
		code, out, errOut := runIn(t, c.running, t.TempDir(), true, false, "--init", c.asked)
		if code != 2 || out != "" || !strings.Contains(errOut, c.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%s running --init %s: exit %d, stdout %d bytes, stderr %q; want 2 and %q", c.running, c.asked, code, len(out), errOut, c.want)
		}
	}
	for _, c := range []struct {
		running, asked string
		pipe           bool
	}{{"zsh", "zsh", true}, {"bash", "bash", true}, {"powershell", "pwsh", true}, {"sh", "bash", true}, {"zsh", "bash", false}} {
		code, out, errOut := runIn(t, c.running, t.TempDir(), c.pipe, false, "--init", c.asked)
		if code != 0 || !strings.Contains(out, "assume") || errOut != "" {
			t.Errorf("%s running --init %s (pipe %v): exit %d, stderr %q; want the script", c.running, c.asked, c.pipe, code, errOut)
		}
	}
}

// On a terminal without the wrapper, the advice depends on whether the rc file already
// loads assume: then the shell only has to read it again.
func TestGuidanceKnowsTheRCFile(t *testing.T) {
	home := t.TempDir()
	code, out, errOut := runIn(t, "bash", home, false, true, "static")
	if code != 1 || out != "" || !strings.Contains(errOut, "add `eval \"$(assume --init bash)\"` to ~/.bashrc") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	write(t, filepath.Join(home, ".bashrc"), "export X=1\neval \"$(assume --init bash)\"\n")
	code, out, errOut = runIn(t, "bash", home, false, true, "static")
	if code != 1 || out != "" || !strings.Contains(errOut, "your ~/.bashrc loads assume, but this shell has not run that line: open a new terminal (or run `source ~/.bashrc` here)") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if err := os.MkdirAll(filepath.Join(home, ".config", "fish"), 0o700); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(home, ".config", "fish", "config.fish"), "assume --init fish | source\n")
	if _, _, errOut = runIn(t, "fish", home, false, true, "static"); !strings.Contains(errOut, "source ~/.config/fish/config.fish") {
		t.Fatalf("fish: stderr %q", errOut)
	}
}
