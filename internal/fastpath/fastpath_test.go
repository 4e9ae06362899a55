package fastpath_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/fastpath"
	"github.com/assume-cli/assume/internal/session"
	"github.com/assume-cli/assume/internal/testkit"
)

const config = `[profile user]
mfa_serial = arn:aws:iam::111111111111:mfa/user

[profile role]
role_arn = arn:aws:iam::222222222222:role/r
source_profile = user

[profile kr]
keyring_access_key_id = AKIAKEYRING000000001
`

const credentials = `[user]
aws_access_key_id = AKIAUSER000000000001
aws_secret_access_key = userSecret

[static]
aws_access_key_id = AKIASTATIC0000000001
aws_secret_access_key = staticSecret
`

// mapCache is a cache of entries by key.
type mapCache map[string]session.Entry

func (m mapCache) Get(key string) (session.Entry, bool) { e, ok := m[key]; return e, ok }

func resolve(t *testing.T, name string) *session.Profile {
	t.Helper()
	files := testkit.WriteAWSFiles(t, t.TempDir(), config, credentials)
	loaded, err := awsfile.Load(awsfile.Paths{Config: files.Config, Credentials: files.Credentials})
	if err != nil {
		t.Fatal(err)
	}
	p, err := session.Resolve(loaded, name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The answer needs no call: keys in the files, or the fresh entry of the plan's top step, and
// nothing else (not the entry of a step below it, not one inside the margin, not with --refresh).
func TestAnswer(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	entry := func(left time.Duration) session.Entry {
		return session.Entry{Credentials: session.Credentials{AccessKeyID: "ASIACACHED", SecretAccessKey: "s", SessionToken: "t",
			CanExpire: true, Expires: now.Add(left)}}
	}
	topKey := func(name string) string {
		plan, err := session.NewPlan(resolve(t, name), session.PlanOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return plan.Top.Key
	}
	signerKey := func(name string) string {
		plan, err := session.NewPlan(resolve(t, name), session.PlanOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return plan.Top.Signer.Key
	}
	cases := []struct {
		name    string
		profile string
		cache   mapCache
		refresh bool
		wantOK  bool
		wantKey string
		how     string
	}{
		{name: "keys in the files", profile: "static", wantOK: true, wantKey: "AKIASTATIC0000000001", how: "static keys"},
		{name: "keys in the keyring", profile: "kr"},
		{name: "role cached", profile: "role", cache: mapCache{topKey("role"): entry(time.Hour)}, wantOK: true, wantKey: "ASIACACHED", how: "role via MFA session"},
		{name: "role inside the margin", profile: "role", cache: mapCache{topKey("role"): entry(session.Margin)}},
		{name: "only the MFA session cached", profile: "role", cache: mapCache{signerKey("role"): entry(time.Hour)}},
		{name: "refresh", profile: "role", cache: mapCache{topKey("role"): entry(time.Hour)}, refresh: true},
		{name: "MFA session cached", profile: "user", cache: mapCache{topKey("user"): entry(time.Hour)}, wantOK: true, wantKey: "ASIACACHED", how: "MFA session"},
		{name: "nothing cached", profile: "user", cache: mapCache{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			a, ok := fastpath.Answer(resolve(t, c.profile), session.PlanOptions{Refresh: c.refresh}, c.cache, now)
			if ok != c.wantOK || a.Credentials.AccessKeyID != c.wantKey || a.How != c.how {
				t.Fatalf("Answer: ok %v, key %q, how %q; want %v, %q, %q", ok, a.Credentials.AccessKeyID, a.How, c.wantOK, c.wantKey, c.how)
			}
			if ok && a.FromCache != (c.profile != "static") {
				t.Fatalf("FromCache %v", a.FromCache)
			}
		})
	}
}

type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

// A stdout that cannot be written is the front's own failure (it cannot hand over after
// writing): one sentence on stderr and exit 1.
func TestUnwritableStdout(t *testing.T) {
	t.Parallel()
	files := testkit.WriteAWSFiles(t, t.TempDir(), config, credentials)
	var stderr strings.Builder
	code, handled := fastpath.Run([]string{"--list-profiles"}, fastpath.Env{
		Stdout: brokenWriter{}, Stderr: &stderr, Getenv: func(string) string { return "" },
		Paths: awsfile.Paths{Config: files.Config, Credentials: files.Credentials},
	})
	if !handled || code != 1 || stderr.String() != "assume: could not write the output: broken pipe.\n" {
		t.Fatalf("handled %v, exit %d, stderr %q", handled, code, stderr.String())
	}
}
