package e2e

import "syscall"

// stopWithTestBinary makes the kernel send SIGTERM to the child when the test binary dies, so a
// test timeout or Ctrl-C (which skip deferred clean-up) leaves no moto_server behind.
func stopWithTestBinary(attr *syscall.SysProcAttr) {
	attr.Pdeathsig = syscall.SIGTERM
}
