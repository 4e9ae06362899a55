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
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/assume-cli/assume/internal/atomicfile"
	"github.com/assume-cli/assume/internal/session"
)

// Store is a folder of cached credentials.
type Store struct {
	Dir string
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

const fileSuffix = ".json"

func (s *Store) path(key string) string {
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(s.Dir, hex.EncodeToString(sum[:16])+fileSuffix)
}

// Get returns the entry for key. Anything odd (missing, corrupt, a symlink, a
// file others can read, an entry for another key) is a miss, never an error:
// the caller asks STS again and the entry is replaced.
func (s *Store) Get(key string) (session.Entry, bool) {
	r, ok := s.read(s.path(key))
	if !ok || r.Key != key {
		return session.Entry{}, false
	}
	return r.entry(), true
}

func (s *Store) read(path string) (record, bool) {
	info, err := os.Lstat(path)
	if err != nil || !info.Mode().IsRegular() || !privateMode(info.Mode()) {
		return record{}, false
	}
	data, err := readNoFollow(path)
	if err != nil {
		return record{}, false
	}
	var r record
	if json.Unmarshal(data, &r) != nil || r.Version != 1 || r.AccessKeyID == "" || r.SecretAccessKey == "" {
		return record{}, false
	}
	return r, true
}

func (r record) entry() session.Entry {
	return session.Entry{Profile: r.Profile, Kind: r.Kind, Credentials: aws.Credentials{
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
	if err := s.ensureDir(); err != nil {
		return err
	}
	data, err := json.Marshal(record{
		Version: 1, Key: key, Profile: e.Profile, Kind: e.Kind,
		AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
		Expiration: c.Expires.UTC(), Source: c.Source,
	})
	if err != nil {
		return err
	}
	path := s.path(key)
	// A symlink or other non-file in the entry's place is removed, never
	// written through: the rename below replaces the name itself.
	if info, err := os.Lstat(path); err == nil && !info.Mode().IsRegular() {
		if err := os.Remove(path); err != nil {
			return fmt.Errorf("cannot replace cache entry: %w", err)
		}
	}
	return atomicfile.WriteFile(path, data, 0o600)
}

// Delete removes the entry for key.
func (s *Store) Delete(key string) error {
	err := os.Remove(s.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// Lock serialises fills of one entry across processes.
func (s *Store) Lock(key string) (func(), error) {
	if err := s.ensureDir(); err != nil {
		return nil, err
	}
	return atomicfile.Lock(s.path(key))
}

// Clear deletes every cached credential and lock file; it returns how many
// entries were removed.
func (s *Store) Clear() (int, error) {
	ents, err := os.ReadDir(s.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range ents {
		name := e.Name()
		if e.IsDir() || !(strings.HasSuffix(name, fileSuffix) || strings.HasSuffix(name, ".lock") || strings.HasPrefix(name, ".")) {
			continue
		}
		if err := os.Remove(filepath.Join(s.Dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return n, err
		}
		if strings.HasSuffix(name, fileSuffix) {
			n++
		}
	}
	return n, nil
}

// Entries lists what is cached (for `assume -l`); unreadable entries are skipped.
func (s *Store) Entries() []session.Entry {
	ents, err := os.ReadDir(s.Dir)
	if err != nil {
		return nil
	}
	var out []session.Entry
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), fileSuffix) {
			continue
		}
		if r, ok := s.read(filepath.Join(s.Dir, e.Name())); ok {
			out = append(out, r.entry())
		}
	}
	return out
}

// ensureDir creates the folder 0700, and tightens it if it is looser.
func (s *Store) ensureDir() error {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return fmt.Errorf("cannot create the cache folder: %w", err)
	}
	info, err := os.Lstat(s.Dir)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		return fmt.Errorf("the cache folder %s is not a folder", s.Dir)
	}
	if !privateMode(info.Mode()) {
		return os.Chmod(s.Dir, 0o700)
	}
	return nil
}
