//go:build unix

package credcache

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// dir is the open cache folder. Every entry is reached relative to it (openat and friends) and never through a
// symbolic link, so neither a link in an entry's place nor a link swapped in for the folder after it was opened can
// send a read, a lock or a delete elsewhere.
type dir struct {
	f  *os.File
	fd int
}

// openDir opens the folder at path, which must be a real folder, not a symbolic link.
func openDir(path string) (*dir, error) {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		if info, lerr := os.Lstat(path); lerr == nil && info.Mode()&fs.ModeSymlink != 0 {
			return nil, &FolderLinkError{Dir: path}
		}
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	return &dir{f: os.NewFile(uintptr(fd), path), fd: fd}, nil
}

func (d *dir) close() { d.f.Close() }

// makePrivate tightens the folder to 0700 when it is looser.
func (d *dir) makePrivate() error {
	info, err := d.f.Stat()
	if err != nil {
		return err
	}
	if privateMode(info.Mode()) {
		return nil
	}
	return d.f.Chmod(0o700)
}

// openEntry opens name for reading: a symbolic link fails (errLink), a FIFO does not hang.
func (d *dir) openEntry(name string) (*os.File, error) {
	fd, err := unix.Openat(d.fd, name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, d.openErr(name, err)
	}
	return os.NewFile(uintptr(fd), name), nil
}

// openLock opens (creating it 0600) the lock file name, never through a symbolic link.
func (d *dir) openLock(name string) (*os.File, error) {
	fd, err := unix.Openat(d.fd, name, unix.O_RDWR|unix.O_CREAT|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, d.openErr(name, err)
	}
	f := os.NewFile(uintptr(fd), name)
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("the lock file %s is not a regular file", name)
	}
	return f, nil
}

func (d *dir) openErr(name string, err error) error {
	switch {
	case errors.Is(err, unix.ENOENT):
		return fs.ErrNotExist
	case errors.Is(err, unix.ELOOP), errors.Is(err, unix.EMLINK): // EMLINK: FreeBSD's answer to O_NOFOLLOW
		return errLink
	}
	return &os.PathError{Op: "open", Path: name, Err: err}
}

// writeEntry replaces name with data atomically: a temporary file created here (never through a link), flushed,
// then renamed over the name, which replaces whatever the name was (a link included) without following it.
func (d *dir) writeEntry(name string, data []byte) (err error) {
	var suffix [6]byte
	if _, err := rand.Read(suffix[:]); err != nil {
		return err
	}
	tmp := "." + name + tmpInfix + hex.EncodeToString(suffix[:])
	fd, err := unix.Openat(d.fd, tmp, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return &os.PathError{Op: "create", Path: tmp, Err: err}
	}
	f := os.NewFile(uintptr(fd), tmp)
	defer func() {
		if err != nil {
			f.Close()
			_ = unix.Unlinkat(d.fd, tmp, 0)
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = unix.Renameat(d.fd, tmp, d.fd, name); err != nil {
		return &os.PathError{Op: "rename", Path: name, Err: err}
	}
	_ = d.f.Sync()
	return nil
}

// remove deletes name itself; unlinking never follows a link.
func (d *dir) remove(name string) error {
	err := unix.Unlinkat(d.fd, name, 0)
	if errors.Is(err, unix.ENOENT) {
		return fs.ErrNotExist
	}
	if err != nil {
		return &os.PathError{Op: "remove", Path: name, Err: err}
	}
	return nil
}

// names lists the folder once.
func (d *dir) names() ([]string, error) {
	if _, err := d.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return d.f.Readdirnames(-1)
}

// privateMode: nobody but the owner may read or write.
func privateMode(m fs.FileMode) bool { return m.Perm()&0o077 == 0 }
