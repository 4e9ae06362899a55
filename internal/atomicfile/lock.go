package atomicfile

import (
	"os"
	"path/filepath"
)

// Lock takes the cross-process lock that Update uses for path and returns the function that releases it. It is for
// read-decide-write cycles that Update's callback cannot express, such as one spanning several files or a slow step
// (an STS call that fills a cache entry). While holding it, write path with WriteFile: Update would wait for this
// same lock forever. A symbolic link is resolved as in Update, so both always agree on the lock file.
func Lock(path string) (unlock func(), err error) {
	return LockWith(path, Wait{})
}

// LockWith is Lock with a bounded wait for a lock another process holds.
func LockWith(path string, w Wait) (unlock func(), err error) {
	target, err := resolveLinks(path)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(target), dirPerm); err != nil {
		return nil, err
	}
	return acquire(target, w)
}
