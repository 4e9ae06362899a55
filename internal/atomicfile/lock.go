package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Lock takes the same cross-process lock Update uses for path (on
// path+".lock"), for callers whose read-decide-write spans more than one
// file or a slow step, such as an STS call that fills a cache entry.
func Lock(path string) (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(path), dirPerm); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot create the lock file: %w", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cannot lock %s: %w", f.Name(), err)
	}
	return func() {
		_ = unlockFile(f)
		f.Close()
	}, nil
}
