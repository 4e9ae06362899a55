//go:build unix

package testkit

import (
	"os/exec"
	"syscall"
	"time"
)

// Detach starts cmd in a new session, without a controlling terminal, so that a prompt on
// /dev/tty fails instead of waiting. When its context ends, the whole session's process group
// gets SIGTERM (so scripts run their traps), and is killed 10 s later; it also dies with the
// test binary where the kernel allows.
func Detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	dieWithParent(cmd.SysProcAttr)
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	}
	cmd.WaitDelay = 10 * time.Second
}

// OwnProcessGroup starts cmd in a process group of its own, so that a developer's Ctrl-C
// reaches only the test binary (which then stops it), and makes it die with the test binary
// where the kernel allows: a test timeout skips deferred clean-up.
func OwnProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	dieWithParent(cmd.SysProcAttr)
}
