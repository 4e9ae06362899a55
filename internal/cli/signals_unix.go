//go:build !windows

package cli

import (
	"os"
	"os/exec"
	"syscall"
)

// Ctrl-C reaches the child through the terminal's process group anyway;
// forwarding covers `kill` sent to assume alone.
var forwardedSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT, syscall.SIGUSR1, syscall.SIGUSR2}

func signalNumber(ee *exec.ExitError) int {
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return int(ws.Signal())
	}
	return 0
}
