package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/assume-cli/assume/internal/testkit"
)

// otherUser creates a system user for the test and removes it at the end (testkit.OtherUser).
func otherUser(t *testing.T) (uid, gid int) {
	t.Helper()
	_, uid, gid = testkit.OtherUser(t, "test --write-profile on a file owned by another user")
	return uid, gid
}

// TestWriteProfileAsRootKeepsOwner is `sudo -E assume alice --write-profile s`: the user's credentials file keeps
// its owner, group and mode; and a read-only one is refused, not replaced.
func TestWriteProfileAsRootKeepsOwner(t *testing.T) {
	uid, gid := otherUser(t)
	h := newHarness(t)
	path := filepath.Join(h.dir, "credentials")
	if err := os.Chown(path, uid, gid); err != nil {
		t.Fatal(err)
	}
	if code := h.run("alice", "-m", "123456", "--write-profile", "alice-mfa", "--format", "bash"); code != 0 {
		t.Fatalf("exit %d: %s", code, h.stderr())
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	st := info.Sys().(*syscall.Stat_t)
	if int(st.Uid) != uid || int(st.Gid) != gid || info.Mode().Perm() != 0o600 {
		t.Errorf("after --write-profile: %d:%d %o, want %d:%d 600", st.Uid, st.Gid, info.Mode().Perm(), uid, gid)
	}
	if !strings.Contains(readText(t, path), "[alice-mfa]") {
		t.Error("the section was not written")
	}

	before := readText(t, path)
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	h.sts.SetCode(userKey, "234567")
	code := h.run("alice", "-m", "234567", "--refresh", "--write-profile", "alice-mfa", "--format", "bash")
	if code != 1 || h.stdout() != "" {
		t.Fatalf("a read-only file: exit %d stdout %q stderr %q", code, h.stdout(), h.stderr())
	}
	h.oneLine(path, "read-only", "chmod u+w")
	if got := readText(t, path); got != before {
		t.Error("the read-only file changed")
	}
}
