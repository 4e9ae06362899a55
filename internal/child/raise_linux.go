package child

import (
	"os"
	"runtime"
	"syscall"

	"golang.org/x/sys/unix"
)

// raise sends s to the calling thread, which takes it before the call
// returns: the process ends (or a handler hears it) before assume goes on
// to report the command's failure as an error of its own.
func raise(s syscall.Signal) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	_ = unix.Tgkill(os.Getpid(), unix.Gettid(), s)
}
