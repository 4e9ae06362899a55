// Package shelldetect guesses which shell will evaluate assume's output: the
// parent process first (the shell running `$(assume …)` or the wrapper), then
// $SHELL, then bash.
package shelldetect

import (
	"os"
	"path/filepath"
	"strings"
)

// Detect returns "bash", "zsh", "fish" or "powershell".
func Detect() string {
	if s := normalize(parentName()); s != "" {
		return s
	}
	if s := normalize(os.Getenv("SHELL")); s != "" {
		return s
	}
	return "bash"
}

// normalize maps a process name or path to a format name, or "" when it is
// not a shell assume knows.
func normalize(name string) string {
	name = strings.TrimPrefix(filepath.Base(strings.TrimSpace(name)), "-") // "-zsh" is a login shell
	name = strings.TrimSuffix(strings.ToLower(name), ".exe")
	switch name {
	case "bash", "sh", "ksh", "mksh":
		return "bash"
	case "zsh":
		return "zsh"
	case "fish":
		return "fish"
	case "pwsh", "powershell":
		return "powershell"
	}
	return ""
}
