//go:build !linux

package e2e

import "syscall"

// stopWithTestBinary: only Linux can tie a child's life to its parent's.
func stopWithTestBinary(*syscall.SysProcAttr) {}
