// Package atomicfile writes files so that a reader (or a crash) sees either the old content or the new content,
// never a mix, and lets several processes edit one file without losing each other's changes.
//
// Writes go to a temporary file in the target's own folder (a rename is only atomic within one file system), which is
// flushed to disk, given its final mode and then renamed over the target; the folder is flushed afterwards so the
// rename itself survives a power cut.
//
// Symbolic links: when path is a symbolic link, the file it points to is replaced and the link is kept. Users often
// keep ~/.aws/credentials as a link into a dotfiles folder or an encrypted volume; replacing the link with a plain file
// would silently detach their copy.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// defaultPerm is used when a caller passes a zero mode: files written here usually hold secrets.
const defaultPerm os.FileMode = 0o600

// dirPerm is the mode of folders created for a file.
const dirPerm os.FileMode = 0o700

// maxLinkHops bounds symbolic-link resolution so a link loop ends in an error instead of spinning forever.
const maxLinkHops = 40

// testHookBeforeRename, when set by a test, runs after the temporary file is complete and flushed, just before
// the rename. A test uses it to kill the process at the worst moment.
var testHookBeforeRename func()

// WriteFile writes data to path atomically. The file gets mode perm (0600 when perm is 0); missing parent folders are
// created with mode 0700. If path is a symbolic link, the link's target is replaced and the link itself is kept. An
// existing file keeps its owner and group; one that is read-only is refused (see ReadOnlyError, OwnerError).
func WriteFile(path string, data []byte, perm os.FileMode) error {
	if perm == 0 {
		perm = defaultPerm
	}
	target, err := resolveLinks(path)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(target), dirPerm); err != nil {
		return err
	}
	old, err := os.Lstat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		old = nil
	case err != nil:
		return err
	default:
		if err := checkWritable(target, old); err != nil {
			return err
		}
	}
	return replace(target, data, perm, old)
}

// DefaultMaxSize caps what Update reads when Options.MaxSize is zero.
const DefaultMaxSize = 64 << 20

// Options tune Update and Lock.
type Options struct {
	// Wait bounds the wait for a lock another process holds.
	Wait Wait
	// MaxSize caps the size of the file Update reads (DefaultMaxSize when zero): a larger file is refused with a
	// *TooLargeError rather than read into memory.
	MaxSize int64
}

// TooLargeError is Update's refusal of a file over Options.MaxSize.
type TooLargeError struct {
	Path  string
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %d MiB, too large to be the file it should be; it is left as it is", e.Path, e.Limit>>20)
}

// Update runs a read-modify-write cycle on path under an exclusive lock held across processes: it reads the current
// content (nil when the file does not exist), calls fn with it and atomically writes what fn returns. An existing
// file keeps its mode, owner and group (a read-only one is refused, see WriteFile); a new file gets perm (0600 when
// perm is 0), and missing folders are created with mode 0700. If fn returns an error, nothing is written and the
// error is returned as is.
//
// The lock is an advisory lock on a companion file, path+".lock", in the same folder, and not on path itself:
//   - the data file is replaced by a rename on every write, so a lock held on it would stay on the old, unlinked
//     inode and a process that opened the new file would not see it;
//   - on Windows a locked byte range blocks other programs (the AWS CLI, SDKs) from reading the file, and a file held
//     open cannot be renamed over.
//
// The lock file is left in place after use: deleting it would let a process that already opened it and another that
// creates a fresh one hold "the" lock at the same time.
func Update(path string, perm os.FileMode, fn func(old []byte) ([]byte, error)) error {
	return UpdateWith(path, perm, Options{}, fn)
}

// UpdateWith is Update with a bounded wait for the lock and a cap on the size read.
func UpdateWith(path string, perm os.FileMode, o Options, fn func(old []byte) ([]byte, error)) error {
	if perm == 0 {
		perm = defaultPerm
	}
	target, err := resolveLinks(path)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(target), dirPerm); err != nil {
		return err
	}

	unlock, err := acquire(target, o.Wait)
	if err != nil {
		return err
	}
	defer unlock()

	old, info, err := readCapped(target, o.MaxSize)
	if err != nil {
		return err
	}
	mode := perm
	if info != nil {
		if err := checkWritable(target, info); err != nil {
			return err
		}
		mode = info.Mode().Perm()
	}

	data, err := fn(old)
	if err != nil {
		return err
	}
	return replace(target, data, mode, info)
}

// readCapped reads target, refusing one over max bytes (DefaultMaxSize when max is 0) and anything but a regular
// file. A missing file gives nil content and nil info.
func readCapped(target string, max int64) ([]byte, fs.FileInfo, error) {
	if max <= 0 {
		max = DefaultMaxSize
	}
	f, err := os.OpenFile(target, os.O_RDONLY|openNonBlock, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("%s is not a regular file; it is left as it is", target)
	}
	if info.Size() > max {
		return nil, nil, &TooLargeError{Path: target, Limit: max}
	}
	// The size may grow after the Stat: read at most one byte over the cap to notice.
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, nil, err
	}
	if int64(len(data)) > max {
		return nil, nil, &TooLargeError{Path: target, Limit: max}
	}
	return data, info, nil
}

// acquire takes the exclusive lock that guards target (see Update) and returns its release. The lock file itself is
// never a followed symbolic link: a link there could make the lock create or hold a file anywhere.
func acquire(target string, w Wait) (unlock func(), err error) {
	lock, err := os.OpenFile(target+".lock", os.O_RDWR|os.O_CREATE|openNoFollow, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot create the lock file: %w", err)
	}
	if err := waitLock(lock, w); err != nil {
		lock.Close()
		var timeout *LockTimeoutError
		if errors.As(err, &timeout) {
			return nil, err
		}
		return nil, fmt.Errorf("cannot lock %s: %w", lock.Name(), err)
	}
	return func() {
		_ = unlockFile(lock)
		lock.Close() // closing would release the lock anyway; unlocking first says what we mean
	}, nil
}

// replace writes data to a temporary file next to target and renames it over target. old is the file being replaced
// (nil when there is none), whose owner and group the new file gets. On any failure the temporary file is removed
// and target is untouched.
func replace(target string, data []byte, perm os.FileMode, old fs.FileInfo) (err error) {
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	// The leading dot keeps the half-written file out of casual listings; CreateTemp opens it with mode 0600, so a
	// secret is never readable by others even for a moment.
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()

	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if old != nil {
		if err = keepOwner(tmp, target, old); err != nil {
			return err
		}
	}
	// After the chown, which may clear mode bits.
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if testHookBeforeRename != nil {
		testHookBeforeRename()
	}
	if err = os.Rename(tmpName, target); err != nil {
		return err
	}
	// The rename is done; failing to flush the folder only weakens durability, the file is already in place.
	_ = syncDir(dir)
	return nil
}

// resolveLinks follows symbolic links at the end of path and returns the path of the file that should be written.
// A missing file (or a link to a missing file) is fine: its path is returned. The folder part is made canonical
// when it exists, so that two spellings of one file share one lock file.
func resolveLinks(path string) (string, error) {
	current := path
	for range maxLinkHops {
		info, err := os.Lstat(current)
		if err != nil || info.Mode()&fs.ModeSymlink == 0 {
			return canonicalDir(current), nil
		}
		dest, err := os.Readlink(current)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(current), dest)
		}
		current = dest
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", path)
}

func canonicalDir(path string) string {
	dir, err := filepath.EvalSymlinks(filepath.Dir(path))
	if err != nil {
		return path
	}
	return filepath.Join(dir, filepath.Base(path))
}
