//go:build !windows

package credcache

import (
	"io"
	"io/fs"
	"os"
	"syscall"
)

// privateMode: nobody but the owner may read or write.
func privateMode(m fs.FileMode) bool { return m.Perm()&0o077 == 0 }

// readNoFollow reads path without following a symlink put there after the check.
func readNoFollow(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	buf := make([]byte, info.Size())
	_, err = io.ReadFull(f, buf)
	return buf, err
}
