package keystore

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func fileEnv(dir, pass string) func(string) string {
	return func(k string) string {
		switch k {
		case DirEnv:
			return dir
		case PassphraseEnv:
			return pass
		}
		return ""
	}
}

func TestFileBackendRoundTripAndModes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keyring")
	s, err := Open(File, Config{Getenv: fileEnv(dir, "right")})
	if err != nil {
		t.Fatal(err)
	}
	keys := Keys{AccessKeyID: "AKIAFILE000000000001", SecretAccessKey: "file-secret/+="}
	if err := s.Set(context.Background(), "work", keys); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(context.Background(), "work")
	if err != nil || got != keys {
		t.Fatalf("got %+v, %v", got, err)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %o, want 700", fi.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("%d files", len(entries))
	}
	path := filepath.Join(dir, entries[0].Name())
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %o, want 600", fi.Mode().Perm())
	}
	raw, _ := os.ReadFile(path)
	if strings.Contains(string(raw), keys.SecretAccessKey) || strings.Contains(string(raw), keys.AccessKeyID) {
		t.Fatal("the file holds the key in the clear")
	}

	// A wrong passphrase opens nothing, and cannot add a second item under another passphrase.
	wrong, _ := Open(File, Config{Getenv: fileEnv(dir, "wrong")})
	_, err = wrong.Get(context.Background(), "work")
	var ke *Error
	if !errors.As(err, &ke) || ke.Kind != BadPassphrase || strings.Contains(err.Error(), "wrong") {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if err := wrong.Set(context.Background(), "other", keys); !errors.As(err, &ke) || ke.Kind != BadPassphrase {
		t.Fatalf("second item under another passphrase: %v", err)
	}

	// A file copied to another profile's name does not open: the name is sealed with the data.
	if err := os.Rename(path, filepath.Join(dir, "b3RoZXI.json")); err != nil { // base64url("other")
		t.Fatal(err)
	}
	if _, err := s.Get(context.Background(), "other"); !errors.As(err, &ke) || ke.Kind != BadPassphrase {
		t.Fatalf("renamed item: %v", err)
	}

	// Missing item: says which commands store it.
	_, err = s.Get(context.Background(), "nobody")
	if !errors.As(err, &ke) || ke.Kind != NotFound || !strings.Contains(err.Error(), "assume nobody --to-keyring") {
		t.Fatalf("missing: %v", err)
	}
	if err := s.Delete(context.Background(), "nobody"); err != nil {
		t.Fatalf("deleting a missing item: %v", err)
	}
}

func TestFileBackendRefusesLinks(t *testing.T) {
	dir := t.TempDir()
	s, _ := Open(File, Config{Getenv: fileEnv(dir, "pw")})
	target := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.Symlink(target, filepath.Join(dir, "d29yaw.json")); err != nil { // base64url("work")
		t.Fatal(err)
	}
	if err := s.Set(context.Background(), "work", Keys{AccessKeyID: "AKIA1", SecretAccessKey: "s"}); err == nil {
		t.Fatal("wrote a secret through a symbolic link")
	}
	if _, err := os.Lstat(target); err == nil {
		t.Fatal("the link's target was created")
	}
	if _, err := s.Get(context.Background(), "work"); err == nil {
		t.Fatal("read an item through a symbolic link")
	}
}

func TestNoPassphraseNoTerminal(t *testing.T) {
	s, _ := Open(File, Config{Getenv: fileEnv(t.TempDir(), "")})
	err := s.Set(context.Background(), "work", Keys{AccessKeyID: "AKIA1", SecretAccessKey: "s"})
	if err == nil || !strings.Contains(err.Error(), PassphraseEnv) {
		t.Fatalf("err = %v", err)
	}
}

func TestChooseAndUnknownBackend(t *testing.T) {
	if _, err := Open("vault", Config{}); err == nil || !strings.Contains(err.Error(), "secret-service") {
		t.Fatalf("unknown backend: %v", err)
	}
	env := func(k string) string {
		if k == "DBUS_SESSION_BUS_ADDRESS" {
			return "unix:path=/nonexistent"
		}
		return ""
	}
	if got := Choose(env); got != nativeName() {
		t.Fatalf("Choose with a session bus = %s, want %s", got, nativeName())
	}
}

func TestSecretServiceWithoutABusStartsNone(t *testing.T) {
	if nativeName() != SecretService {
		t.Skip("the Secret Service is the Linux and BSD keyring")
	}
	runtimeDir := t.TempDir() // holds no bus socket
	s, _ := Open(SecretService, Config{Getenv: func(k string) string {
		if k == "XDG_RUNTIME_DIR" {
			return runtimeDir
		}
		return ""
	}})
	_, err := s.Get(context.Background(), "work")
	if err == nil || !strings.Contains(err.Error(), "needs a D-Bus session") {
		t.Fatalf("err = %v", err)
	}
}
