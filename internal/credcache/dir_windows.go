//go:build windows

package credcache

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// dir is the cache folder. Windows has no openat; every name is checked with Lstat before use instead (creating a
// symbolic link there takes a privilege that ordinary users do not have).
type dir struct{ path string }

func openDir(path string) (*dir, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if info.Mode()&fs.ModeSymlink != 0 || info.Mode().Type()&fs.ModeIrregular != 0 {
		return nil, &FolderLinkError{Dir: path}
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", path)
	}
	return &dir{path: path}, nil
}

func (d *dir) close() {}

// makePrivate does nothing: the user's profile folder is already private by its ACL.
func (d *dir) makePrivate() error { return nil }

func (d *dir) notLink(name string) error {
	info, err := os.Lstat(filepath.Join(d.path, name))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fs.ErrNotExist
		}
		return err
	}
	if info.Mode()&(fs.ModeSymlink|fs.ModeIrregular) != 0 {
		return errLink
	}
	return nil
}

func (d *dir) openEntry(name string) (*os.File, error) {
	if err := d.notLink(name); err != nil {
		return nil, err
	}
	return os.Open(filepath.Join(d.path, name))
}

func (d *dir) openLock(name string) (*os.File, error) {
	if err := d.notLink(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return os.OpenFile(filepath.Join(d.path, name), os.O_RDWR|os.O_CREATE, 0o600)
}

func (d *dir) writeEntry(name string, data []byte) (err error) {
	var suffix [6]byte
	if _, err := rand.Read(suffix[:]); err != nil {
		return err
	}
	tmp := filepath.Join(d.path, "."+name+tmpInfix+hex.EncodeToString(suffix[:]))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
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
	return os.Rename(tmp, filepath.Join(d.path, name))
}

func (d *dir) remove(name string) error {
	err := os.Remove(filepath.Join(d.path, name))
	if errors.Is(err, fs.ErrNotExist) {
		return fs.ErrNotExist
	}
	return err
}

func (d *dir) names() ([]string, error) {
	f, err := os.Open(d.path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Readdirnames(-1)
}

// privateMode: Windows has no Unix modes; the user's profile folder is already private by its ACL.
func privateMode(fs.FileMode) bool { return true }
