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
// created with mode 0700. If path is a symbolic link, the link's target is replaced and the link itself is kept.
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
	return replace(target, data, perm)
}

// Update runs a read-modify-write cycle on path under an exclusive lock held across processes: it reads the current
// content (nil when the file does not exist), calls fn with it and atomically writes what fn returns. An existing
// file keeps its mode; a new file gets perm (0600 when perm is 0), and missing folders are created with mode 0700.
// If fn returns an error, nothing is written and the error is returned as is.
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

	unlock, err := acquire(target)
	if err != nil {
		return err
	}
	defer unlock()

	mode := perm
	old, err := os.ReadFile(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		old = nil
	case err != nil:
		return err
	default:
		info, err := os.Stat(target)
		if err != nil {
			return err
		}
		mode = info.Mode().Perm()
	}

	data, err := fn(old)
	if err != nil {
		return err
	}
	return replace(target, data, mode)
}

// acquire takes the exclusive lock that guards target (see Update) and returns its release.
func acquire(target string) (unlock func(), err error) {
	lock, err := os.OpenFile(target+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot create the lock file: %w", err)
	}
	if err := lockFile(lock); err != nil {
		lock.Close()
		return nil, fmt.Errorf("cannot lock %s: %w", lock.Name(), err)
	}
	return func() {
		_ = unlockFile(lock)
		lock.Close() // closing would release the lock anyway; unlocking first says what we mean
	}, nil
}

// replace writes data to a temporary file next to target and renames it over target. On any failure the temporary
// file is removed and target is untouched.
func replace(target string, data []byte, perm os.FileMode) (err error) {
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
