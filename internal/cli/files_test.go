package cli_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/assume-cli/assume/internal/atomicfile"
)

func readText(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// oneLine fails unless stderr is exactly one line holding every part.
func (h *harness) oneLine(parts ...string) {
	h.t.Helper()
	e := h.stderr()
	if strings.Count(e, "\n") != 1 {
		h.t.Errorf("stderr is not one line: %q", e)
	}
	for _, p := range parts {
		if !strings.Contains(e, p) {
			h.t.Errorf("stderr %q lacks %q", e, p)
		}
	}
}

// TestWriteProfileRefusesDuplicateSectionKeys: a second [keep] with a leftover token does not let --write-profile
// overwrite the first [keep]'s long-term keys.
func TestWriteProfileRefusesDuplicateSectionKeys(t *testing.T) {
	h := newHarness(t)
	path := filepath.Join(h.dir, "credentials")
	before := credentialsFile + "\n[keep]\naws_access_key_id = AKIAKEEP\naws_secret_access_key = keepsecret\n\n[keep]\naws_session_token = leftover\n"
	write(t, path, before)
	code := h.run("alice", "-m", "123456", "--write-profile", "keep", "--format", "bash")
	if code != 1 || h.stdout() != "" {
		t.Fatalf("exit %d stdout %q stderr %q", code, h.stdout(), h.stderr())
	}
	h.oneLine("[keep]", "long-term keys", "choose another name")
	if got := readText(t, path); got != before {
		t.Errorf("the credentials file changed:\n%s", got)
	}
}

// TestWriteProfileRefusesToHideConfigKeys: keys in the config file's [profile X] are not shadowed by a session
// written to [X] in the credentials file.
func TestWriteProfileRefusesToHideConfigKeys(t *testing.T) {
	h := newHarness(t)
	config := filepath.Join(h.dir, "config")
	write(t, config, configFile+"\n[profile cfgkeys]\naws_access_key_id = AKIACONFIG\naws_secret_access_key = configsecret\n")
	path := filepath.Join(h.dir, "credentials")
	code := h.run("alice", "-m", "123456", "--write-profile", "cfgkeys", "--format", "bash")
	if code != 1 || h.stdout() != "" {
		t.Fatalf("exit %d stdout %q stderr %q", code, h.stdout(), h.stderr())
	}
	h.oneLine("[profile cfgkeys]", config, "long-term keys", "would hide")
	if got := readText(t, path); got != credentialsFile {
		t.Errorf("the credentials file changed:\n%s", got)
	}
}

// TestWriteProfileGivesUpWaiting: while another process holds the credentials file's lock, --write-profile says
// that it waits and for how long, then gives up with one sentence and writes nothing.
func TestWriteProfileGivesUpWaiting(t *testing.T) {
	h := newHarness(t)
	path := filepath.Join(h.dir, "credentials")
	unlock, err := atomicfile.Lock(path)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	h.env["ASSUME_LOCK_TIMEOUT"] = "1ms"
	code := h.run("alice", "-m", "123456", "--write-profile", "alice-mfa", "--format", "bash")
	if code != 1 || h.stdout() != "" {
		t.Fatalf("exit %d stdout %q stderr %q", code, h.stdout(), h.stderr())
	}
	lines := strings.Split(strings.TrimSuffix(h.stderr(), "\n"), "\n")
	if len(lines) != 2 ||
		lines[0] != "assume: waiting for another assume to finish with "+path+" (at most 1ms; ASSUME_LOCK_TIMEOUT changes this)" ||
		!strings.Contains(lines[1], "gave up after 1ms waiting for another assume to finish writing "+path) {
		t.Errorf("stderr = %q, want the wait announced and then given up", h.stderr())
	}
	if got := readText(t, path); got != credentialsFile {
		t.Errorf("the credentials file changed:\n%s", got)
	}

	h.env["ASSUME_LOCK_TIMEOUT"] = "soon"
	if code := h.run("alice", "-m", "123456", "--write-profile", "alice-mfa", "--format", "bash"); code != 2 {
		t.Errorf("a bad ASSUME_LOCK_TIMEOUT: exit %d, stderr %q", code, h.stderr())
	}
}

// TestCacheLockGiveUpGoesOn: a run waiting for another run's cache entry lock says so, gives up at the deadline with
// one warning, and still prints credentials.
func TestCacheLockGiveUpGoesOn(t *testing.T) {
	h := newHarness(t)
	if code := h.run("alice", "-m", "123456", "--format", "bash"); code != 0 {
		t.Fatalf("exit %d: %s", code, h.stderr())
	}
	entries, _ := filepath.Glob(filepath.Join(h.dir, "cache", "*.json"))
	if len(entries) != 1 {
		t.Fatalf("cache entries: %q", entries)
	}
	lock, err := os.OpenFile(entries[0]+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	unlock, err := atomicfile.LockOpenFile(lock, atomicfile.Wait{})
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()

	h.env["ASSUME_LOCK_TIMEOUT"] = "1ms"
	h.sts.SetCode(userKey, "234567")
	code := h.run("alice", "-m", "234567", "--refresh", "--format", "bash")
	if code != 0 || !strings.Contains(h.stdout(), "AWS_SESSION_TOKEN") {
		t.Fatalf("exit %d stdout %q stderr %q", code, h.stdout(), h.stderr())
	}
	for _, want := range []string{
		"assume: waiting for another assume to finish with the same cached credentials (at most 1ms; ASSUME_LOCK_TIMEOUT changes this)\n",
		"assume: warning: gave up after 1ms waiting for another assume using the same cached credentials; asking STS without waiting",
	} {
		if !strings.Contains(h.stderr(), want) {
			t.Errorf("stderr %q lacks %q", h.stderr(), want)
		}
	}
	h.noSecrets()
}

// TestOversizedCacheEntryIsAMiss: a 4 GiB sparse cache entry is ignored with a warning, and replaced.
func TestOversizedCacheEntryIsAMiss(t *testing.T) {
	h := newHarness(t)
	if code := h.run("alice", "-m", "123456", "--format", "bash"); code != 0 {
		t.Fatalf("exit %d: %s", code, h.stderr())
	}
	entries, _ := filepath.Glob(filepath.Join(h.dir, "cache", "*.json"))
	if len(entries) != 1 {
		t.Fatalf("cache entries: %q", entries)
	}
	if err := os.Truncate(entries[0], 4<<30); err != nil {
		t.Fatal(err)
	}
	h.sts.SetCode(userKey, "234567")
	if code := h.run("alice", "-m", "234567", "--format", "bash"); code != 0 {
		t.Fatalf("exit %d: %s", code, h.stderr())
	}
	if !strings.Contains(h.stderr(), "assume: warning: ignoring the cache entry "+entries[0]+": it is larger than 64 KiB") {
		t.Errorf("stderr %q lacks the warning about the oversized entry", h.stderr())
	}
	if info, err := os.Stat(entries[0]); err != nil || info.Size() > 64<<10 {
		t.Errorf("the oversized entry was not replaced (%v)", err)
	}
}

// TestClearCacheRefusesFolderLink: with the cache folder a symbolic link to a home folder, --clear-cache deletes
// nothing there and says why.
func TestClearCacheRefusesFolderLink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("creating symbolic links needs a privilege on Windows")
	}
	h := newHarness(t)
	home := t.TempDir()
	for _, name := range []string{".bashrc", ".profile", "package.json", "build.lock"} {
		write(t, filepath.Join(home, name), "keep "+name+"\n")
	}
	if err := os.Symlink(home, filepath.Join(h.dir, "cache")); err != nil {
		t.Fatal(err)
	}
	if code := h.run("--clear-cache"); code != 1 || h.stdout() != "" {
		t.Fatalf("exit %d stdout %q stderr %q", code, h.stdout(), h.stderr())
	}
	h.oneLine("nothing was deleted", "is a symbolic link")
	for _, name := range []string{".bashrc", ".profile", "package.json", "build.lock"} {
		if got := readText(t, filepath.Join(home, name)); got != "keep "+name+"\n" {
			t.Errorf("%s = %q", name, got)
		}
	}
	if ents, _ := os.ReadDir(home); len(ents) != 4 {
		t.Errorf("the home folder holds %d names, want the 4 it had", len(ents))
	}
}
