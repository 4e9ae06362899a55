package atomicfile

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/assume-cli/assume/internal/testkit"
)

// otherUser creates a system user for the test and removes it at the end (testkit.OtherUser).
func otherUser(t *testing.T) (name string, uid, gid int) {
	t.Helper()
	return testkit.OtherUser(t, "test files owned by another user")
}

func owner(t *testing.T, path string) (uid, gid int) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	st := info.Sys().(*syscall.Stat_t)
	return int(st.Uid), int(st.Gid)
}

// TestRootKeepsOwner: root (as under sudo -E) replacing a user's file gives the new file the user's owner and group
// and mode, through Update and WriteFile.
func TestRootKeepsOwner(t *testing.T) {
	name, uid, gid := otherUser(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "credentials")
	if err := os.WriteFile(path, []byte("[a]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(path, uid, gid); err != nil {
		t.Fatal(err)
	}

	if err := Update(path, 0, func(old []byte) ([]byte, error) { return append(old, "x = 1\n"...), nil }); err != nil {
		t.Fatal(err)
	}
	if u, g := owner(t, path); u != uid || g != gid {
		t.Errorf("after Update the file belongs to %d:%d, want %s's %d:%d", u, g, name, uid, gid)
	}
	if got := readString(t, path); got != "[a]\nx = 1\n" {
		t.Errorf("content = %q", got)
	}

	if err := WriteFile(path, []byte("[b]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if u, g := owner(t, path); u != uid || g != gid {
		t.Errorf("after WriteFile the file belongs to %d:%d, want %s's %d:%d", u, g, name, uid, gid)
	}
	if got := mode(t, path); got != 0o600 {
		t.Errorf("mode = %o, want 600", got)
	}
	assertNoTempFiles(t, dir)
}

// TestOwnerNotKeptIsRefused: a user who may write a file of another owner, but cannot give the replacement that
// owner, is refused with an *OwnerError and the file is left alone.
func TestOwnerNotKeptIsRefused(t *testing.T) {
	_, uid, gid := otherUser(t)
	// A folder the other user can reach and write, holding a copy of this test binary it can run.
	dir, err := os.MkdirTemp("", "atomicfile-owner-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	self, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "atomicfile.test")
	if err := os.WriteFile(bin, self, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "shared")
	if err := os.WriteFile(path, []byte("root's\n"), 0o666); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o666); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(bin, "-test.run=^$")
	cmd.Env = append(os.Environ(), envChildWrite+"="+path)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the other user replaced root's file: %s", out)
	}
	if !strings.Contains(string(out), path+" belongs to root (group root)") {
		t.Errorf("child said %q, want the OwnerError", out)
	}
	if got := readString(t, path); got != "root's\n" {
		t.Errorf("content = %q, want it untouched", got)
	}
	if u, g := owner(t, path); u != 0 || g != 0 {
		t.Errorf("owner = %d:%d, want root's", u, g)
	}
	assertNoTempFiles(t, dir)
}
