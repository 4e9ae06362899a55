package main

import (
	"errors"
	"os"
	"syscall"
)

// peakKiB is the child's peak resident set size; macOS reports it in bytes.
func peakKiB(ps *os.ProcessState) (int64, error) {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, errors.New("no resource usage reported")
	}
	return int64(ru.Maxrss) / 1024, nil
}
