package cli

import (
	"errors"
	"fmt"
	"github.com/assume-cli/assume/internal/display"
	"time"

	"github.com/assume-cli/assume/internal/atomicfile"
	"github.com/assume-cli/assume/internal/credcache"
	"github.com/assume-cli/assume/internal/deadline"
)

// lockWait reads deadline.LockVar and says on stderr, once, that this run waits for another one and for how long at
// most; what names what the other run holds.
func lockWait(d Deps, what string) (atomicfile.Wait, error) {
	w := atomicfile.Wait{Timeout: atomicfile.DefaultLockTimeout}
	if d.Getenv != nil {
		t, err := deadline.LockFromEnv(d.Getenv)
		if err != nil {
			return w, usageErr("%v", err)
		}
		if t > 0 {
			w.Timeout = t
		}
	}
	w.Waiting = func(timeout time.Duration) {
		fmt.Fprintf(d.Streams.ErrOut, "assume: waiting for another assume to finish with %s (at most %s; %s changes this)\n",
			display.Safe(what), waitDuration(timeout), deadline.LockVar)
	}
	return w, nil
}

// waitDuration prints a wait as a person would write it: 2m, 90s, 1ms.
func waitDuration(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

// withCacheNotices makes the cache wait for another assume's entry lock as deadline.LockVar says, and say on stderr
// when it ignores an odd entry or gives up waiting (the run then goes on and asks STS itself).
func withCacheNotices(store *credcache.Store, d Deps) (*credcache.Store, error) {
	wait, err := lockWait(d, "the same cached credentials")
	if err != nil {
		return nil, err
	}
	store.Wait = wait
	store.Warn = func(err error) {
		var timeout *atomicfile.LockTimeoutError
		if errors.As(err, &timeout) {
			fmt.Fprintf(d.Streams.ErrOut, "assume: warning: gave up after %s waiting for another assume using the same cached credentials; asking STS without waiting (%s waits longer)\n",
				waitDuration(timeout.Timeout), deadline.LockVar)
			return
		}
		fmt.Fprintf(d.Streams.ErrOut, "assume: warning: %s\n", display.Safe(err.Error()))
	}
	return store, nil
}
