package testkit

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// userCount tells apart the users one test binary creates.
var userCount atomic.Int64

// OtherUser creates a system user for the test (useradd) and removes it at the end. The test
// needs root: outside CI a non-root run skips, saying why (what the test does as another
// user); in CI the test must run, so there it fails instead.
func OtherUser(t testing.TB, why string) (name string, uid, gid int) {
	t.Helper()
	if os.Geteuid() != 0 {
		if InCI() {
			t.Fatal("this test needs root in CI (it creates a user with useradd)")
		}
		t.Skipf("run as root to %s (the test creates a user with useradd)", why)
	}
	name = fmt.Sprintf("assume-t%d-%d", os.Getpid()%100000, userCount.Add(1))
	if out, err := exec.Command("useradd", "--system", "--no-create-home", "--user-group", "--shell", "/usr/sbin/nologin", name).CombinedOutput(); err != nil {
		t.Fatalf("useradd: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("userdel", name).CombinedOutput(); err != nil {
			t.Errorf("userdel %s: %v: %s", name, err, out)
		}
	})
	id := func(flag string) int {
		out, err := exec.Command("id", flag, name).Output()
		if err != nil {
			t.Fatal(err)
		}
		n, err := strconv.Atoi(strings.TrimSpace(string(out)))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	return name, id("-u"), id("-g")
}
