//go:build unix

package atomicfile

import (
	"io/fs"
	"os"
	"os/user"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

const (
	openNoFollow = syscall.O_NOFOLLOW
	openNonBlock = syscall.O_NONBLOCK // a FIFO in a file's place must not hang the open
)

// checkWritable refuses to replace a file its owner marked read-only, or one this user may not write. The mode bit
// is checked as well as access(2) because root passes access(2) for any file, and a 0400 file says "leave me be".
func checkWritable(path string, info fs.FileInfo) error {
	if info.Mode().Perm()&0o200 == 0 || unix.Access(path, unix.W_OK) != nil {
		return &ReadOnlyError{Path: path, Mode: info.Mode().Perm()}
	}
	return nil
}

// keepOwner gives tmp the owner and group of old when they differ, as when root (sudo -E) replaces a user's file:
// a file that changed owner would lock its user out.
func keepOwner(tmp *os.File, target string, old fs.FileInfo) error {
	want, ok := old.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	info, err := tmp.Stat()
	if err != nil {
		return err
	}
	have, ok := info.Sys().(*syscall.Stat_t)
	if !ok || have.Uid == want.Uid && have.Gid == want.Gid {
		return nil
	}
	if err := tmp.Chown(int(want.Uid), int(want.Gid)); err != nil {
		return &OwnerError{Path: target, Owner: ownerName(want.Uid), Group: groupName(want.Gid)}
	}
	return nil
}

func ownerName(uid uint32) string {
	id := strconv.FormatUint(uint64(uid), 10)
	if u, err := user.LookupId(id); err == nil {
		return u.Username
	}
	return "uid " + id
}

func groupName(gid uint32) string {
	id := strconv.FormatUint(uint64(gid), 10)
	if g, err := user.LookupGroupId(id); err == nil {
		return g.Name
	}
	return "gid " + id
}
