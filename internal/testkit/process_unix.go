//go:build unix

package testkit

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
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

// ProcessGone reports whether pid no longer runs: absent, or a zombie waiting for init to reap
// it (a container's init may be slow to).
func ProcessGone(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return os.IsNotExist(err)
	}
	// pid (comm) STATE ...: the state follows the last ')'.
	s := string(stat)
	rest := s[strings.LastIndexByte(s, ')')+1:]
	return strings.HasPrefix(strings.TrimSpace(rest), "Z")
}

// RequireProcessesGone fails unless every pid has ended; a killed process needs a moment to be
// reaped, so it is polled (up to 5 s) rather than timed.
func RequireProcessesGone(t testing.TB, pids []int) {
	t.Helper()
	for _, pid := range pids {
		for i := 0; !ProcessGone(pid); i++ {
			if i == 500 {
				t.Fatalf("process %d is still running", pid)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// waitGone waits, up to within, until every pid has ended; it reports nothing either way.
func waitGone(pids []int, within time.Duration) {
	deadline := time.Now().Add(within)
	for _, pid := range pids {
		for !ProcessGone(pid) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
	}
}
