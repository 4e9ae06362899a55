//go:build darwin

package shelldetect

import (
	"os"

	"golang.org/x/sys/unix"
)

func parentName() string {
	kp, err := unix.SysctlKinfoProc("kern.proc.pid", os.Getppid())
	if err != nil {
		return ""
	}
	return unix.ByteSliceToString(kp.Proc.P_comm[:])
}
