package provider_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/assume-cli/assume/internal/provider"
	"github.com/assume-cli/assume/internal/session"
)

// ring is a keyring in memory that counts how often it is opened.
type ring struct {
	keys   map[string][2]string
	opened int
	err    error
}

func (r *ring) AccessKey(_ context.Context, backend, profile string) (string, string, error) {
	r.opened++
	if r.err != nil {
		return "", "", r.err
	}
	k, ok := r.keys[backend+"/"+profile]
	if !ok {
		return "", "", errors.New("no item")
	}
	return k[0], k[1], nil
}

func keyringEnv(t *testing.T) (*env, *ring) {
	e := newEnv(t)
	e.files["alice"] = map[string]string{"keyring": "secret-service", "keyring_access_key_id": userKey, "mfa_serial": serial}
	r := &ring{keys: map[string][2]string{"secret-service/alice": {userKey, userSecret}}}
	return e, r
}

func TestKeyringProfileResolvesWithoutOpeningTheKeyring(t *testing.T) {
	e, _ := keyringEnv(t)
	p, err := session.Resolve(e.files, "prod")
	if err != nil {
		t.Fatal(err)
	}
	src := p.Source
	if src.Kind != session.KindMFAUser || !src.InKeyring() || src.Keyring != "secret-service" || src.AccessKeyID != userKey || src.SecretAccessKey != "" {
		t.Fatalf("source = %+v", src)
	}
	// Without `keyring`, the machine's own keyring is meant.
	delete(e.files["alice"], "keyring")
	p, err = session.Resolve(e.files, "alice")
	if err != nil || p.Keyring != "auto" {
		t.Fatalf("keyring = %q, err = %v", p.Keyring, err)
	}
	// Keys in the credentials file win over the keyring settings.
	e.files["alice"]["aws_access_key_id"], e.files["alice"]["aws_secret_access_key"] = "AKIAFILE", "file-secret"
	p, err = session.Resolve(e.files, "alice")
	if err != nil || p.InKeyring() || p.AccessKeyID != "AKIAFILE" {
		t.Fatalf("profile = %+v, err = %v", p, err)
	}
}

func TestKeyringSignsOnMissOnly(t *testing.T) {
	e, r := keyringEnv(t)
	withRing := func(o *provider.Options) { o.Keyring = r }
	e.mustGet(t, "prod", withRing)
	if r.opened != 1 {
		t.Fatalf("keyring opened %d times for a cache miss, want 1", r.opened)
	}
	for _, c := range e.sts.Calls() {
		if c.Action == "GetSessionToken" && c.AccessKeyID != userKey {
			t.Fatalf("GetSessionToken signed by %s, want %s", c.AccessKeyID, userKey)
		}
	}
	// A cache hit (the role) and a cached MFA session (another role) never open the keyring.
	res := e.mustGet(t, "prod", withRing)
	if !res.FromCache {
		t.Fatal("second run was not served from the cache")
	}
	e.mustGet(t, "dev", withRing)
	if r.opened != 1 {
		t.Fatalf("keyring opened %d times, want still 1", r.opened)
	}
	// Rotating the key (the new ID in the config file) misses the cache, and the keyring must agree.
	e.files["alice"]["keyring_access_key_id"] = "AKIAROTATED000000001"
	e.codes.Code = "123456"
	_, err := e.get(t, "prod", withRing)
	if err == nil || !strings.Contains(err.Error(), "the keyring holds access key "+userKey) {
		t.Fatalf("rotated ID: err = %v", err)
	}
	if r.opened != 2 {
		t.Fatalf("rotated key did not miss the cache (keyring opened %d times)", r.opened)
	}
}

func TestKeyringStaticAndFailures(t *testing.T) {
	e, r := keyringEnv(t)
	e.files["plain"] = map[string]string{"keyring": "pass", "keyring_access_key_id": "AKIAPLAIN"}
	r.keys["pass/plain"] = [2]string{"AKIAPLAIN", "plain-secret"}
	res := e.mustGet(t, "plain", func(o *provider.Options) { o.Keyring = r })
	if res.Credentials.AccessKeyID != "AKIAPLAIN" || res.Credentials.SecretAccessKey != "plain-secret" || e.sts.CallCount("") != 0 {
		t.Fatalf("static keyring profile: %+v", res.Credentials)
	}
	r.err = errors.New("the Secret Service keyring is locked")
	_, err := e.get(t, "alice", func(o *provider.Options) { o.Keyring = r })
	if err == nil || err.Error() != "the Secret Service keyring is locked" {
		t.Fatalf("err = %v, want the keyring's own sentence", err)
	}
	_, err = e.get(t, "alice", nil)
	if err == nil || !strings.Contains(err.Error(), "keyring") {
		t.Fatalf("no keyring: err = %v", err)
	}
}
