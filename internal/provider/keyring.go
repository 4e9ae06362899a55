package provider

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/assume-cli/assume/internal/session"
)

// Keyring reads an IAM user's long-term keys from the keyring named backend ("auto": the machine's own).
type Keyring interface {
	AccessKey(ctx context.Context, backend, profile string) (id, secret string, err error)
}

// keyringKeys hands out p's long-term keys from the keyring, opened only when they are first needed (a cache hit
// never opens it; see session.KeyringSetting).
type keyringKeys struct {
	ring    Keyring
	profile *session.Profile
}

func (k keyringKeys) Retrieve(ctx context.Context) (aws.Credentials, error) {
	p := k.profile
	if k.ring == nil {
		return aws.Credentials{}, &session.ConfigError{Profile: p.Name, Msg: "its keys are in the keyring, which this run cannot open"}
	}
	id, secret, err := k.ring.AccessKey(ctx, p.Keyring, p.Name)
	if err != nil {
		return aws.Credentials{}, err
	}
	if id != p.AccessKeyID {
		// The cache keys come from the ID in the config file: signing with another key would file its sessions
		// under the wrong one.
		return aws.Credentials{}, &session.ConfigError{Profile: p.Name, Msg: fmt.Sprintf("the keyring holds access key %s, but %s says %s; run `assume --setup %s --keyring %s` to store the current key and update both",
			id, session.KeyringIDSetting, p.AccessKeyID, p.Name, p.Keyring)}
	}
	return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, Source: "keyring"}, nil
}
