package testkit

import "syscall"

// dieWithParent makes the kernel send SIGTERM to the child when the test binary dies.
func dieWithParent(attr *syscall.SysProcAttr) {
	attr.Pdeathsig = syscall.SIGTERM
}
