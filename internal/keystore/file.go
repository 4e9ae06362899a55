package keystore

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/assume-cli/assume/internal/atomicfile"
)

// fileStore keeps each item in its own file, PROFILE (base64url) + ".json", in a 0700 folder: the item sealed with
// AES-256-GCM under a key derived from a passphrase with PBKDF2-HMAC-SHA256. The profile's name is the sealed data's
// additional data, so a file renamed to another profile's name does not open. Every file of a folder shares one
// passphrase: storing checks a new passphrase against the files already there.
type fileStore struct {
	dir    string
	getenv func(string) string
	ask    func(message string) (string, error)
	pass   string // asked once a run
}

// pbkdf2Iterations follows OWASP's 2023 advice for PBKDF2-HMAC-SHA256.
const pbkdf2Iterations = 600_000

type sealed struct {
	Version    int    `json:"version"`
	KDF        string `json:"kdf"`
	Iterations int    `json:"iterations"`
	Salt       string `json:"salt"`
	Nonce      string `json:"nonce"`
	Data       string `json:"data"`
}

// maxFile caps a sealed file's size when it is read.
const maxFile = 64 << 10

func fileDir(getenv func(string) string) (string, error) {
	if d := getenv(DirEnv); d != "" {
		return d, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", &Error{Backend: File, Kind: Unavailable, Msg: fmt.Sprintf("found no folder for the encrypted keyring file (%v); set %s", err, DirEnv)}
	}
	return filepath.Join(base, "assume", "keyring"), nil
}

func (f *fileStore) path(profile string) string {
	return filepath.Join(f.dir, base64.RawURLEncoding.EncodeToString([]byte(profile))+".json")
}

func (f *fileStore) passphrase(confirm bool) (string, error) {
	if f.pass != "" {
		return f.pass, nil
	}
	if p := f.getenv(PassphraseEnv); p != "" {
		f.pass = p
		return p, nil
	}
	if f.ask == nil {
		return "", &Error{Kind: Unavailable, Msg: fmt.Sprintf("the encrypted keyring file needs its passphrase and there is no terminal to ask on; set %s", PassphraseEnv)}
	}
	p, err := f.ask("Passphrase of the encrypted keyring file:")
	if err != nil {
		return "", err
	}
	if p == "" {
		return "", &Error{Kind: BadPassphrase, Msg: "the passphrase of the encrypted keyring file cannot be empty"}
	}
	if confirm {
		again, err := f.ask("The same passphrase again:")
		if err != nil {
			return "", err
		}
		if again != p {
			return "", &Error{Kind: BadPassphrase, Msg: "the two passphrases differ; nothing was stored"}
		}
	}
	f.pass = p
	return p, nil
}

func (f *fileStore) get(_ context.Context, profile string) ([]byte, error) {
	raw, err := readRegular(f.path(profile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &Error{Kind: NotFound}
	}
	if err != nil {
		return nil, err
	}
	pass, err := f.passphrase(false)
	if err != nil {
		return nil, err
	}
	return open(raw, pass, profile)
}

func (f *fileStore) set(_ context.Context, profile string, data []byte) error {
	if err := f.ensureDir(); err != nil {
		return err
	}
	other, otherProfile, err := f.anyItem()
	if err != nil {
		return err
	}
	pass, err := f.passphrase(other == nil)
	if err != nil {
		return err
	}
	if other != nil {
		if _, err := open(other, pass, otherProfile); err != nil {
			return err
		}
	}
	box, err := seal(data, pass, profile)
	if err != nil {
		return err
	}
	path := f.path(profile)
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return &Error{Kind: Unavailable, Msg: fmt.Sprintf("%s is a symbolic link; the encrypted keyring file writes no secret through a link: remove it", path)}
	}
	return atomicfile.WriteFile(path, box, 0o600)
}

func (f *fileStore) remove(_ context.Context, profile string) error {
	err := os.Remove(f.path(profile))
	if errors.Is(err, fs.ErrNotExist) {
		return &Error{Kind: NotFound}
	}
	return err
}

// ensureDir makes the folder 0700, and refuses one that is a symbolic link.
func (f *fileStore) ensureDir() error {
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		return err
	}
	fi, err := os.Lstat(f.dir)
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 || !fi.IsDir() {
		return &Error{Kind: Unavailable, Msg: fmt.Sprintf("%s is not a plain folder; the encrypted keyring file needs one (set %s to choose another)", f.dir, DirEnv)}
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return os.Chmod(f.dir, 0o700)
	}
	return nil
}

// anyItem returns one stored item and its profile, to check a passphrase against; nil when the folder is empty.
func (f *fileStore) anyItem() ([]byte, string, error) {
	entries, err := os.ReadDir(f.dir)
	if err != nil {
		return nil, "", err
	}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || !e.Type().IsRegular() {
			continue
		}
		profile, err := base64.RawURLEncoding.DecodeString(name)
		if err != nil {
			continue
		}
		raw, err := readRegular(filepath.Join(f.dir, e.Name()))
		if err == nil {
			return raw, string(profile), nil
		}
	}
	return nil, "", nil
}

// readRegular reads a plain file of at most maxFile bytes; a symbolic link is refused, not followed.
func readRegular(path string) ([]byte, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, &Error{Kind: Unavailable, Msg: fmt.Sprintf("%s is not a plain file; the encrypted keyring file follows no link: remove it", path)}
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	raw, err := io.ReadAll(io.LimitReader(fh, maxFile+1))
	if err != nil {
		return nil, err
	}
	if len(raw) > maxFile {
		return nil, &Error{Kind: Unavailable, Msg: fmt.Sprintf("%s is too large to be an item of the encrypted keyring file", path)}
	}
	return raw, nil
}

func gcm(pass string, salt []byte, iterations int) (cipher.AEAD, error) {
	key, err := pbkdf2.Key(sha256.New, pass, salt, iterations, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func seal(data []byte, pass, profile string) ([]byte, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	aead, err := gcm(pass, salt, pbkdf2Iterations)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	enc := base64.StdEncoding.EncodeToString
	return json.MarshalIndent(sealed{
		Version: 1, KDF: "pbkdf2-hmac-sha256", Iterations: pbkdf2Iterations,
		Salt: enc(salt), Nonce: enc(nonce), Data: enc(aead.Seal(nil, nonce, data, []byte(profile))),
	}, "", "  ")
}

func open(raw []byte, pass, profile string) ([]byte, error) {
	var s sealed
	broken := &Error{Kind: Unavailable, Msg: fmt.Sprintf("the encrypted keyring file's item for profile %q is damaged; store the key again", profile)}
	if json.Unmarshal(raw, &s) != nil || s.Version != 1 || s.KDF != "pbkdf2-hmac-sha256" || s.Iterations < 100_000 || s.Iterations > 10_000_000 {
		return nil, broken
	}
	dec := base64.StdEncoding.DecodeString
	salt, err1 := dec(s.Salt)
	nonce, err2 := dec(s.Nonce)
	data, err3 := dec(s.Data)
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, broken
	}
	aead, err := gcm(pass, salt, s.Iterations)
	if err != nil {
		return nil, err
	}
	if len(nonce) != aead.NonceSize() {
		return nil, broken
	}
	plain, err := aead.Open(nil, nonce, data, []byte(profile))
	if err != nil {
		return nil, &Error{Kind: BadPassphrase, Msg: fmt.Sprintf("the passphrase does not open the encrypted keyring file (check %s or what you typed)", PassphraseEnv)}
	}
	return plain, nil
}
