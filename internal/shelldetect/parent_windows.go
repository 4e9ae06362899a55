//go:build windows

package shelldetect

import (
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

func parentName() string {
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPPROCESS, 0)
	if err != nil {
		return ""
	}
	defer windows.CloseHandle(snap)
	var e windows.ProcessEntry32
	e.Size = uint32(unsafe.Sizeof(e))
	ppid := uint32(os.Getppid())
	for err = windows.Process32First(snap, &e); err == nil; err = windows.Process32Next(snap, &e) {
		if e.ProcessID == ppid {
			return windows.UTF16ToString(e.ExeFile[:])
		}
	}
	return ""
}
