//go:build !linux && !darwin

package main

import (
	"errors"
	"os"
)

func peakKiB(*os.ProcessState) (int64, error) {
	return 0, errors.New("peak memory is only measured on Linux and macOS")
}
