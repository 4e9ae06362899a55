package testkit

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
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

// BuildProgram builds the Go program in pkg (a path such as ./testdata/client, relative to the
// package under test) as dir/name and returns its path.
func BuildProgram(t testing.TB, pkg, dir, name string) string {
	t.Helper()
	bin := filepath.Join(dir, name)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}
