package session

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// A profile whose long-term keys live in the operating system's keyring says so in the config file, with settings
// that hold no secret:
//
//	[profile alice]
//	keyring = secret-service                     # which keyring; absent or "auto": chosen for the machine
//	keyring_access_key_id = AKIAIOSFODNN7EXAMPLE  # the key's ID, which is not secret
//
// Resolution reads only these, so `assume -l` and completion stay as fast as for any profile, and the cache keys
// (built from the access key ID) change when the key is rotated. The secret is fetched from the keyring only when an
// STS call must be signed with it, that is on a cache miss: a cache hit never opens the keyring.
const (
	KeyringSetting   = "keyring"
	KeyringIDSetting = "keyring_access_key_id"
	keyringAuto      = "auto"
)

// Keyring reads an IAM user's long-term keys from the keyring named backend ("auto": the machine's own).
type Keyring interface {
	AccessKey(ctx context.Context, backend, profile string) (id, secret string, err error)
}

// fromKeyring marks p as keeping its keys in the keyring when its files say so and hold no keys themselves (keys in
// the credentials file win, as they do for every other AWS tool).
func fromKeyring(p *Profile, v map[string]string) {
	id := v[KeyringIDSetting]
	if id == "" || v["aws_access_key_id"] != "" || v["aws_secret_access_key"] != "" {
		return
	}
	p.AccessKeyID = id
	p.Keyring = v[KeyringSetting]
	if p.Keyring == "" {
		p.Keyring = keyringAuto
	}
}

// InKeyring reports whether p's long-term keys are in the keyring.
func (p *Profile) InKeyring() bool { return p.Keyring != "" }

// longTermKeys is the provider of p's long-term keys: from the files, or from the keyring when first needed.
func (b *builder) longTermKeys(p *Profile) aws.CredentialsProvider {
	if !p.InKeyring() {
		return credentials.NewStaticCredentialsProvider(p.AccessKeyID, p.SecretAccessKey, "")
	}
	return keyringKeys{ring: b.o.Keyring, profile: p}
}

type keyringKeys struct {
	ring    Keyring
	profile *Profile
}

func (k keyringKeys) Retrieve(ctx context.Context) (aws.Credentials, error) {
	p := k.profile
	if k.ring == nil {
		return aws.Credentials{}, &ConfigError{Profile: p.Name, Msg: "its keys are in the keyring, which this run cannot open"}
	}
	id, secret, err := k.ring.AccessKey(ctx, p.Keyring, p.Name)
	if err != nil {
		return aws.Credentials{}, err
	}
	if id != p.AccessKeyID {
		// The cache keys come from the ID in the config file: signing with another key would file its sessions
		// under the wrong one.
		return aws.Credentials{}, &ConfigError{Profile: p.Name, Msg: fmt.Sprintf("the keyring holds access key %s, but %s says %s; run `assume --setup %s --keyring %s` to store the current key and update both",
			id, KeyringIDSetting, p.AccessKeyID, p.Name, p.Keyring)}
	}
	return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, Source: "keyring"}, nil
}
