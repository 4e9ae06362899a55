package testkit

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// ReadPIDs reads the process IDs a test command wrote to file, separated by white space.
func ReadPIDs(t testing.TB, file string) []int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("the command wrote no process IDs: %v", err)
	}
	var pids []int
	for _, f := range strings.Fields(string(b)) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			t.Fatalf("bad pid %q in %s", f, file)
		}
		pids = append(pids, pid)
	}
	return pids
}
