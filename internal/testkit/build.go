package testkit

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Binary is the assume binary, built once for a test binary (from TestMain).
type Binary struct {
	Dir  string // holds the binary, named assume: it goes first on PATH
	Path string
	Err  error // why it could not be built
}

// BuildAssume builds cmd/assume into dir/assume. ASSUME_E2E_BIN names a binary to test instead
// (a release build, say); it is linked in under the name users type, since shells find it by
// name.
func BuildAssume(dir string) Binary {
	b := Binary{Dir: dir, Path: filepath.Join(dir, "assume")}
	b.Err = b.build()
	return b
}

func (b *Binary) build() error {
	if err := os.MkdirAll(b.Dir, 0o755); err != nil {
		return err
	}
	if given := os.Getenv("ASSUME_E2E_BIN"); given != "" {
		abs, err := filepath.Abs(given)
		if err != nil {
			return err
		}
		return os.Symlink(abs, b.Path)
	}
	root, err := RepoRoot()
	if err != nil {
		return err
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		return fmt.Errorf("the go command is not on PATH: %w", err)
	}
	cmd := exec.Command(goTool, "build", "-o", b.Path, "./cmd/assume")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/assume: %v\n%s", err, out)
	}
	return nil
}

// Require returns the binary's path. A build failure fails the test: the CLI is the thing
// under test, so its absence is never a reason to skip.
func (b *Binary) Require(t testing.TB) string {
	t.Helper()
	if b.Err != nil {
		t.Fatalf("the assume binary could not be built: %v", b.Err)
	}
	return b.Path
}

// Main builds the binary into a temporary folder, runs the tests and removes the folder; call
// it from TestMain.
func Main(m *testing.M, bin *Binary) int {
	dir, err := os.MkdirTemp("", "assume-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "testkit:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	*bin = BuildAssume(dir)
	return m.Run()
}
