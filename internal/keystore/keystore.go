// Package keystore keeps IAM users' long-term access keys in the operating system's keyring instead of the
// plaintext credentials file: the macOS Keychain, the Windows Credential Manager, the Secret Service on Linux
// (GNOME Keyring, KWallet), the `pass` password store, or a passphrase-encrypted file for headless machines.
//
// One item per profile holds both halves of the key as JSON. Nothing here runs at package initialisation and
// nothing touches a backend before Get, Set or Delete is called, so a program that links this package but answers
// from its cache never opens the keyring.
package keystore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Backend names, as given to --keyring, ASSUME_KEYRING and the profile's `keyring` setting.
const (
	Auto          = "auto"
	Keychain      = "keychain"
	WinCred       = "wincred"
	SecretService = "secret-service"
	Pass          = "pass"
	File          = "file"
)

// Names lists the backends a person may name, for help and completion.
var Names = []string{Auto, Keychain, WinCred, SecretService, Pass, File}

// Service is the service name under which items are stored (the folder in pass).
const Service = "assume"

// Keys is an IAM user's long-term access key.
type Keys struct {
	AccessKeyID     string `json:"aws_access_key_id"`
	SecretAccessKey string `json:"aws_secret_access_key"`
}

// Config is what the backends need from the world.
type Config struct {
	Getenv func(string) string
	// Passphrase asks for the encrypted file's passphrase on the terminal; nil when there is none.
	Passphrase func(message string) (string, error)
	// Timeout bounds one keyring operation, prompts to unlock included; zero: DefaultTimeout.
	Timeout time.Duration
}

// DefaultTimeout leaves time to type a password into an unlock prompt.
const DefaultTimeout = 2 * time.Minute

// PassphraseEnv holds the encrypted file's passphrase for scripts.
const PassphraseEnv = "ASSUME_KEYRING_PASSPHRASE"

// DirEnv names the encrypted file backend's folder.
const DirEnv = "ASSUME_KEYRING_DIR"

type backend interface {
	get(ctx context.Context, profile string) ([]byte, error)
	set(ctx context.Context, profile string, data []byte) error
	remove(ctx context.Context, profile string) error
}

// Store is one opened backend. Opening only decides which backend; it does no I/O.
type Store struct {
	name string
	cfg  Config
	b    backend
}

// Open returns the named backend ("" or "auto": the platform's own, see Choose).
func Open(name string, cfg Config) (*Store, error) {
	if cfg.Getenv == nil {
		cfg.Getenv = os.Getenv
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if name == "" || name == Auto {
		name = Choose(cfg.Getenv)
	}
	s := &Store{name: name, cfg: cfg}
	switch name {
	case Keychain, WinCred, SecretService:
		if want := nativeName(); name != want {
			return nil, &Error{Backend: name, Kind: Unavailable, Msg: fmt.Sprintf("the %s keyring does not exist on %s; use --keyring %s, pass or file", name, runtime.GOOS, want)}
		}
		ring := osKeyring{}
		if name == SecretService {
			ring.getenv = cfg.Getenv
		}
		s.b = ring
	case Pass:
		s.b = passStore{getenv: cfg.Getenv}
	case File:
		dir, err := fileDir(cfg.Getenv)
		if err != nil {
			return nil, err
		}
		s.b = &fileStore{dir: dir, getenv: cfg.Getenv, ask: cfg.Passphrase}
	default:
		return nil, &Error{Backend: name, Kind: Unavailable, Msg: fmt.Sprintf("%q is not a keyring backend: use one of %s", name, strings.Join(Names, ", "))}
	}
	return s, nil
}

// Name is the backend's name, never "auto".
func (s *Store) Name() string { return s.name }

// Describe names the backend for a person.
func (s *Store) Describe() string {
	switch s.name {
	case Keychain:
		return "the macOS Keychain"
	case WinCred:
		return "the Windows Credential Manager"
	case SecretService:
		return "the Secret Service keyring (GNOME Keyring, KWallet)"
	case Pass:
		return "the pass password store"
	case File:
		return "the encrypted file keyring"
	}
	return s.name
}

// Choose picks the backend for this machine: the operating system's own keyring, else on Linux and BSD the Secret
// Service when a session bus is there, else pass when its store is set up, else the encrypted file.
func Choose(getenv func(string) string) string {
	if n := nativeName(); n != SecretService {
		return n
	}
	if getenv("DBUS_SESSION_BUS_ADDRESS") != "" {
		return SecretService
	}
	if passReady(getenv) {
		return Pass
	}
	return File
}

func nativeName() string {
	switch runtime.GOOS {
	case "darwin":
		return Keychain
	case "windows":
		return WinCred
	}
	return SecretService
}

func passReady(getenv func(string) string) bool {
	if _, err := exec.LookPath("pass"); err != nil {
		return false
	}
	dir := getenv("PASSWORD_STORE_DIR")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return false
		}
		dir = filepath.Join(home, ".password-store")
	}
	_, err := os.Stat(filepath.Join(dir, ".gpg-id"))
	return err == nil
}

// Get returns the keys stored for profile.
func (s *Store) Get(ctx context.Context, profile string) (Keys, error) {
	var data []byte
	err := s.within(ctx, profile, func(ctx context.Context) (err error) {
		data, err = s.b.get(ctx, profile)
		return err
	})
	if err != nil {
		return Keys{}, err
	}
	var k Keys
	if json.Unmarshal(data, &k) != nil || k.AccessKeyID == "" || k.SecretAccessKey == "" {
		return Keys{}, &Error{Backend: s.name, Profile: profile, Kind: NotFound,
			Msg: fmt.Sprintf("the item for profile %q in %s is not an access key stored by assume", profile, s.Describe())}
	}
	return k, nil
}

// Set stores keys for profile, replacing what was there.
func (s *Store) Set(ctx context.Context, profile string, k Keys) error {
	data, err := json.Marshal(k)
	if err != nil {
		return err
	}
	return s.within(ctx, profile, func(ctx context.Context) error { return s.b.set(ctx, profile, data) })
}

// Delete removes profile's item; a missing item is not an error.
func (s *Store) Delete(ctx context.Context, profile string) error {
	err := s.within(ctx, profile, func(ctx context.Context) error { return s.b.remove(ctx, profile) })
	var e *Error
	if errors.As(err, &e) && e.Kind == NotFound {
		return nil
	}
	return err
}

// within runs op with the store's deadline. The OS keyring calls take no context, so a call that outlives the
// deadline is abandoned (the process is about to exit) rather than waited for.
func (s *Store) within(ctx context.Context, profile string, op func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- op(ctx) }()
	select {
	case err := <-done:
		return s.explain(profile, err)
	case <-ctx.Done():
		return &Error{Backend: s.name, Profile: profile, Kind: Unavailable,
			Msg: fmt.Sprintf("%s did not answer within %s; check that it is running and unlocked", s.Describe(), s.cfg.Timeout)}
	}
}

// explain turns a backend's error into one sentence that says what to do.
func (s *Store) explain(profile string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Kind: Unavailable, Msg: fmt.Sprintf("%s could not be used (%s); check that it is running and unlocked, or choose another with --keyring", s.Describe(), oneLine(err.Error()))}
	}
	e.Backend, e.Profile = s.name, profile
	if e.Kind == NotFound && e.Msg == "" {
		e.Msg = fmt.Sprintf("%s holds no access key for profile %q; store it with `assume --setup %s --keyring %s` or move it there with `assume %s --to-keyring`",
			s.Describe(), profile, profile, s.name, profile)
	}
	return e
}

// Kind sorts keyring failures.
type Kind int

const (
	Unavailable   Kind = iota // absent, not running, locked, or refused
	NotFound                  // no item for the profile
	BadPassphrase             // the encrypted file's passphrase is wrong
)

// Error is a keyring failure; its message is one sentence and never holds a secret.
type Error struct {
	Backend string
	Profile string
	Kind    Kind
	Msg     string
}

func (e *Error) Error() string { return e.Msg }

// oneLine keeps the first line of a backend's message, without control characters.
func oneLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
