package cli

import (
	"cmp"
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/display"
	"github.com/assume-cli/assume/internal/fastpath"
	"github.com/assume-cli/assume/internal/keystore"
	"github.com/assume-cli/assume/internal/session"
	"github.com/assume-cli/assume/internal/setup"
)

// KeyringOptions are the flags about IAM users' long-term keys in the keyring.
type KeyringOptions struct {
	Keyring   string `name:"keyring" placeholder:"BACKEND" help:"Keyring for long-term keys: auto, keychain, wincred, secret-service, pass, file. With --setup: keep the keys there."`
	ToKeyring bool   `name:"to-keyring" help:"Move PROFILE's access key from the credentials file into the keyring (checked with STS first)."`
	ToFile    bool   `name:"to-file" help:"Move PROFILE's access key from the keyring back into the credentials file."`
}

// keyringChoice is --keyring, else ASSUME_KEYRING.
func keyringChoice(o *Options, d Deps) string {
	return cmp.Or(o.Keyring, d.Getenv("ASSUME_KEYRING"))
}

// openKeyring opens the first of names that is set and not "auto", else the machine's own keyring. Opening does no
// I/O: the backend is only reached when a key is read or written.
func openKeyring(d Deps, names ...string) (*keystore.Store, error) {
	name := ""
	for _, n := range names {
		if n != "" && n != keystore.Auto {
			name = n
			break
		}
	}
	cfg := keystore.Config{Getenv: d.Getenv}
	if d.Prompter != nil && d.Streams.CanPrompt() {
		cfg.Passphrase = d.Prompter.Secret
	}
	s, err := keystore.Open(name, cfg)
	if err != nil {
		return nil, &ExitError{Code: ExitUsage, Err: err}
	}
	return s, nil
}

// keyringReader is provider.Keyring over keystore. The profile's `keyring` setting names where its key is; only a
// profile that leaves it to the machine ("auto") follows --keyring / ASSUME_KEYRING (chosen, the backend).
type keyringReader struct {
	chosen string
	d      Deps
}

func (k keyringReader) AccessKey(ctx context.Context, backend, profile string) (string, string, error) {
	s, err := openKeyring(k.d, backend, k.chosen)
	if err != nil {
		return "", "", err
	}
	keys, err := s.Get(ctx, profile)
	return keys.AccessKeyID, keys.SecretAccessKey, err
}

// setupKeyring is setup.KeyStore: the keyring, the config file's pointer to it, and the credentials file it replaces.
type setupKeyring struct {
	s     *keystore.Store
	paths awsfile.Paths
}

func (k setupKeyring) Describe() string { return k.s.Describe() }

func (k setupKeyring) Load(ctx context.Context, profile string) (string, string, error) {
	keys, err := k.s.Get(ctx, profile)
	return keys.AccessKeyID, keys.SecretAccessKey, err
}

func (k setupKeyring) Store(ctx context.Context, profile, id, secret string) error {
	return moveIn(ctx, k.s, k.paths, profile, keystore.Keys{AccessKeyID: id, SecretAccessKey: secret})
}

// moveIn stores keys in the keyring, reads them back, points the profile's config section at them, and only then
// removes them from the credentials file (if they are there): a failure at any step leaves a working profile.
func moveIn(ctx context.Context, s *keystore.Store, p awsfile.Paths, profile string, keys keystore.Keys) error {
	if err := s.Set(ctx, profile, keys); err != nil {
		return err
	}
	back, err := s.Get(ctx, profile)
	if err != nil {
		return err
	}
	if back != keys {
		return fmt.Errorf("%s gave back another key than the one stored for profile %q; the credentials file was left as it was", s.Describe(), profile)
	}
	kv := []awsfile.KV{{Key: session.KeyringSetting, Value: s.Name()}, {Key: session.KeyringIDSetting, Value: keys.AccessKeyID}}
	if err := awsfile.SetKeys(p.Config, awsfile.ConfigSection(profile), kv, nil); err != nil {
		return fmt.Errorf("the key is in %s, but writing %s to %s failed: %v", s.Describe(), session.KeyringIDSetting, p.Config, err)
	}
	files, err := awsfile.Load(awsfile.Paths{Credentials: p.Credentials})
	if err != nil {
		return err
	}
	if v, ok := files.Profile(profile); ok && v.Values["aws_access_key_id"] != "" {
		if err := awsfile.RemoveAccessKey(p.Credentials, profile, keys.AccessKeyID, keys.SecretAccessKey); err != nil {
			return fmt.Errorf("the key is in %s, but removing it from %s failed: %v", s.Describe(), p.Credentials, err)
		}
	}
	return nil
}

// runKeyringMove is --to-keyring and --to-file.
func runKeyringMove(ctx context.Context, o *Options, d Deps) error {
	flag := "--to-keyring"
	if o.ToFile {
		flag = "--to-file"
	}
	switch {
	case o.ToKeyring && o.ToFile:
		return usageErr("--to-keyring and --to-file go opposite ways; give one")
	case o.Profile == "":
		return usageErr("%s needs the profile whose key to move: assume PROFILE %s", flag, flag)
	}
	pth := d.Paths
	files, err := awsfile.Load(pth)
	if err != nil {
		return err
	}
	prof, ok := files.Profile(o.Profile)
	if !ok {
		return unknownProfile(o.Profile, files.Names())
	}
	if o.ToFile {
		return moveOut(ctx, o, d, pth, prof.Values)
	}
	return moveToKeyring(ctx, o, d, pth, prof)
}

func moveToKeyring(ctx context.Context, o *Options, d Deps, pth awsfile.Paths, prof awsfile.Profile) error {
	name, v := o.Profile, prof.Values
	// Only a key set from the credentials file moves: the merged view takes it whole from there when that file's
	// section holds any of it, else from the config file (KeysInConfig).
	inFile := map[string]string{}
	if !prof.KeysInConfig {
		inFile = v
	}
	id, secret := inFile["aws_access_key_id"], inFile["aws_secret_access_key"]
	switch {
	case inFile["aws_session_token"] != "":
		return fmt.Errorf("[%s] in %s holds temporary credentials (aws_session_token), not an IAM user's long-term key; nothing to move", name, pth.Credentials)
	case id == "" && v[session.KeyringIDSetting] != "":
		return fmt.Errorf("profile %q already keeps its key in the keyring (%s = %s)", name, session.KeyringIDSetting, v[session.KeyringIDSetting])
	case id == "" || secret == "":
		return fmt.Errorf("[%s] in %s holds no access key to move (aws_access_key_id and aws_secret_access_key)", name, pth.Credentials)
	}
	store, err := openKeyring(d, keyringChoice(o, d))
	if err != nil {
		return err
	}
	// A key that AWS does not accept is not worth keeping: check it before anything moves.
	// The region reaches the STS host name: only a plausible one is used.
	region, err := fastpath.RegionOf(o.Region, name, v["region"], d.Getenv)
	if err != nil {
		return err
	}
	region = cmp.Or(region, "us-east-1")
	_, client, err := setup.NewClients(d.Getenv, d.HTTPClient)(ctx, aws.Credentials{AccessKeyID: id, SecretAccessKey: secret}, region, v["endpoint_url"])
	if err != nil {
		return err
	}
	arn, err := setup.Identity(ctx, client, id)
	if err != nil {
		return fmt.Errorf("nothing was moved: %w", err)
	}
	if err := moveIn(ctx, store, pth, name, keystore.Keys{AccessKeyID: id, SecretAccessKey: secret}); err != nil {
		return err
	}
	fmt.Fprintf(d.Streams.ErrOut, "assume: moved access key %s of %s into %s and removed it from %s; `assume %s --to-file` moves it back\n",
		display.Safe(id), display.Safe(arn), store.Describe(), display.Safe(pth.Credentials), display.Safe(name))
	return nil
}

// moveOut is the way back: the key goes into the credentials file, the profile's keyring settings go, and the
// keyring item is deleted last.
func moveOut(ctx context.Context, o *Options, d Deps, pth awsfile.Paths, v map[string]string) error {
	name := o.Profile
	id := v[session.KeyringIDSetting]
	if id == "" {
		return fmt.Errorf("profile %q does not keep its key in the keyring (no %s in %s)", name, session.KeyringIDSetting, pth.Config)
	}
	store, err := openKeyring(d, v[session.KeyringSetting], keyringChoice(o, d))
	if err != nil {
		return err
	}
	keys, err := store.Get(ctx, name)
	if err != nil {
		return err
	}
	if keys.AccessKeyID != id {
		return fmt.Errorf("%s holds access key %s for profile %q, but %s says %s; nothing was moved", store.Describe(), keys.AccessKeyID, name, session.KeyringIDSetting, id)
	}
	kv := []awsfile.KV{{Key: "aws_access_key_id", Value: keys.AccessKeyID}, {Key: "aws_secret_access_key", Value: keys.SecretAccessKey}}
	err = awsfile.SetKeys(pth.Credentials, name, kv, func(occurrences []map[string]string) error {
		// Every [name] section counts: a repeated one must not hide another key.
		for _, cur := range occurrences {
			if cur["aws_access_key_id"] != "" && cur["aws_access_key_id"] != keys.AccessKeyID {
				return fmt.Errorf("[%s] in %s already holds another access key (%s); nothing was moved", name, pth.Credentials, cur["aws_access_key_id"])
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := awsfile.DeleteKeys(pth.Config, awsfile.ConfigSection(name), []string{session.KeyringSetting, session.KeyringIDSetting}); err != nil {
		return fmt.Errorf("the key is back in %s, but removing %s from %s failed: %v", pth.Credentials, session.KeyringIDSetting, pth.Config, err)
	}
	if err := store.Delete(ctx, name); err != nil {
		return fmt.Errorf("the key is back in %s, but deleting it from %s failed: %w", pth.Credentials, store.Describe(), err)
	}
	fmt.Fprintf(d.Streams.ErrOut, "assume: moved access key %s of profile %s from %s back into %s\n", display.Safe(id), display.Safe(name), store.Describe(), display.Safe(pth.Credentials))
	return nil
}

// keyringForSetup is the keyring --setup offers: the one named by --keyring, the profile's own, or the machine's.
// It is nil when none can be opened and none was asked for, so set-up falls back to the credentials file.
func keyringForSetup(o *Options, d Deps) (setup.KeyStore, error) {
	pth := d.Paths
	setting := ""
	if files, err := awsfile.Load(pth); err == nil {
		if p, ok := files.Profile(o.Profile); ok {
			setting = p.Values[session.KeyringSetting]
		}
	}
	s, err := openKeyring(d, keyringChoice(o, d), setting)
	if err != nil {
		if keyringChoice(o, d) != "" {
			return nil, err
		}
		return nil, nil
	}
	return setupKeyring{s: s, paths: pth}, nil
}
