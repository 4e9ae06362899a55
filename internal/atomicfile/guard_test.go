package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// TestLockWaitGivesUp: a second writer says once that it waits, then gives up at its deadline with a
// *LockTimeoutError, and writes nothing.
func TestLockWaitGivesUp(t *testing.T) {
	path := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(path, []byte("first\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	unlock, err := Lock(path)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()

	var told []time.Duration
	wait := Wait{Timeout: time.Millisecond, Waiting: func(d time.Duration) { told = append(told, d) }}
	err = UpdateWith(path, 0, Options{Wait: wait}, func(old []byte) ([]byte, error) {
		t.Error("the update ran while another holder had the lock")
		return []byte("second\n"), nil
	})
	var timeout *LockTimeoutError
	if !errors.As(err, &timeout) || timeout.Timeout != time.Millisecond || timeout.Path != path+".lock" {
		t.Fatalf("error = %v, want a LockTimeoutError for %s.lock after 1ms", err, path)
	}
	if len(told) != 1 || told[0] != time.Millisecond {
		t.Errorf("Waiting was told %v, want once, with 1ms", told)
	}
	if got := readString(t, path); got != "first\n" {
		t.Errorf("content = %q, want it untouched", got)
	}

	// LockWith gives up the same way.
	if _, err := LockWith(path, wait); !errors.As(err, &timeout) {
		t.Errorf("LockWith error = %v, want a LockTimeoutError", err)
	}

	// A free lock is taken at once, and nobody is told anything.
	unlock()
	told = nil
	if err := UpdateWith(path, 0, Options{Wait: wait}, func([]byte) ([]byte, error) { return []byte("second\n"), nil }); err != nil {
		t.Fatal(err)
	}
	if told != nil {
		t.Errorf("Waiting was told %v for a free lock", told)
	}
}

// TestReadOnlyFileRefused: a 0400 file is not replaced, by root either.
func TestReadOnlyFileRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(path, []byte("keep\n"), 0o400); err != nil {
		t.Fatal(err)
	}
	var ro *ReadOnlyError
	err := Update(path, 0, func([]byte) ([]byte, error) { return []byte("changed\n"), nil })
	if !errors.As(err, &ro) {
		t.Errorf("Update error = %v, want a ReadOnlyError", err)
	}
	if err := WriteFile(path, []byte("changed\n"), 0); !errors.As(err, &ro) {
		t.Errorf("WriteFile error = %v, want a ReadOnlyError", err)
	}
	if got := readString(t, path); got != "keep\n" {
		t.Errorf("content = %q, want it untouched", got)
	}
	assertNoTempFiles(t, filepath.Dir(path))
}

// TestOversizedFileRefused: a 4 GiB sparse file is refused before it is read.
func TestOversizedFileRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "credentials")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(4 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var big *TooLargeError
	err = Update(path, 0, func([]byte) ([]byte, error) {
		t.Error("the callback got the oversized content")
		return nil, nil
	})
	if !errors.As(err, &big) || big.Limit != DefaultMaxSize {
		t.Fatalf("error = %v, want a TooLargeError at the default cap", err)
	}
	small := filepath.Join(t.TempDir(), "small")
	if err := os.WriteFile(small, []byte("12345"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := UpdateWith(small, 0, Options{MaxSize: 4}, func(b []byte) ([]byte, error) { return b, nil }); !errors.As(err, &big) {
		t.Errorf("error = %v, want a TooLargeError at a cap of 4 bytes", err)
	}
	if err := UpdateWith(small, 0, Options{MaxSize: 5}, func(b []byte) ([]byte, error) { return b, nil }); err != nil {
		t.Errorf("a file of exactly the cap was refused: %v", err)
	}
}

// TestLockFileLinkNotFollowed: a symbolic link in the lock file's place is not followed, so the lock neither creates
// nor holds a file elsewhere.
func TestLockFileLinkNotFollowed(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("creating symbolic links needs a privilege on Windows")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "credentials")
	elsewhere := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.Symlink(elsewhere, path+".lock"); err != nil {
		t.Fatal(err)
	}
	if err := Update(path, 0, func([]byte) ([]byte, error) { return []byte("x"), nil }); err == nil {
		t.Error("Update went through a symbolic link at the lock file")
	}
	if _, err := os.Lstat(elsewhere); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the link's target was created (lstat error %v)", err)
	}
}
