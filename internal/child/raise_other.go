//go:build unix && !linux

package child

import (
	"os"
	"syscall"
	"time"
)

// raise sends s to the process; delivery is asynchronous here, so it waits
// a moment for the signal to end the process (or reach a handler).
func raise(s syscall.Signal) {
	_ = syscall.Kill(os.Getpid(), s)
	time.Sleep(200 * time.Millisecond)
}
