package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Child-process modes: the test binary re-runs itself with one of these set to act as a separate process.
const (
	envChildAppend = "ATOMICFILE_TEST_CHILD_APPEND" // value: file path; appends the line from envChildLine
	envChildLine   = "ATOMICFILE_TEST_CHILD_LINE"
	envChildCrash  = "ATOMICFILE_TEST_CHILD_CRASH" // value: file path; dies between write and rename
	envChildWrite  = "ATOMICFILE_TEST_CHILD_WRITE" // value: file path; WriteFile, the error on stderr
)

// crashExitCode is what a child exits with when it "crashes" just before the rename.
const crashExitCode = 42

func TestMain(m *testing.M) {
	if path := os.Getenv(envChildAppend); path != "" {
		if err := appendLine(path, os.Getenv(envChildLine)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if path := os.Getenv(envChildCrash); path != "" {
		testHookBeforeRename = func() { os.Exit(crashExitCode) }
		err := Update(path, 0, func([]byte) ([]byte, error) { return []byte("new content\n"), nil })
		fmt.Fprintln(os.Stderr, "the crash hook did not run:", err)
		os.Exit(1)
	}
	if path := os.Getenv(envChildWrite); path != "" {
		if err := WriteFile(path, []byte("from the child\n"), 0o666); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func appendLine(path, line string) error {
	return Update(path, 0o600, func(old []byte) ([]byte, error) {
		return append(old, line+"\n"...), nil
	})
}

func childCommand(t *testing.T, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	return cmd
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Mode().Perm()
}

func readString(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func skipModesOnWindows(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permission bits are not enforced on Windows")
	}
}

func TestWriteFileModes(t *testing.T) {
	skipModesOnWindows(t)
	root := t.TempDir()
	path := filepath.Join(root, "a", "b", "secret")

	if err := WriteFile(path, []byte("one"), 0); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, path); got != "one" {
		t.Errorf("content = %q, want %q", got, "one")
	}
	if got := mode(t, path); got != 0o600 {
		t.Errorf("file mode = %o, want 600", got)
	}
	for _, dir := range []string{filepath.Join(root, "a"), filepath.Join(root, "a", "b")} {
		if got := mode(t, dir); got != 0o700 {
			t.Errorf("created folder %s mode = %o, want 700", dir, got)
		}
	}

	if err := WriteFile(path, []byte("two"), 0o640); err != nil {
		t.Fatal(err)
	}
	if got := mode(t, path); got != 0o640 {
		t.Errorf("explicit mode = %o, want 640", got)
	}
	assertNoTempFiles(t, filepath.Dir(path))
}

func TestUpdateModes(t *testing.T) {
	skipModesOnWindows(t)
	dir := t.TempDir()

	fresh := filepath.Join(dir, "new", "file")
	if err := Update(fresh, 0, func(old []byte) ([]byte, error) {
		if old != nil {
			t.Errorf("old content of a missing file = %q, want nil", old)
		}
		return []byte("x"), nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := mode(t, fresh); got != 0o600 {
		t.Errorf("new file mode = %o, want 600", got)
	}
	if got := mode(t, filepath.Dir(fresh)); got != 0o700 {
		t.Errorf("created folder mode = %o, want 700", got)
	}

	existing := filepath.Join(dir, "existing")
	if err := os.WriteFile(existing, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(existing, 0o644); err != nil { // umask may have cut bits
		t.Fatal(err)
	}
	if err := Update(existing, 0o600, func(old []byte) ([]byte, error) {
		if string(old) != "old" {
			t.Errorf("old content = %q, want %q", old, "old")
		}
		return []byte("new"), nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, existing); got != "new" {
		t.Errorf("content = %q, want %q", got, "new")
	}
	if got := mode(t, existing); got != 0o644 {
		t.Errorf("existing file mode = %o, want it kept at 644", got)
	}
}

func TestSymlinkTargetIsWritten(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("creating symbolic links needs a privilege on Windows")
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "dotfiles", "credentials")
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(target, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "credentials")
	if err := os.Symlink(filepath.Join("dotfiles", "credentials"), link); err != nil { // relative link
		t.Fatal(err)
	}

	if err := WriteFile(link, []byte("written\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	assertLinkKept(t, link)
	if got := readString(t, target); got != "written\n" {
		t.Errorf("target content = %q, want %q", got, "written\n")
	}

	if err := Update(link, 0o600, func(old []byte) ([]byte, error) {
		return append(old, "updated\n"...), nil
	}); err != nil {
		t.Fatal(err)
	}
	assertLinkKept(t, link)
	if got := readString(t, target); got != "written\nupdated\n" {
		t.Errorf("target content = %q, want %q", got, "written\nupdated\n")
	}

	// A dangling link: the file it names is created, the link stays.
	dangling := filepath.Join(dir, "config")
	if err := os.Symlink(filepath.Join(dir, "dotfiles", "config"), dangling); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(dangling, []byte("cfg"), 0); err != nil {
		t.Fatal(err)
	}
	assertLinkKept(t, dangling)
	if got := readString(t, filepath.Join(dir, "dotfiles", "config")); got != "cfg" {
		t.Errorf("dangling link target content = %q, want %q", got, "cfg")
	}
}

func assertLinkKept(t *testing.T, link string) {
	t.Helper()
	info, err := os.Lstat(link)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("%s was replaced by a regular file; the link must be kept", link)
	}
}

func TestUpdateFnErrorWritesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "file")
	original := []byte("keep me\r\n")
	if err := os.WriteFile(path, original, 0o600); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	refusal := errors.New("refused")
	err = Update(path, 0o600, func([]byte) ([]byte, error) { return []byte("changed"), refusal })
	if !errors.Is(err, refusal) {
		t.Fatalf("Update error = %v, want the error returned by fn", err)
	}
	after, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := readString(t, path); got != string(original) {
		t.Errorf("content = %q, want it unchanged", got)
	}
	if !os.SameFile(before, after) {
		t.Error("the file was replaced although fn failed")
	}
	assertNoTempFiles(t, dir)

	missing := filepath.Join(dir, "missing")
	if err := Update(missing, 0o600, func([]byte) ([]byte, error) { return nil, refusal }); !errors.Is(err, refusal) {
		t.Fatalf("Update error = %v, want the error returned by fn", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed Update created %s (stat error %v)", missing, err)
	}
}

func TestConcurrentUpdatesLoseNothing(t *testing.T) {
	const goroutines, processes = 20, 20
	path := filepath.Join(t.TempDir(), "shared")

	var want []string
	var wg sync.WaitGroup
	errs := make(chan error, goroutines+processes)
	for i := range processes {
		line := "process " + strconv.Itoa(i)
		want = append(want, line)
		cmd := childCommand(t, envChildAppend+"="+path, envChildLine+"="+line)
		wg.Go(func() {
			if out, err := cmd.CombinedOutput(); err != nil {
				errs <- fmt.Errorf("child %q: %v: %s", line, err, out)
			}
		})
	}
	for i := range goroutines {
		line := "goroutine " + strconv.Itoa(i)
		want = append(want, line)
		wg.Go(func() {
			if err := appendLine(path, line); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	got := strings.Split(strings.TrimSuffix(readString(t, path), "\n"), "\n")
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("lines after %d concurrent appends:\n got %d: %q\nwant %d: %q", len(want), len(got), got, len(want), want)
	}
	assertNoTempFiles(t, filepath.Dir(path))
}

func TestCrashBeforeRenameKeepsOldContent(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "credentials")
	original := []byte("[default]\naws_access_key_id = old\n")
	if err := os.WriteFile(path, original, 0o600); err != nil {
		t.Fatal(err)
	}

	cmd := childCommand(t, envChildCrash+"="+path)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != crashExitCode {
		t.Fatalf("child did not crash at the hook: %v: %s", err, out)
	}

	if got := readString(t, path); got != string(original) {
		t.Errorf("content after a crash = %q, want the old content", got)
	}
	leftovers := tempFiles(t, dir)
	if len(leftovers) != 1 {
		t.Fatalf("temp files after the crash = %q, want exactly the one the crash left", leftovers)
	}
	if got := readString(t, filepath.Join(dir, leftovers[0])); got != "new content\n" {
		t.Errorf("the crashed write's temp file holds %q; the test did not crash where intended", got)
	}

	// The dead process's lock is gone: the next update neither blocks nor trips over the stale temp file.
	if err := appendLine(path, "after crash"); err != nil {
		t.Fatal(err)
	}
	if got, want := readString(t, path), string(original)+"after crash\n"; got != want {
		t.Errorf("content after the next update = %q, want %q", got, want)
	}
}

func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			names = append(names, e.Name())
		}
	}
	return names
}

func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	if left := tempFiles(t, dir); len(left) > 0 {
		t.Errorf("temporary files left behind: %q", left)
	}
}

func TestWriteFileReplacesContentWhole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	if err := WriteFile(path, bytes.Repeat([]byte("long line\n"), 100), 0); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("short"), 0); err != nil {
		t.Fatal(err)
	}
	if got := readString(t, path); got != "short" {
		t.Errorf("content = %q, want %q (no tail of the longer old content)", got, "short")
	}
}

// TestLockExcludesUpdate: while Lock is held (through a symbolic link, to check both resolve to one lock file), an
// Update waits, and then sees what was written under the lock.
func TestLockExcludesUpdate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cache")
	lockPath := path
	if runtime.GOOS != "windows" {
		lockPath = filepath.Join(dir, "link")
		if err := os.Symlink(path, lockPath); err != nil {
			t.Fatal(err)
		}
	}
	unlock, err := Lock(lockPath)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- appendLine(path, "appended") }()

	// Give a broken lock the chance to let the update through; a working one holds it whatever the timing.
	time.Sleep(100 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("Update finished while Lock was held (error %v)", err)
	default:
	}
	if err := WriteFile(path, []byte("held\n"), 0); err != nil {
		t.Fatal(err)
	}
	unlock()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := readString(t, path); got != "held\nappended\n" {
		t.Errorf("content = %q, want the write made under the lock followed by the update", got)
	}
}
