// Package credcache keeps temporary AWS credentials between runs of assume:
// one JSON file per entry, 0600 in a 0700 folder, written atomically. Entry
// file names are hashes of their keys, so nothing about a profile shows in a
// listing. Long-term keys are never given to it.
package credcache

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/assume-cli/assume/internal/atomicfile"
	"github.com/assume-cli/assume/internal/session"
)

// Store is a folder of cached credentials. It never follows a symbolic link as the folder or in it, for reading,
// locking or deleting, and deletes only names it makes itself.
type Store struct {
	Dir string
	// Wait bounds the wait for an entry's lock that another assume holds (filling the same entry).
	Wait atomicfile.Wait
	// Warn, when set, is told about an entry ignored because it is odd (a link, oversized, corrupt, readable by
	// others) and about a lock given up on; neither stops the caller, which asks STS again.
	Warn func(error)
}

// DefaultDir is $XDG_CACHE_HOME/assume (read with getenv), else the OS's user cache folder.
func DefaultDir(getenv func(string) string) (string, error) {
	if x := getenv("XDG_CACHE_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "assume"), nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder: %w", err)
	}
	return filepath.Join(d, "assume"), nil
}

// record is the file format; Key guards against a file copied under another name.
type record struct {
	Version         int       `json:"version"`
	Key             string    `json:"key"`
	Profile         string    `json:"profile"`
	Kind            string    `json:"kind"`
	AccessKeyID     string    `json:"access_key_id"`
	SecretAccessKey string    `json:"secret_access_key"`
	SessionToken    string    `json:"session_token"`
	Expiration      time.Time `json:"expiration"`
	Source          string    `json:"source,omitempty"`
}

const (
	fileSuffix = ".json"
	lockSuffix = ".lock"
	tmpInfix   = ".tmp-"
	// maxEntrySize caps what is read of an entry: one is under 2 KiB, and a huge (or sparse) file must not be read
	// into memory.
	maxEntrySize = 64 << 10
)

var (
	// errLink is an entry (or lock file) that is a symbolic link or another non-file.
	errLink = errors.New("is a symbolic link or not a regular file, which assume does not follow")
	errBig  = fmt.Errorf("is larger than %d KiB, which no entry assume writes is", maxEntrySize>>10)
	errOpen = errors.New("is readable by other users")
	errBad  = errors.New("does not hold credentials assume wrote")
)

// FolderLinkError is the cache folder being a symbolic link: following it could make --clear-cache delete files in
// whatever folder it points to.
type FolderLinkError struct{ Dir string }

func (e *FolderLinkError) Error() string {
	return fmt.Sprintf("the cache folder %s is a symbolic link, which assume does not follow; make it a real folder (or set XDG_CACHE_HOME to another place)", e.Dir)
}

// entryName is the file name of key's entry: a hash, so that no profile name shows in a listing.
func entryName(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16]) + fileSuffix
}

// ownName reports whether name is one that a Store makes: an entry, its lock file, or a temporary file of a write.
func ownName(name string) bool {
	hash, rest, ok := strings.Cut(strings.TrimPrefix(name, "."), ".")
	if !ok || len(hash) != 32 || !isLowerHex(hash) {
		return false
	}
	switch rest = "." + rest; {
	case !strings.HasPrefix(name, "."):
		return rest == fileSuffix || rest == fileSuffix+lockSuffix
	case strings.HasPrefix(rest, fileSuffix+tmpInfix):
		tail := strings.TrimPrefix(rest, fileSuffix+tmpInfix)
		return tail != "" && strings.Trim(tail, "0123456789abcdef") == ""
	}
	return false
}

func isLowerHex(s string) bool { return strings.Trim(s, "0123456789abcdef") == "" }

func (s *Store) warn(name string, err error) {
	if s.Warn != nil {
		s.Warn(fmt.Errorf("ignoring the cache entry %s: it %w; it will be replaced", filepath.Join(s.Dir, name), err))
	}
}

// Get returns the entry for key. Anything odd (missing, corrupt, oversized, a symlink, a file others can read, an
// entry for another key) is a miss, never an error: the caller asks STS again and the entry is replaced. Odd
// entries are reported to Warn.
func (s *Store) Get(key string) (session.Entry, bool) {
	d, err := openDir(s.Dir)
	if err != nil {
		return session.Entry{}, false
	}
	defer d.close()
	r, ok := s.read(d, entryName(key))
	if !ok || r.Key != key {
		return session.Entry{}, false
	}
	return r.entry(), true
}

func (s *Store) read(d *dir, name string) (record, bool) {
	data, err := readEntry(d, name)
	if err == nil {
		var r record
		if json.Unmarshal(data, &r) == nil && r.Version == 1 && r.AccessKeyID != "" && r.SecretAccessKey != "" {
			return r, true
		}
		err = errBad
	}
	if !errors.Is(err, fs.ErrNotExist) {
		s.warn(name, err)
	}
	return record{}, false
}

// readEntry reads one entry: a private regular file of at most maxEntrySize bytes.
func readEntry(d *dir, name string) ([]byte, error) {
	f, err := d.openEntry(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	switch {
	case err != nil:
		return nil, err
	case !info.Mode().IsRegular():
		return nil, errLink
	case !privateMode(info.Mode()):
		return nil, errOpen
	case info.Size() > maxEntrySize:
		return nil, errBig
	}
	data, err := io.ReadAll(io.LimitReader(f, maxEntrySize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxEntrySize {
		return nil, errBig
	}
	return data, nil
}

func (r record) entry() session.Entry {
	return session.Entry{Profile: r.Profile, Kind: r.Kind, Credentials: session.Credentials{
		AccessKeyID: r.AccessKeyID, SecretAccessKey: r.SecretAccessKey, SessionToken: r.SessionToken,
		CanExpire: true, Expires: r.Expiration, Source: r.Source,
	}}
}

// Put stores e under key. Only expiring credentials are accepted.
func (s *Store) Put(key string, e session.Entry) error {
	c := e.Credentials
	if !c.CanExpire || c.SessionToken == "" {
		return errors.New("refusing to cache credentials that do not expire")
	}
	data, err := json.Marshal(record{
		Version: 1, Key: key, Profile: e.Profile, Kind: e.Kind,
		AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
		Expiration: c.Expires.UTC(), Source: c.Source,
	})
	if err != nil {
		return err
	}
	d, err := s.ensureDir()
	if err != nil {
		return err
	}
	defer d.close()
	// The rename replaces whatever holds the entry's name (a symbolic link included) without following it.
	return d.writeEntry(entryName(key), data)
}

// Delete removes the entry for key.
func (s *Store) Delete(key string) error {
	d, err := openDir(s.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer d.close()
	if err := d.remove(entryName(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// Lock serialises fills of one entry across processes, with a lock file next to the entry that is never a followed
// link (so two entries linked to one file cannot share, and deadlock on, one lock). A wait longer than s.Wait allows
// is given up, told to Warn, and returned.
func (s *Store) Lock(key string) (func(), error) {
	d, err := s.ensureDir()
	if err != nil {
		return nil, err
	}
	defer d.close()
	f, err := d.openLock(entryName(key) + lockSuffix)
	if err != nil {
		return nil, err
	}
	unlock, err := atomicfile.LockOpenFile(f, s.Wait)
	if err != nil {
		f.Close()
		if s.Warn != nil {
			s.Warn(err)
		}
		return nil, err
	}
	return func() {
		unlock()
		f.Close()
	}, nil
}

// Clear deletes every cached credential, lock file and leftover temporary file, and nothing else: only names a
// Store makes are deleted, and a symbolic link is deleted as a link, never followed. It returns how many entries
// were removed. A cache folder that is a symbolic link is refused (*FolderLinkError).
func (s *Store) Clear() (int, error) {
	d, err := openDir(s.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer d.close()
	names, err := d.names()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, name := range names {
		if !ownName(name) {
			continue
		}
		if err := d.remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return n, err
		}
		if strings.HasSuffix(name, fileSuffix) && !strings.HasPrefix(name, ".") {
			n++
		}
	}
	return n, nil
}

// Entries lists what is cached (for `assume -l`); unreadable entries are skipped.
func (s *Store) Entries() []session.Entry {
	d, err := openDir(s.Dir)
	if err != nil {
		return nil
	}
	defer d.close()
	names, err := d.names()
	if err != nil {
		return nil
	}
	var out []session.Entry
	for _, name := range names {
		if !ownName(name) || !strings.HasSuffix(name, fileSuffix) || strings.HasPrefix(name, ".") {
			continue
		}
		if r, ok := s.read(d, name); ok {
			out = append(out, r.entry())
		}
	}
	return out
}

// ensureDir creates the folder 0700 (tightening it if it is looser) and opens it; a symbolic link in its place is
// refused.
func (s *Store) ensureDir() (*dir, error) {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the cache folder: %w", err)
	}
	d, err := openDir(s.Dir)
	if err != nil {
		return nil, err
	}
	if err := d.makePrivate(); err != nil {
		d.close()
		return nil, err
	}
	return d, nil
}
