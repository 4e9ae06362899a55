//go:build windows

package cli

import (
	"fmt"
	"os/exec"
)

// lookPath finds name with PATHEXT as Windows does; there is no x bit to tell
// "not executable" from "not found".
func lookPath(name, _ string) (string, error) {
	p, err := exec.LookPath(name)
	if err != nil {
		return "", &ExitError{Code: exitNotFound, Err: fmt.Errorf("cannot run %q: command not found", name)}
	}
	return p, nil
}
