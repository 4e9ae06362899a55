//go:build windows

package credcache

import (
	"io/fs"
	"os"
)

// privateMode: Windows has no Unix modes; the user's profile folder is
// already private by its ACL.
func privateMode(fs.FileMode) bool { return true }

func readNoFollow(path string) ([]byte, error) { return os.ReadFile(path) }
