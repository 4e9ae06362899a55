//go:build !windows

// Command assume exports AWS credentials for a profile, with MFA and cached sessions, for a
// shell to evaluate.
//
// It is the small front of two programs. The everyday runs (listing profiles, exporting static
// keys or a cached session that is still fresh) need neither the network nor the AWS SDK, and
// internal/fastpath answers them in a program that links neither, so they start almost as fast
// as an empty Go program: Go runs the init of every package linked in, whether a run uses it or
// not. Every other run is handed, unchanged, to assume-full, the whole program, installed in the
// same folder.
package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/assume-cli/assume/internal/display"
	"github.com/assume-cli/assume/internal/fastpath"
)

// fullName is the whole program's file name, next to this one.
const fullName = "assume-full"

func main() {
	if code, handled := fastpath.Main(os.Args[1:]); handled {
		os.Exit(code)
	}
	err := handOver()
	// Only reached when the hand-over failed: stdout stays empty.
	fmt.Fprintf(os.Stderr, "assume: %s.\n", err)
	os.Exit(1)
}

// handOver replaces this process with assume-full, run with the same arguments (argv[0]
// included, so its messages name the command the user typed) and environment. Exec keeps the
// process (its PID, terminal, signals and open streams) and only swaps the program, so there is
// no child to wait for or bound with a deadline: assume-full's exit code is the process's. It
// returns only when that could not be done, with the sentence to show.
func handOver() error {
	self, err := os.Executable()
	if err == nil {
		// A symlinked assume on PATH: assume-full is installed beside the file it points to.
		// (Linux resolves the link already; macOS does not.)
		self, err = filepath.EvalSymlinks(self)
	}
	if err != nil {
		return fmt.Errorf("cannot find its own program file, beside which %s is installed (%s); run %s instead", fullName, display.Safe(err.Error()), fullName)
	}
	dir := filepath.Dir(self)
	full := filepath.Join(dir, fullName)
	err = syscall.Exec(full, append([]string{os.Args[0]}, os.Args[1:]...), os.Environ())
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s is not installed next to %s; install both with: go install ./cmd/assume ./cmd/%s",
			fullName, display.Safe(self), fullName)
	}
	return fmt.Errorf("cannot run %s (%s); reinstall both with: go install ./cmd/assume ./cmd/%s", display.Safe(full), display.Safe(err.Error()), fullName)
}
