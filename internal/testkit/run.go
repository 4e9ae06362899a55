package testkit

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
)

// Result is what a finished process left.
type Result struct {
	Stdout, Stderr string
	ExitCode       int // -1 when a signal ended it
}

func (r Result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout ---\n%s\n--- stderr ---\n%s", r.ExitCode, r.Stdout, r.Stderr)
}

// Run runs cmd detached from the terminal (Detach), with its output captured. A process that
// ran is a Result whatever its exit; the error says why one could not run.
func Run(cmd *exec.Cmd) (Result, error) {
	Detach(cmd)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := Result{Stdout: stdout.String(), Stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		r.ExitCode = exitErr.ExitCode()
	default:
		return r, err
	}
	return r, nil
}
