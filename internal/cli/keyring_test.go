package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assume-cli/assume/internal/keystore"
)

// A role whose source keeps its key in the encrypted file: the first run opens it, a cached run does not (a wrong
// passphrase would fail it), and -l shows where the key is.
func TestKeyringSourceOpensOnlyOnMiss(t *testing.T) {
	h := newHarness(t)
	dir := filepath.Join(h.dir, "keyring")
	h.env[keystore.DirEnv] = dir
	h.env[keystore.PassphraseEnv] = "right"
	store, err := keystore.Open(keystore.File, keystore.Config{Getenv: func(k string) string { return h.env[k] }})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Set(context.Background(), "alice", keystore.Keys{AccessKeyID: userKey, SecretAccessKey: userSecret}); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(h.dir, "credentials"), "# keys moved to the keyring\n")
	config, _ := os.ReadFile(filepath.Join(h.dir, "config"))
	write(t, filepath.Join(h.dir, "config"), strings.Replace(string(config), "[profile alice]\n",
		"[profile alice]\nkeyring = file\nkeyring_access_key_id = "+userKey+"\n", 1))

	if code := h.run("-l"); code != 0 || !strings.Contains(h.stdout(), "keyring file") {
		t.Fatalf("-l: %d\n%s%s", code, h.stdout(), h.stderr())
	}
	if code := h.run("prod", "-m", "123456", "--format", "json"); code != 0 {
		t.Fatalf("first run: %d %s", code, h.stderr())
	}
	for _, c := range h.sts.Calls() {
		if c.Action == "GetSessionToken" && c.AccessKeyID != userKey {
			t.Fatalf("GetSessionToken signed by %s", c.AccessKeyID)
		}
	}
	h.noSecrets()
	h.env[keystore.PassphraseEnv] = "wrong"
	if code := h.run("prod", "--format", "json"); code != 0 || !strings.Contains(h.stderr(), "cached") {
		t.Fatalf("cached run opened the keyring: %d %s", code, h.stderr())
	}
	if code := h.run("prod", "--format", "json", "--refresh", "--no-session", "-m", "123456"); code != 1 || h.stdout() != "" || !strings.Contains(h.stderr(), "passphrase does not open") {
		t.Fatalf("a miss with the wrong passphrase: %d %q", code, h.stderr())
	}
	h.noSecrets()
}

func TestKeyringMoveUsage(t *testing.T) {
	h := newHarness(t)
	for _, args := range [][]string{
		{"--to-keyring"},
		{"alice", "--to-keyring", "--to-file"},
		{"alice", "--to-keyring", "--setup"},
		{"alice", "--to-file", "--format", "json"},
		{"alice", "--to-keyring", "--keyring", "vault"},
	} {
		if code := h.run(args...); code != 2 || h.stdout() != "" || strings.Count(h.stderr(), "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q", args, code, h.stderr())
		}
	}
	// Temporary credentials and profiles without keys are refused before any call.
	if code := h.run("nokeys", "--to-keyring", "--keyring", "file"); code != 1 || !strings.Contains(h.stderr(), "holds no access key") {
		t.Errorf("nokeys: %d %q", code, h.stderr())
	}
	if code := h.run("alice", "--to-file"); code != 1 || !strings.Contains(h.stderr(), "does not keep its key in the keyring") {
		t.Errorf("--to-file of a file profile: %d %q", code, h.stderr())
	}
}

// The region reaches the STS host name: --to-keyring refuses one that is not a region name before any call, and
// moves nothing.
func TestKeyringMoveRefusesAnImplausibleRegion(t *testing.T) {
	h := newHarness(t)
	h.env[keystore.DirEnv] = filepath.Join(h.dir, "keyring")
	credentials, _ := os.ReadFile(filepath.Join(h.dir, "credentials"))
	config, _ := os.ReadFile(filepath.Join(h.dir, "config"))
	if code := h.run("alice", "--to-keyring", "--keyring", "file", "-r", "evil.example.com/"); code != 1 || h.stdout() != "" ||
		!strings.Contains(h.stderr(), "is not a region name") || !strings.Contains(h.stderr(), "from -r") {
		t.Errorf("-r: exit %d, stderr %q", code, h.stderr())
	}
	// Without -r or a region in the profile, AWS_REGION is checked as well.
	write(t, filepath.Join(h.dir, "config"), strings.Replace(string(config), "region = eu-west-1\n", "", 1))
	h.env["AWS_REGION"] = "eu west 1"
	if code := h.run("alice", "--to-keyring", "--keyring", "file"); code != 1 || h.stdout() != "" ||
		!strings.Contains(h.stderr(), "is not a region name") || !strings.Contains(h.stderr(), "from AWS_REGION") {
		t.Errorf("AWS_REGION: exit %d, stderr %q", code, h.stderr())
	}
	if n := len(h.sts.Calls()); n != 0 {
		t.Errorf("%d STS calls with a refused region", n)
	}
	if after, _ := os.ReadFile(filepath.Join(h.dir, "credentials")); string(after) != string(credentials) {
		t.Errorf("the credentials file changed:\n%s", after)
	}
}

// Only a key in the credentials file moves: a key set in the config file is left where it is, before any call.
func TestKeyringMoveLeavesAKeyInTheConfigFile(t *testing.T) {
	h := newHarness(t)
	h.env[keystore.DirEnv] = filepath.Join(h.dir, "keyring")
	config, _ := os.ReadFile(filepath.Join(h.dir, "config"))
	write(t, filepath.Join(h.dir, "config"), string(config)+"\n[profile inconfig]\naws_access_key_id = "+staticKey+"\naws_secret_access_key = "+staticSec+"\n")
	if code := h.run("inconfig", "--to-keyring", "--keyring", "file"); code != 1 || h.stdout() != "" || !strings.Contains(h.stderr(), "holds no access key to move") {
		t.Errorf("keys in the config file: exit %d, stderr %q", code, h.stderr())
	}
	if n := len(h.sts.Calls()); n != 0 {
		t.Errorf("%d STS calls for a key that does not move", n)
	}
	if _, err := os.Stat(filepath.Join(h.dir, "keyring")); !os.IsNotExist(err) {
		t.Errorf("the keyring was written: %v", err)
	}
}
