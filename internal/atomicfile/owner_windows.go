//go:build windows

package atomicfile

import (
	"io/fs"
	"os"
)

const (
	openNoFollow = 0 // os.OpenFile cannot refuse a link on Windows; creating one there takes a privilege
	openNonBlock = 0
)

// checkWritable refuses a file with the read-only attribute, which Go shows as a mode without write bits.
func checkWritable(path string, info fs.FileInfo) error {
	if info.Mode().Perm()&0o200 == 0 {
		return &ReadOnlyError{Path: path, Mode: info.Mode().Perm()}
	}
	return nil
}

// keepOwner does nothing on Windows: a new file inherits the folder's ACL, and there is no sudo.
func keepOwner(*os.File, string, fs.FileInfo) error { return nil }
