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

// Binary is the assume program, built once for a test binary (from TestMain): the assume front
// and assume-full, the whole program it hands runs to, side by side as they are installed.
type Binary struct {
	Dir  string // holds assume and assume-full: it goes first on PATH
	Path string // Dir/assume, the command users type
	Err  error  // why it could not be built
}

// BuildAssume builds cmd/assume and cmd/assume-full into dir. ASSUME_E2E_BIN names an assume to
// test instead (a release build, say), with its assume-full beside it; both are linked in under
// the names users type (shells find assume by name, and assume finds assume-full beside itself,
// following the link).
func BuildAssume(dir string) Binary {
	b := Binary{Dir: dir, Path: filepath.Join(dir, "assume")}
	b.Err = b.build()
	return b
}

// fullName is the file name of the whole program, which assume hands runs to.
const fullName = "assume-full"

func (b *Binary) build() error {
	if err := os.MkdirAll(b.Dir, 0o755); err != nil {
		return err
	}
	if given := os.Getenv("ASSUME_E2E_BIN"); given != "" {
		abs, err := filepath.Abs(given)
		if err != nil {
			return err
		}
		if err := os.Symlink(abs, b.Path); err != nil {
			return err
		}
		// A build from before the split has no assume-full, and needs none.
		full := filepath.Join(filepath.Dir(abs), fullName)
		if _, err := os.Stat(full); err != nil {
			return nil
		}
		return os.Symlink(full, filepath.Join(b.Dir, fullName))
	}
	root, err := RepoRoot()
	if err != nil {
		return err
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		return fmt.Errorf("the go command is not on PATH: %w", err)
	}
	// With -o naming a folder (the trailing separator), each program is written into it under
	// its own name.
	cmd := exec.Command(goTool, "build", "-o", b.Dir+string(os.PathSeparator), "./cmd/assume", "./cmd/"+fullName)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/assume ./cmd/%s: %v\n%s", fullName, err, out)
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

// Main builds the programs into a temporary folder, runs the tests and removes the folder; call
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
