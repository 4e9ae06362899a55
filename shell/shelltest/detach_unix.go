//go:build unix

package shelltest

import "syscall"

// detached starts a process in a new session, without a controlling terminal: it cannot open
// /dev/tty, so nothing it runs can wait there for an answer.
func detached() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setsid: true}
}
