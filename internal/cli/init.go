package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/assume-cli/assume/internal/render"
	"github.com/assume-cli/assume/shell"
)

// integrationFor returns the shell whose integration --init can load ("pwsh" is PowerShell),
// or nil for one without (sh) or an unknown name.
func integrationFor(name string) *shell.Shell {
	s, ok := shell.Integration(name)
	if !ok {
		return nil
	}
	return &s
}

// guidance is the answer when credentials would land on a terminal: the wrapper that
// evaluates them is not loaded in this shell.
func guidance(profile string, f render.Format, d Deps) error {
	name := profile
	if name == "" {
		name = "PROFILE"
	}
	in := integrationFor(string(f))
	if in == nil {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("credentials are not printed to a terminal: run `eval \"$(assume %s)\"`, or pass --format to print them anyway", name)}
	}
	how := fmt.Sprintf("add `%s` to %s and run `assume %s`, or run `%s`", in.RCLine, in.RCFile, name, fmt.Sprintf(in.ByHand, name))
	if rcLoadsAssume(in, d) {
		// The line is there, so this shell started before it was added (or before assume was
		// on PATH): the file need not change, the shell must read it again.
		how = fmt.Sprintf("your %s loads assume, but this shell has not run that line: open a new terminal (or run `%s` here) and run `assume %s`", in.RCFile, reloadCommand(in), name)
	}
	return &ExitError{Code: ExitFailure, Err: fmt.Errorf("credentials are not printed to a terminal: %s (or pass --format to print them anyway)", how)}
}

// rcLoadsAssume reports whether the shell's start-up file already has an `assume --init` line.
func rcLoadsAssume(in *shell.Shell, d Deps) bool {
	path := rcPath(in, d.Getenv)
	if path == "" {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	// Start-up files are small; a huge one is not worth reading for a hint.
	b, err := io.ReadAll(io.LimitReader(f, 1<<20))
	return err == nil && strings.Contains(string(b), "assume --init "+in.Name)
}

// rcPath is where a shell reads its start-up file, "" when unknown.
func rcPath(in *shell.Shell, getenv func(string) string) string {
	home := getenv("HOME")
	switch in.Name {
	case "bash":
		if home != "" {
			return filepath.Join(home, ".bashrc")
		}
	case "zsh":
		if z := getenv("ZDOTDIR"); z != "" {
			return filepath.Join(z, ".zshrc")
		}
		if home != "" {
			return filepath.Join(home, ".zshrc")
		}
	case "fish":
		if x := getenv("XDG_CONFIG_HOME"); x != "" {
			return filepath.Join(x, "fish", "config.fish")
		}
		if home != "" {
			return filepath.Join(home, ".config", "fish", "config.fish")
		}
	}
	return ""
}

func reloadCommand(in *shell.Shell) string {
	if in.Name == "powershell" {
		return ". $PROFILE"
	}
	return "source " + in.RCFile
}
