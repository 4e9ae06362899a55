package credcache_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/credcache"
	"github.com/assume-cli/assume/internal/session"
)

func entry() session.Entry {
	return session.Entry{Profile: "prod", Kind: "role", Credentials: session.Credentials{
		AccessKeyID: "ASIAX", SecretAccessKey: "secret", SessionToken: "token",
		CanExpire: true, Expires: time.Now().Add(time.Hour).UTC().Truncate(time.Second),
	}}
}

func onlyFile(t *testing.T, dir string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(m) != 1 {
		t.Fatalf("cache files: %v", m)
	}
	return m[0]
}

func TestPutGetModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "assume")
	s := &credcache.Store{Dir: dir}
	// One entry, compared with what comes back: two calls of entry() may straddle a second.
	want := entry()
	if err := s.Put("k", want); err != nil {
		t.Fatal(err)
	}
	got, ok := s.Get("k")
	if !ok || got.Credentials != want.Credentials || got.Profile != "prod" {
		t.Fatalf("got %+v %v", got, ok)
	}
	if _, ok := s.Get("other"); ok {
		t.Fatal("hit for another key")
	}
	info, _ := os.Stat(dir)
	if info.Mode().Perm() != 0o700 {
		t.Fatalf("folder mode %v", info.Mode())
	}
	f := onlyFile(t, dir)
	info, _ = os.Stat(f)
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("file mode %v", info.Mode())
	}
}

func TestLongTermKeysRefused(t *testing.T) {
	s := &credcache.Store{Dir: t.TempDir()}
	e := entry()
	e.Credentials.CanExpire, e.Credentials.SessionToken = false, ""
	if err := s.Put("k", e); err == nil {
		t.Fatal("long-term keys were cached")
	}
}

func TestOddEntriesAreMissesAndReplaced(t *testing.T) {
	dir := t.TempDir()
	s := &credcache.Store{Dir: dir}
	if err := s.Put("k", entry()); err != nil {
		t.Fatal(err)
	}
	f := onlyFile(t, dir)

	// Corrupt: a miss, then replaced by the next Put.
	os.WriteFile(f, []byte("{not json"), 0o600)
	if _, ok := s.Get("k"); ok {
		t.Fatal("corrupt entry served")
	}
	if err := s.Put("k", entry()); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Get("k"); !ok {
		t.Fatal("entry not replaced")
	}

	// Readable by others: not trusted.
	os.Chmod(f, 0o644)
	if _, ok := s.Get("k"); ok {
		t.Fatal("a group/world-readable entry was served")
	}

	// A symlink in the entry's place is never followed, for reading or writing.
	victim := filepath.Join(t.TempDir(), "victim")
	os.WriteFile(victim, []byte("keep me"), 0o600)
	os.Remove(f)
	if err := os.Symlink(victim, f); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Get("k"); ok {
		t.Fatal("followed a symlink")
	}
	if err := s.Put("k", entry()); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep me" {
		t.Fatalf("wrote through a symlink: %q", b)
	}
	if info, _ := os.Lstat(f); info.Mode()&os.ModeSymlink != 0 {
		t.Fatal("symlink still in place")
	}
}

func TestLooseFolderIsTightened(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "assume")
	os.MkdirAll(dir, 0o755)
	s := &credcache.Store{Dir: dir}
	if err := s.Put("k", entry()); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(dir); info.Mode().Perm() != 0o700 {
		t.Fatalf("folder mode %v", info.Mode())
	}
}

func TestClearAndEntries(t *testing.T) {
	s := &credcache.Store{Dir: t.TempDir()}
	s.Put("a", entry())
	s.Put("b", entry())
	unlock, err := s.Lock("a")
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	if n := len(s.Entries()); n != 2 {
		t.Fatalf("%d entries", n)
	}
	n, err := s.Clear()
	if err != nil || n != 2 {
		t.Fatalf("cleared %d, %v", n, err)
	}
	left, _ := os.ReadDir(s.Dir)
	if len(left) != 0 {
		t.Fatalf("left behind: %v", left)
	}
}

func TestDefaultDirHonoursXDG(t *testing.T) {
	t.Parallel()
	getenv := func(k string) string { return map[string]string{"XDG_CACHE_HOME": "/x/cache"}[k] }
	if d, _ := credcache.DefaultDir(getenv); d != "/x/cache/assume" {
		t.Fatalf("dir = %s", d)
	}
}
