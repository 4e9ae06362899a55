//go:build linux

package shelldetect

import (
	"os"
	"strconv"
	"strings"
)

func parentName() string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(os.Getppid()) + "/comm")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
