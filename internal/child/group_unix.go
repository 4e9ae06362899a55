//go:build !windows

package child

import (
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
)

// group is the command's process group. When assume owns the terminal (its
// group is the terminal's foreground group), the command's group takes the
// terminal while it runs, so a command that prompts there (a password
// manager, another assume) can read it instead of being stopped as a
// background job; assume takes it back afterwards.
type group struct {
	cmd *exec.Cmd
	tty *os.File // the terminal handed over; nil: none
}

func newGroup(cmd *exec.Cmd) *group {
	g := &group{cmd: cmd}
	attr := &syscall.SysProcAttr{Setpgid: true}
	if tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0); err == nil {
		fg, err := unix.IoctlGetInt(int(tty.Fd()), unix.TIOCGPGRP)
		if err == nil && fg == syscall.Getpgrp() {
			g.tty = tty
			attr.Foreground, attr.Ctty = true, int(tty.Fd())
		} else {
			tty.Close()
		}
	}
	cmd.SysProcAttr = attr
	return g
}

// kill ends every process in the group.
func (g *group) kill() {
	if g.cmd.Process != nil {
		_ = syscall.Kill(-g.cmd.Process.Pid, syscall.SIGKILL)
	}
}

// restore gives the terminal back to assume's group. A background group
// that sets the foreground group gets SIGTTOU, so it is ignored meanwhile.
func (g *group) restore() {
	if g.tty == nil {
		return
	}
	ignored := signal.Ignored(syscall.SIGTTOU)
	signal.Ignore(syscall.SIGTTOU)
	_ = unix.IoctlSetPointerInt(int(g.tty.Fd()), unix.TIOCSPGRP, syscall.Getpgrp())
	if !ignored {
		signal.Reset(syscall.SIGTTOU)
	}
	g.tty.Close()
	g.tty = nil
}

// reraise delivers sig to assume again, now that nothing listens for it
// here: assume ends as the sender meant, or a caller's own handler hears it.
func reraise(sig os.Signal) {
	if s, ok := sig.(syscall.Signal); ok {
		raise(s)
	}
}
