package setup

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/iostreams"
	"github.com/assume-cli/assume/internal/session"
)

// KeyStore keeps the profile's long-term key in the keyring instead of the credentials file.
type KeyStore interface {
	// Describe names the keyring for a person ("the Secret Service keyring (GNOME Keyring, KWallet)").
	Describe() string
	// Load returns the key stored for profile.
	Load(ctx context.Context, profile string) (id, secret string, err error)
	// Store puts the key in the keyring, points the profile's config section at it (keyring,
	// keyring_access_key_id) and removes the key's two lines from the credentials file if it is there.
	Store(ctx context.Context, profile, id, secret string) error
}

// keyInKeyring reports whether the profile keeps its key in the keyring: the config file names the key and the
// credentials file holds none.
func (r *run) keyInKeyring() bool {
	return r.current[session.KeyringIDSetting] != "" && r.current["aws_access_key_id"] == ""
}

// keysFromKeyring loads the key of a profile that keeps it in the keyring, when no new key was given.
func (r *run) keysFromKeyring(ctx context.Context) (bool, error) {
	if !r.keyInKeyring() || r.opts.AccessKeyID != "" {
		return false, nil
	}
	if r.env.Keyring == nil {
		return false, fmt.Errorf("profile %q keeps its key in the keyring, which cannot be opened here", r.result.Profile)
	}
	id, secret, err := r.env.Keyring.Load(ctx, r.result.Profile)
	if err != nil {
		return false, err
	}
	r.keys = aws.Credentials{AccessKeyID: id, SecretAccessKey: secret}
	r.useKeyring = true
	r.say("using the access key %s kept in %s", id, r.env.Keyring.Describe())
	return true, nil
}

// chooseKeyring settles where new keys go: the keyring when asked (--keyring), or when the person accepts the
// offer; else the credentials file, as without a keyring.
func (r *run) chooseKeyring() error {
	if r.useKeyring || r.env.Keyring == nil {
		return nil
	}
	// A profile whose key is in the keyring keeps it there: a new key (rotation) replaces the item and the ID.
	if r.opts.Keyring || r.keyInKeyring() {
		r.useKeyring = true
		return nil
	}
	if !r.interactive() {
		return nil
	}
	r.say("any program or backup can read the keys in %s; a keyring gives them only to your unlocked session, and assume needs them only to start a session",
		r.env.Store.Where().Credentials)
	yes, err := r.env.Prompter.Confirm(fmt.Sprintf("Keep the access key in %s instead of the credentials file?", r.env.Keyring.Describe()), true)
	if errors.Is(err, iostreams.ErrNoTerminal) {
		return nil
	}
	if err != nil {
		return err
	}
	r.useKeyring = yes
	return nil
}

// storeInKeyring writes the key to the keyring; it reports whether it did, so writeKeys leaves the credentials file
// alone.
func (r *run) storeInKeyring(ctx context.Context, newKeys bool) (bool, error) {
	if !r.useKeyring {
		return false, nil
	}
	inFile := r.current["aws_access_key_id"] != ""
	if !newKeys && r.keyInKeyring() && r.current[session.KeyringIDSetting] == r.keys.AccessKeyID {
		return true, nil // already there
	}
	if err := r.env.Keyring.Store(ctx, r.result.Profile, r.keys.AccessKeyID, r.keys.SecretAccessKey); err != nil {
		return true, err
	}
	r.say("stored the access key %s in %s; [%s] in %s names it (%s = %s)", r.keys.AccessKeyID, r.env.Keyring.Describe(),
		awsfile.ConfigSection(r.result.Profile), r.env.Store.Where().Config, session.KeyringIDSetting, r.keys.AccessKeyID)
	if inFile {
		r.say("removed the access key from [%s] in %s", r.result.Profile, r.env.Store.Where().Credentials)
	}
	return true, nil
}

// Identity asks STS who the keys of client belong to, and returns the ARN; a refusal is explained as in set-up.
func Identity(ctx context.Context, client STS, accessKeyID string) (string, error) {
	out, err := callerIdentity(ctx, client, accessKeyID)
	if err != nil {
		return "", err
	}
	return aws.ToString(out.Arn), nil
}

// callerIdentity asks STS who the keys of client belong to. GetCallerIdentity needs no permission, so a refusal
// means the key itself is wrong, and the error says so in one sentence.
func callerIdentity(ctx context.Context, client STS, accessKeyID string) (*sts.GetCallerIdentityOutput, error) {
	out, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err == nil {
		return out, nil
	}
	switch code := apiCode(err); {
	case code == "InvalidClientTokenId":
		return nil, fmt.Errorf("AWS does not know the access key %s: check it in the IAM console (it may have been deleted or made inactive)", accessKeyID)
	case code == "SignatureDoesNotMatch":
		return nil, fmt.Errorf("the secret access key does not belong to access key %s: copy both again from where the key was created", accessKeyID)
	case lateAnswer(err) != nil:
		return nil, fmt.Errorf("could not check the keys: %w", lateAnswer(err))
	case isNetworkError(err):
		return nil, fmt.Errorf("could not reach AWS STS to check the keys (%s): check the network, the region and any endpoint settings", apiMessage(err))
	default:
		return nil, fmt.Errorf("STS would not check the keys (%s)", apiMessage(err))
	}
}
