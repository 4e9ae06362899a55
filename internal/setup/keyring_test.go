package setup

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/assume-cli/assume/internal/deadline"
)

// memKeyring is a KeyStore in memory.
type memKeyring struct{ items map[string][2]string }

func (m *memKeyring) Describe() string { return "the test keyring" }

func (m *memKeyring) Load(_ context.Context, profile string) (string, string, error) {
	k := m.items[profile]
	return k[0], k[1], nil
}

func (m *memKeyring) Store(_ context.Context, profile, id, secret string) error {
	m.items[profile] = [2]string{id, secret}
	return nil
}

func TestKeysGoToTheKeyringWhenAsked(t *testing.T) {
	f := newFixture(t)
	keys := f.aws.addUser("erin")
	d := f.aws.addDevice("erin", "erins-phone")
	f.opts.AccessKeyID, f.opts.SecretAccessKey = keys.AccessKeyID, keys.SecretAccessKey
	f.opts.Keyring = true
	f.opts.Region = "eu-west-1"
	f.opts.Code = totpAt(t, d.seed, f.clock.Now())
	ring := &memKeyring{items: map[string][2]string{}}
	env := f.env()
	env.Keyring = ring
	if _, err := Run(context.Background(), f.opts, env); err != nil {
		t.Fatalf("set-up failed: %v\nlog:\n%s", err, f.log.String())
	}
	if got := ring.items["dev"]; got != [2]string{keys.AccessKeyID, keys.SecretAccessKey} {
		t.Fatalf("keyring holds %q", got[0])
	}
	if creds := f.file(f.paths.Credentials); strings.Contains(creds, keys.SecretAccessKey) || strings.Contains(creds, keys.AccessKeyID) {
		t.Fatalf("the credentials file got the key:\n%s", creds)
	}
	if !strings.Contains(f.log.String(), "stored the access key "+keys.AccessKeyID+" in the test keyring") {
		t.Errorf("log:\n%s", f.log.String())
	}
	f.checkNoSecrets(keys.SecretAccessKey)

	// Rotation: a new key for a profile kept in the keyring goes there too, without --keyring.
	f.writeFiles("[profile dev]\nregion = eu-west-1\nmfa_serial = "+d.serial+"\nkeyring = test\nkeyring_access_key_id = "+keys.AccessKeyID+"\n", "")
	rotated := f.aws.addUser("erin") // a second key of the same user
	f.opts.AccessKeyID, f.opts.SecretAccessKey, f.opts.Keyring = rotated.AccessKeyID, rotated.SecretAccessKey, false
	f.clock.Advance(totpStep)
	f.opts.Code = totpAt(t, d.seed, f.clock.Now())
	if _, err := Run(context.Background(), f.opts, env); err != nil {
		t.Fatalf("rotation failed: %v\nlog:\n%s", err, f.log.String())
	}
	if got := ring.items["dev"]; got[0] != rotated.AccessKeyID {
		t.Fatalf("keyring holds %s after rotation, want %s", got[0], rotated.AccessKeyID)
	}
	if creds := f.file(f.paths.Credentials); creds != "" {
		t.Fatalf("rotation wrote the credentials file:\n%s", creds)
	}
}

func TestKeysStayInTheFileWithoutAskingOrATerminal(t *testing.T) {
	f := newFixture(t)
	keys := f.aws.addUser("finn")
	d := f.aws.addDevice("finn", "finns-phone")
	f.opts.AccessKeyID, f.opts.SecretAccessKey = keys.AccessKeyID, keys.SecretAccessKey
	f.opts.Region = "eu-west-1"
	f.opts.Code = totpAt(t, d.seed, f.clock.Now())
	ring := &memKeyring{items: map[string][2]string{}}
	env := f.env()
	env.Keyring = ring
	if _, err := Run(context.Background(), f.opts, env); err != nil {
		t.Fatalf("set-up failed: %v\nlog:\n%s", err, f.log.String())
	}
	if len(ring.items) != 0 {
		t.Fatal("the key went to the keyring without --keyring")
	}
	if creds := f.file(f.paths.Credentials); !strings.Contains(creds, keys.AccessKeyID) {
		t.Fatalf("credentials file:\n%s", creds)
	}
}

// At a terminal the keyring is offered, with the reason, before anything is written.
func TestKeyringIsOfferedAtATerminal(t *testing.T) {
	f := newFixture(t)
	keys := f.aws.addUser("gus")
	d := f.aws.addDevice("gus", "gus-phone")
	f.interactive(
		answer{"input", "access key ID", says(keys.AccessKeyID)},
		answer{"secret", "Secret access key for " + keys.AccessKeyID, says(keys.SecretAccessKey)},
		answer{"input", "region", says("eu-west-1")},
		answer{"confirm", "Keep the access key in the test keyring instead of the credentials file?", says("y")},
		answer{"select", "Which one should profile dev use?", says(d.serial)},
		answer{"input", "A new code", func(string) (string, error) { return totpAt(t, d.seed, f.clock.Now()), nil }},
	)
	ring := &memKeyring{items: map[string][2]string{}}
	env := f.env()
	env.Keyring = ring
	if _, err := Run(context.Background(), f.opts, env); err != nil {
		t.Fatalf("set-up failed: %v\nlog:\n%s", err, f.log.String())
	}
	f.prompter.done()
	if !strings.Contains(f.log.String(), "any program or backup can read the keys in "+f.paths.Credentials) {
		t.Errorf("the offer did not say why:\n%s", f.log.String())
	}
	if ring.items["dev"][0] != keys.AccessKeyID {
		t.Fatal("the accepted offer did not store the key in the keyring")
	}
	if creds := f.file(f.paths.Credentials); strings.Contains(creds, keys.SecretAccessKey) {
		t.Fatalf("the credentials file got the secret:\n%s", creds)
	}
}

// unanswered is an STS client whose GetCallerIdentity ran out of time.
type unanswered struct{ STS }

func (unanswered) GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
	late := &deadline.NetworkError{Service: "STS", Operation: "GetCallerIdentity", Endpoint: "https://sts.eu-west-1.amazonaws.com", Timeout: 300 * time.Millisecond, Err: context.DeadlineExceeded}
	return nil, fmt.Errorf("operation error STS: GetCallerIdentity: %w", late)
}

// --to-keyring checks the key with Identity, set-up with checkKeys: an unanswered call reads the same in both.
func TestIdentityNamesAnUnansweredCallLikeSetup(t *testing.T) {
	_, err := Identity(context.Background(), unanswered{}, "AKIAIDENTITYLATE")
	want := "could not check the keys: STS GetCallerIdentity at https://sts.eu-west-1.amazonaws.com did not answer within 300ms"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("Identity gave %v, want %q…", err, want)
	}
}
