package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// DefaultLockTimeout is how long a lock held by another process is waited for when Wait.Timeout is zero. The
// holder may be waiting for a person to type an MFA code, so it is generous, but finite.
const DefaultLockTimeout = 2 * time.Minute

// Wait says how long to wait for a lock that another process holds, and whom to tell that it is waiting.
type Wait struct {
	// Timeout bounds the wait; zero means DefaultLockTimeout.
	Timeout time.Duration
	// Waiting, when set, is called once, as soon as the lock is found held, with the longest wait ahead, so a
	// person knows why nothing happens.
	Waiting func(timeout time.Duration)
}

func (w Wait) timeout() time.Duration {
	if w.Timeout <= 0 {
		return DefaultLockTimeout
	}
	return w.Timeout
}

// LockTimeoutError is returned when another process held the lock for longer than the wait allowed.
type LockTimeoutError struct {
	Path    string // the lock file
	Timeout time.Duration
}

func (e *LockTimeoutError) Error() string {
	return fmt.Sprintf("gave up after %s waiting for the lock on %s, which another process holds", e.Timeout, e.Path)
}

// errLockBusy is what tryLockFile returns when another open file holds the lock.
var errLockBusy = errors.New("lock held elsewhere")

// LockOpenFile takes the exclusive lock on f (an open lock file) under w and returns its release. It is for callers
// that open the lock file themselves, for instance without following symbolic links.
func LockOpenFile(f *os.File, w Wait) (unlock func(), err error) {
	if err := waitLock(f, w); err != nil {
		return nil, err
	}
	return func() { _ = unlockFile(f) }, nil
}

// waitLock polls for the lock rather than blocking in the kernel: a blocked flock or LockFileEx cannot be given a
// deadline. The poll interval grows from a few milliseconds, so an uncontended or briefly held lock costs nothing.
func waitLock(f *os.File, w Wait) error {
	err := tryLockFile(f)
	if !errors.Is(err, errLockBusy) {
		return err
	}
	timeout := w.timeout()
	if w.Waiting != nil {
		w.Waiting(timeout)
	}
	deadline := time.Now().Add(timeout)
	pause := 5 * time.Millisecond
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return &LockTimeoutError{Path: f.Name(), Timeout: timeout}
		}
		time.Sleep(min(pause, left))
		pause = min(2*pause, 250*time.Millisecond)
		if err := tryLockFile(f); !errors.Is(err, errLockBusy) {
			return err
		}
	}
}
