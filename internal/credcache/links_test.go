//go:build unix

package credcache_test

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/atomicfile"
	"github.com/assume-cli/assume/internal/credcache"
)

// snapshot records every name under root with its type, mode and content, to prove a folder was left untouched.
func snapshot(t *testing.T, root string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		b.WriteString(rel + " " + info.Mode().String())
		switch {
		case info.Mode()&os.ModeSymlink != 0:
			dest, _ := os.Readlink(path)
			b.WriteString(" -> " + dest)
		case info.Mode().IsRegular():
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			b.WriteString(" " + string(data))
		}
		b.WriteString("\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// entryPath is where key's entry lives: the one *.json file a Put of key leaves.
func entryPath(t *testing.T, dir, key string) string {
	t.Helper()
	s := &credcache.Store{Dir: t.TempDir()}
	if err := s.Put(key, entry()); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, filepath.Base(onlyFile(t, s.Dir)))
}

func warnings(s *credcache.Store) *[]string {
	var got []string
	s.Warn = func(err error) { got = append(got, err.Error()) }
	return &got
}

// TestEntryLinkNotFollowed: an entry that is a symbolic link to a file elsewhere is not read, its lock creates
// nothing at the target, a Put replaces the link itself, and --clear-cache deletes the link only.
func TestEntryLinkNotFollowed(t *testing.T) {
	dir := t.TempDir()
	s := &credcache.Store{Dir: dir}
	got := warnings(s)
	elsewhere := t.TempDir()
	victim := filepath.Join(elsewhere, "victim.json")
	// A valid entry for the key, so that following the link would be a hit.
	other := &credcache.Store{Dir: t.TempDir()}
	if err := other.Put("k", entry()); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(onlyFile(t, other.Dir))
	if err := os.WriteFile(victim, data, 0o600); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, elsewhere)

	link := entryPath(t, dir, "k")
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Get("k"); ok {
		t.Error("Get followed the link")
	}
	if len(*got) != 1 || !strings.Contains((*got)[0], "symbolic link") {
		t.Errorf("warnings = %q, want one naming the link", *got)
	}
	unlock, err := s.Lock("k")
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	if len(s.Entries()) != 0 {
		t.Error("Entries followed the link")
	}
	if after := snapshot(t, elsewhere); after != before {
		t.Errorf("the link's target folder changed:\nbefore %s\nafter  %s", before, after)
	}

	if n, err := s.Clear(); err != nil || n != 1 {
		t.Fatalf("Clear = %d, %v; want the link removed", n, err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left in the cache: %v", left)
	}
	if after := snapshot(t, elsewhere); after != before {
		t.Errorf("Clear changed the link's target folder:\nbefore %s\nafter  %s", before, after)
	}

	// A Put replaces the link with an entry, not the file it points to.
	if err := os.Symlink(victim, link); err != nil {
		t.Fatal(err)
	}
	if err := s.Put("k", entry()); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Lstat(link); err != nil || !info.Mode().IsRegular() {
		t.Errorf("the link was not replaced by an entry (%v, %v)", info, err)
	}
	if after := snapshot(t, elsewhere); after != before {
		t.Errorf("Put changed the link's target folder:\nbefore %s\nafter  %s", before, after)
	}
}

// TestEntriesLinkedToOneFileDoNotShareALock: two entries linked to one file each get their own lock (before, both
// locks were the target's, and a run holding one waited forever for the other).
func TestEntriesLinkedToOneFileDoNotShareALock(t *testing.T) {
	dir := t.TempDir()
	elsewhere := t.TempDir()
	target := filepath.Join(elsewhere, "credentials")
	if err := os.WriteFile(target, []byte("[default]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"session", "role"} {
		if err := os.Symlink(target, entryPath(t, dir, key)); err != nil {
			t.Fatal(err)
		}
	}
	before := snapshot(t, elsewhere)
	s := &credcache.Store{Dir: dir, Wait: atomicfile.Wait{Timeout: time.Millisecond}}
	unlockSession, err := s.Lock("session")
	if err != nil {
		t.Fatal(err)
	}
	unlockRole, err := s.Lock("role")
	if err != nil {
		t.Fatalf("the second entry's lock was taken by the first: %v", err)
	}
	unlockRole()
	unlockSession()
	if after := snapshot(t, elsewhere); after != before {
		t.Errorf("the target's folder changed:\nbefore %s\nafter  %s", before, after)
	}
}

// TestLockFileLinkNotFollowed: a symbolic link in a lock file's place makes the lock fail rather than create or
// lock the file it points to.
func TestLockFileLinkNotFollowed(t *testing.T) {
	dir := t.TempDir()
	elsewhere := t.TempDir()
	before := snapshot(t, elsewhere)
	if err := os.Symlink(filepath.Join(elsewhere, "made.lock"), entryPath(t, dir, "k")+".lock"); err != nil {
		t.Fatal(err)
	}
	s := &credcache.Store{Dir: dir}
	if unlock, err := s.Lock("k"); err == nil {
		unlock()
		t.Error("Lock went through the link")
	}
	if after := snapshot(t, elsewhere); after != before {
		t.Errorf("the link's target folder changed:\nbefore %s\nafter  %s", before, after)
	}
}

// TestFolderLinkNotFollowed: a cache folder that is a symbolic link (here to a stand-in for $HOME) is never used:
// --clear-cache refuses and deletes nothing there, and nothing is read, locked or written through it.
func TestFolderLinkNotFollowed(t *testing.T) {
	home := t.TempDir()
	for name, content := range map[string]string{
		".bashrc": "alias ll='ls -l'\n", ".profile": "PATH=$PATH\n", "package.json": "{}\n",
		"build.lock": "pid 1\n", "notes.txt": "keep\n",
	} {
		if err := os.WriteFile(filepath.Join(home, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// An entry for the key that following the link would serve.
	other := &credcache.Store{Dir: t.TempDir()}
	if err := other.Put("k", entry()); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(onlyFile(t, other.Dir))
	if err := os.WriteFile(filepath.Join(home, filepath.Base(onlyFile(t, other.Dir))), data, 0o600); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, home)

	link := filepath.Join(t.TempDir(), "assume")
	if err := os.Symlink(home, link); err != nil {
		t.Fatal(err)
	}
	s := &credcache.Store{Dir: link}
	var folder *credcache.FolderLinkError
	if n, err := s.Clear(); !errors.As(err, &folder) || n != 0 {
		t.Errorf("Clear = %d, %v; want a FolderLinkError", n, err)
	}
	if _, ok := s.Get("k"); ok {
		t.Error("Get read through the folder link")
	}
	if len(s.Entries()) != 0 {
		t.Error("Entries read through the folder link")
	}
	if _, err := s.Lock("k"); !errors.As(err, &folder) {
		t.Errorf("Lock error = %v, want a FolderLinkError", err)
	}
	if err := s.Put("k", entry()); !errors.As(err, &folder) {
		t.Errorf("Put error = %v, want a FolderLinkError", err)
	}
	if err := s.Delete("k"); !errors.As(err, &folder) {
		t.Errorf("Delete error = %v, want a FolderLinkError", err)
	}
	if after := snapshot(t, home); after != before {
		t.Errorf("the folder the link points to changed:\nbefore %s\nafter  %s", before, after)
	}
}

// TestClearDeletesOnlyItsOwnNames: files assume did not make survive --clear-cache in a real cache folder.
func TestClearDeletesOnlyItsOwnNames(t *testing.T) {
	dir := t.TempDir()
	s := &credcache.Store{Dir: dir}
	if err := s.Put("a", entry()); err != nil {
		t.Fatal(err)
	}
	unlock, err := s.Lock("a")
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	hash := strings.TrimSuffix(filepath.Base(onlyFile(t, dir)), ".json")
	leftover := "." + hash + ".json.tmp-0123abcd" // a temporary file a crash left
	foreign := []string{".bashrc", "notes.json", "x.lock", "README", hash + ".json.bak", "." + hash + ".json.tmp-x!"}
	for _, name := range append(foreign, leftover) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.Clear(); err != nil || n != 1 {
		t.Fatalf("Clear = %d, %v; want 1 entry removed", n, err)
	}
	ents, _ := os.ReadDir(dir)
	var left []string
	for _, e := range ents {
		left = append(left, e.Name())
	}
	sort.Strings(left)
	sort.Strings(foreign)
	if strings.Join(left, " ") != strings.Join(foreign, " ") {
		t.Errorf("left after Clear: %q, want exactly %q", left, foreign)
	}
}

// TestOversizedAndOddEntriesAreMisses: a 4 GiB sparse entry, a corrupt one and a FIFO are misses with a warning,
// not an allocation until killed or a hang, and the next Put replaces them.
func TestOversizedAndOddEntriesAreMisses(t *testing.T) {
	dir := t.TempDir()
	s := &credcache.Store{Dir: dir}
	got := warnings(s)
	path := entryPath(t, dir, "k")

	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(4 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, ok := s.Get("k"); ok {
		t.Error("an oversized entry was served")
	}
	if len(*got) != 1 || !strings.Contains((*got)[0], "larger than 64 KiB") || !strings.Contains((*got)[0], "will be replaced") {
		t.Errorf("warnings = %q, want one about the size", *got)
	}
	if err := s.Put("k", entry()); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Get("k"); !ok {
		t.Error("the oversized entry was not replaced")
	}

	*got = nil
	if err := os.WriteFile(path, []byte(`{"version":1`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Get("k"); ok || len(*got) != 1 || !strings.Contains((*got)[0], "does not hold credentials") {
		t.Errorf("corrupt entry: hit %v, warnings %q", ok, *got)
	}

	*got = nil
	os.Remove(path)
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Get("k"); ok || len(*got) != 1 {
		t.Errorf("FIFO entry: hit %v, warnings %q", ok, *got)
	}
}

// TestLockWaitGivesUp: a second run waiting for an entry's lock says so, gives up at its deadline, and tells Warn.
func TestLockWaitGivesUp(t *testing.T) {
	dir := t.TempDir()
	first := &credcache.Store{Dir: dir}
	unlock, err := first.Lock("k")
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()

	var waited []time.Duration
	second := &credcache.Store{Dir: dir, Wait: atomicfile.Wait{Timeout: time.Millisecond, Waiting: func(d time.Duration) { waited = append(waited, d) }}}
	got := warnings(second)
	_, err = second.Lock("k")
	var timeout *atomicfile.LockTimeoutError
	if !errors.As(err, &timeout) {
		t.Fatalf("Lock error = %v, want a LockTimeoutError", err)
	}
	if len(waited) != 1 || waited[0] != time.Millisecond {
		t.Errorf("Waiting told %v, want once with 1ms", waited)
	}
	if len(*got) != 1 || (*got)[0] != err.Error() {
		t.Errorf("warnings = %q, want the give-up", *got)
	}
}
