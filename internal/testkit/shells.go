package testkit

import (
	"os"
	"path/filepath"
	"testing"
)

// cleanFlags make each shell read no start-up file: what a test runs sees nothing of the
// developer's set-up.
var cleanFlags = map[string][]string{
	"bash": {"--noprofile", "--norc"},
	"zsh":  {"-f"},
	"fish": {"--no-config"},
}

// CleanShell is argv for shell (bash, zsh or fish, found on PATH as named) reading no start-up
// file, followed by args: CleanShell("bash", "-c", script).
func CleanShell(shell string, args ...string) []string {
	flags, ok := cleanFlags[shell]
	if !ok {
		panic("testkit: no clean start for " + shell)
	}
	return append(append([]string{shell}, flags...), args...)
}

// InteractiveShell is argv for an interactive shell (bash, zsh or fish) that reads only the
// start-up file it is given: rc, written into home where the shell looks for it. zsh finds it
// through ZDOTDIR (or HOME), fish through XDG_CONFIG_HOME=home/.config: the caller's
// environment must point there.
func InteractiveShell(t testing.TB, shell, home, rc string) []string {
	t.Helper()
	path := RequireTool(t, shell)
	switch shell {
	case "bash":
		WriteFile(t, filepath.Join(home, ".bashrc"), rc)
		return []string{path, "--noprofile", "--rcfile", filepath.Join(home, ".bashrc"), "-i"}
	case "zsh":
		WriteFile(t, filepath.Join(home, ".zshrc"), rc)
		return []string{path, "-i"}
	case "fish":
		// An existing generated_completions folder keeps fish from starting a background job
		// that parses man pages into it while the test's folder is being removed.
		for _, dir := range []string{filepath.Join(home, ".config", "fish"), filepath.Join(home, ".local", "share", "fish", "generated_completions")} {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
		}
		WriteFile(t, filepath.Join(home, ".config", "fish", "config.fish"), rc)
		return []string{path, "-i"}
	}
	t.Fatalf("no start-up recipe for %s", shell)
	return nil
}
