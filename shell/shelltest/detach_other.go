//go:build !unix

package shelltest

import "syscall"

// detached has nothing to do where there is no controlling terminal to leave.
func detached() *syscall.SysProcAttr { return nil }
