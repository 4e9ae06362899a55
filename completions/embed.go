// Package completions holds the tab-completion scripts for `assume`, one real file per shell,
// embedded so the binary can print them (`assume --init SHELL` includes them).
package completions

import (
	_ "embed"
	"fmt"
	"strings"
)

var (
	//go:embed assume.bash
	bashScript []byte
	//go:embed _assume
	zshScript []byte
	//go:embed assume.fish
	fishScript []byte
	//go:embed assume.ps1
	powershellScript []byte
)

// names lists the shells in the order they are shown to users.
var names = []string{"bash", "zsh", "fish", "powershell"}

// Names returns the shells that have a completion script.
func Names() []string { return append([]string(nil), names...) }

// Script returns the completion script for shell ("pwsh" is an alias of "powershell").
// The returned slice is a copy the caller may modify.
func Script(shell string) ([]byte, error) {
	var s []byte
	switch shell {
	case "bash":
		s = bashScript
	case "zsh":
		s = zshScript
	case "fish":
		s = fishScript
	case "powershell", "pwsh":
		s = powershellScript
	default:
		return nil, fmt.Errorf("no completion for shell %q: choose one of %s", shell, strings.Join(names, ", "))
	}
	return append([]byte(nil), s...), nil
}
