// Package shelldetect guesses which shell will evaluate assume's output: the
// parent process first (the shell running `$(assume …)` or the wrapper), then
// $SHELL, then bash. Which names belong to which shell is package shell's.
package shelldetect

import (
	"github.com/assume-cli/assume/shell"
)

// Detect returns the name of the calling shell; getenv reads $SHELL.
func Detect(getenv func(string) string) string { return detect(parentName(), getenv("SHELL")) }

// Parent returns the name of the shell that started this process, or "" when the parent is
// no shell assume knows: unlike Detect it never guesses from $SHELL, for when only the shell
// reading the output right now counts.
func Parent() string {
	if s, ok := shell.FromProcess(parentName()); ok {
		return s.Name
	}
	return ""
}

// detect chooses from the parent process's name and $SHELL. A $SHELL that
// names no shell assume knows (tcsh, nu, …) gets the POSIX format: it is the
// one that the most shells read, and it never relies on bash's $'…'.
func detect(parent, shellVar string) string {
	if s, ok := shell.FromProcess(parent); ok {
		return s.Name
	}
	if s, ok := shell.FromProcess(shellVar); ok {
		return s.Name
	}
	if shellVar != "" {
		return shell.POSIX().Name
	}
	return "bash"
}
