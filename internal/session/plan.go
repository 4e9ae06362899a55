package session

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/assume-cli/assume/internal/deadline"
)

// STS duration limits.
const (
	MinDuration            = 15 * time.Minute
	MaxSessionDuration     = 36 * time.Hour
	DefaultSessionDuration = 12 * time.Hour
	MaxRoleDuration        = 12 * time.Hour
	// ChainedRoleLimit caps roles assumed with temporary credentials, an MFA
	// session included.
	ChainedRoleLimit = time.Hour
)

// Options steer how credentials are obtained.
type Options struct {
	Duration        time.Duration // -d: lifetime of what is handed out; zero: profile or STS default
	SessionDuration time.Duration // --session-duration; zero: 12 h
	NoSession       bool          // --no-session: AssumeRole with MFA from long-term keys
	Refresh         bool          // --refresh: ignore the cache for this profile
	Clients         ClientFactory
	Cache           Cache // nil: no caching
	Tokens          *MFACodes
	Now             func() time.Time
	// Getenv reads the environment: for credential_source = Environment (the
	// only case where AWS_* variables may sign a call), the instance metadata
	// and container endpoints, and the user in a default role session name.
	// nil: an empty environment.
	Getenv func(string) string
	// SDKProvider returns the SDK's own provider for profile kinds assume does
	// not implement itself (process, sso, login, web identity), of the kind
	// given; nil: unsupported.
	SDKProvider func(ctx context.Context, profile string, kind Kind) (aws.CredentialsProvider, error)
	// Keyring reads long-term keys kept in the keyring; nil: such profiles fail when their keys are needed.
	Keyring Keyring
	// OnCacheError hears about a cache that cannot be written (not fatal).
	OnCacheError func(error)
	// Limits are the deadlines of network calls; zero: the defaults.
	Limits deadline.Limits
}

// Result is what Get hands back.
type Result struct {
	Credentials aws.Credentials
	// How says how they were obtained, for the notice on stderr.
	How string
	// FromCache is true when no STS call was needed.
	FromCache bool
	// Chained is true for a role assumed with temporary credentials (an MFA session, another
	// role, instance credentials): STS caps it, and a console session made of it, at 1 hour.
	Chained bool
}

// Get returns credentials for p, following its chain.
func Get(ctx context.Context, p *Profile, o Options) (Result, error) {
	if err := checkDurations(p, o); err != nil {
		return Result{}, err
	}
	if o.Cache == nil {
		o.Cache = noCache{}
	}
	b := &builder{o: o}
	prov, err := b.build(ctx, p, true)
	if err != nil {
		return Result{}, err
	}
	creds, err := prov.Retrieve(ctx)
	if err != nil {
		return Result{}, err
	}
	// Every source checks this itself, saying why; this is the last guard.
	if now := nowOr(o.Now)(); !usable(creds, now) {
		return Result{}, &ExpiredError{What: "the credential source of profile " + fmt.Sprintf("%q", p.Name), Expires: creds.Expires, Now: now}
	}
	r := Result{Credentials: creds, How: b.how, Chained: b.chained}
	if c, ok := prov.(*CachedProvider); ok && c.Hit {
		r.FromCache = true
	}
	return r, nil
}

func checkDurations(p *Profile, o Options) error {
	if d := o.SessionDuration; d != 0 && (d < MinDuration || d > MaxSessionDuration) {
		return &UsageError{Msg: fmt.Sprintf("--session-duration %s is outside STS's limits: use 15m to 36h", asTyped(d))}
	}
	if d := o.Duration; d != 0 {
		limit := MaxRoleDuration
		if p.Kind == KindMFAUser {
			limit = MaxSessionDuration
		}
		if d < MinDuration || d > limit {
			return &UsageError{Msg: fmt.Sprintf("--duration %s is outside STS's limits for profile %q: use 15m to %s", asTyped(d), p.Name, ShortDuration(limit))}
		}
	}
	return nil
}

type builder struct {
	o       Options
	how     string
	chained bool // the top profile is a role assumed with temporary credentials
}

func (b *builder) now() time.Time { return nowOr(b.o.Now)() }

func (b *builder) cached(key, profile, kind string, prov aws.CredentialsProvider, top bool) *CachedProvider {
	return &CachedProvider{
		Cache: b.o.Cache, Key: key, Profile: profile, Kind: kind, Provider: prov,
		Refresh: top && b.o.Refresh, Now: b.o.Now, OnStoreError: b.o.OnCacheError,
	}
}

// longTerm reports whether p holds an IAM user's long-term keys.
func longTerm(p *Profile) bool {
	return (p.Kind == KindStatic || p.Kind == KindMFAUser) && p.SessionToken == ""
}

func (b *builder) build(ctx context.Context, p *Profile, top bool) (aws.CredentialsProvider, error) {
	switch p.Kind {
	case KindStatic:
		if top {
			b.how = "static keys"
		}
		if p.InKeyring() {
			return b.longTermKeys(p), nil
		}
		return credentials.NewStaticCredentialsProvider(p.AccessKeyID, p.SecretAccessKey, p.SessionToken), nil
	case KindMFAUser:
		d := b.o.SessionDuration
		if top && d == 0 {
			d = b.o.Duration
		}
		if d == 0 {
			d = DefaultSessionDuration
		}
		if top {
			b.how = "MFA session"
		}
		return b.session(p, p.MFASerial, d, top, b.tokens(p)), nil
	case KindRole:
		return b.role(ctx, p, top)
	case KindProcess, KindSSO, KindLogin, KindWebIdentity:
		if b.o.SDKProvider == nil {
			return nil, &ConfigError{Profile: p.Name, Msg: fmt.Sprintf("it is a %s profile, which this build of assume cannot use", p.Kind)}
		}
		if top {
			b.how = string(p.Kind) + " credentials"
		}
		prov, err := b.o.SDKProvider(ctx, p.Name, p.Kind)
		if err != nil {
			return nil, err
		}
		// Cached like role credentials (only expiring ones are stored), keyed
		// by everything the profile says, so an edited profile misses.
		return b.cached("sdk|"+p.Name+"|"+profileFingerprint(p), p.Name, string(p.Kind), prov, top), nil
	}
	return nil, &ConfigError{Profile: p.Name, Msg: "it has no credentials assume can use"}
}

// session is the cached GetSessionToken of user p with MFA device serial.
func (b *builder) session(p *Profile, serial string, d time.Duration, top bool, tokens TokenFunc) *CachedProvider {
	prov := &SessionTokenProvider{
		Client:   b.o.Clients,
		Signer:   b.longTermKeys(p),
		Serial:   serial,
		Token:    tokens,
		Duration: d,
		Now:      b.o.Now,
		Timeout:  b.o.Limits.Network,
	}
	key := strings.Join([]string{"session", p.AccessKeyID, serial, fmt.Sprint(int64(d / time.Second))}, "|")
	return b.cached(key, p.Name, "session", prov, top)
}

func (b *builder) tokens(p *Profile) TokenFunc {
	if b.o.Tokens == nil {
		return func(context.Context, string) (string, error) {
			return "", fmt.Errorf("profile %q needs an MFA code; pass it with -m CODE", p.Name)
		}
	}
	return b.o.Tokens.For(p.MFAProcessCommand())
}

func (b *builder) role(ctx context.Context, p *Profile, top bool) (aws.CredentialsProvider, error) {
	d := p.Duration
	if top && b.o.Duration != 0 {
		d = b.o.Duration
	}
	if d > MaxRoleDuration {
		return nil, &ConfigError{Profile: p.Name, Msg: fmt.Sprintf("duration_seconds %d is over the 12-hour maximum of a role session", int64(d/time.Second))}
	}
	sessionName := p.RoleSessionName
	ar := &AssumeRoleProvider{
		Client:      b.o.Clients,
		RoleARN:     p.RoleARN,
		ExternalID:  p.ExternalID,
		SessionName: sessionName,
		Duration:    d,
		Now:         b.o.Now,
		Timeout:     b.o.Limits.Network,
	}
	if sessionName == "" {
		ar.SessionName = defaultSessionName(b.getenv(), b.now())
	}
	var signerKey string
	src := p.Source
	switch {
	case src != nil && longTerm(src):
		serial := p.MFA()
		direct := b.o.NoSession || d > ChainedRoleLimit
		switch {
		case serial != "" && !direct:
			sess := b.session(src, serial, firstNonZero(b.o.SessionDuration, DefaultSessionDuration), false, b.tokens(p))
			ar.Signer, ar.SignerCache = sess, sess
			signerKey = sess.Key
			b.setHow(top, "role via MFA session")
			b.setChained(top, true)
		case serial != "":
			ar.Signer = b.longTermKeys(src)
			ar.Serial, ar.Token = serial, b.tokens(p)
			signerKey = "key|" + src.AccessKeyID + "|mfa|" + serial
			why := "--no-session"
			if !b.o.NoSession {
				why = fmt.Sprintf("%s is over the 1-hour limit for roles assumed from an MFA session", ShortDuration(d))
			}
			b.setHow(top, "role with MFA from long-term keys ("+why+")")
		default:
			ar.Signer = b.longTermKeys(src)
			signerKey = "key|" + src.AccessKeyID
			b.setHow(top, "role")
		}
	case src != nil:
		// Role chaining: the signer holds temporary credentials, and STS
		// caps the role at 1 hour. Said before any call, except for a
		// credential_process, which may print long-term keys (from a
		// password manager, say): it is checked once it has run.
		var chainLimit error
		if d > ChainedRoleLimit {
			chainLimit = &ConfigError{Profile: p.Name, Msg: fmt.Sprintf("it is assumed with temporary credentials from %q (role chaining), which STS limits to 1 hour, and %s was asked for; use --duration 1h or less", src.Name, ShortDuration(d))}
			if src.Kind != KindProcess {
				return nil, chainLimit
			}
		}
		signer, err := b.build(ctx, src, false)
		if err != nil {
			return nil, err
		}
		ar.Signer = signer
		if c, ok := signer.(*CachedProvider); ok {
			ar.SignerCache = c
			signerKey = c.Key
		} else {
			signerKey = "profile|" + src.Name + "|" + src.AccessKeyID
		}
		b.setChained(top, true)
		if src.Kind == KindProcess {
			ar.Signer = processSigner{CredentialsProvider: signer, temporary: chainLimit,
				longTerm: func() {
					b.setHow(top, "role from long-term keys of "+src.Name)
					b.setChained(top, false)
				}}
		}
		if p.MFASerial != "" {
			ar.Serial, ar.Token = p.MFASerial, b.tokens(p)
		}
		b.setHow(top, "role chained from "+src.Name)
	default:
		signer, key, temporary, err := b.credentialSource(p, d)
		if err != nil {
			return nil, err
		}
		ar.Signer, signerKey = signer, key
		b.setChained(top, temporary)
		if p.MFASerial != "" {
			ar.Serial, ar.Token = p.MFASerial, b.tokens(p)
		}
		b.setHow(top, "role from "+p.CredentialSource)
	}
	key := strings.Join([]string{"role", signerKey, p.RoleARN, p.ExternalID, p.RoleSessionName, fmt.Sprint(int64(d / time.Second)), ar.Serial}, "|")
	return b.cached(key, p.Name, "role", ar, top), nil
}

// processSigner passes on what a credential_process printed, which may be
// temporary credentials (role chaining) or long-term keys: with temporary
// ones it fails with the error temporary when that is set; long-term keys
// call longTerm.
type processSigner struct {
	aws.CredentialsProvider
	temporary error
	longTerm  func()
}

func (s processSigner) Retrieve(ctx context.Context) (aws.Credentials, error) {
	c, err := s.CredentialsProvider.Retrieve(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	if c.SessionToken == "" {
		s.longTerm()
	} else if s.temporary != nil {
		return aws.Credentials{}, s.temporary
	}
	return c, nil
}

func (b *builder) setHow(top bool, how string) {
	if top {
		b.how = how
	}
}

func (b *builder) setChained(top, chained bool) {
	if top {
		b.chained = chained
	}
}

// credentialSource is the signer for a role with credential_source, its cache key, and whether
// it holds temporary credentials.
func (b *builder) credentialSource(p *Profile, d time.Duration) (aws.CredentialsProvider, string, bool, error) {
	switch p.CredentialSource {
	case "Environment":
		getenv := b.getenv()
		id, secret := getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY")
		if id == "" || secret == "" {
			return nil, "", false, &ConfigError{Profile: p.Name, Msg: "credential_source = Environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"}
		}
		token := getenv("AWS_SESSION_TOKEN")
		if token != "" && d > ChainedRoleLimit {
			return nil, "", false, &ConfigError{Profile: p.Name, Msg: "the environment holds temporary credentials, and STS limits roles assumed with them to 1 hour; ask for --duration 1h or less"}
		}
		return credentials.NewStaticCredentialsProvider(id, secret, token), "env|" + id, token != "", nil
	case "Ec2InstanceMetadata", "EcsContainer":
		prov, err := instanceProvider(p.CredentialSource, b.getenv(), b.o.Limits.NetworkOrDefault(), b.o.Now)
		if err != nil {
			return nil, "", false, &ConfigError{Profile: p.Name, Msg: err.Error()}
		}
		return prov, "instance|" + p.CredentialSource, true, nil
	}
	return nil, "", false, &ConfigError{Profile: p.Name, Msg: fmt.Sprintf("credential_source %q is not supported", p.CredentialSource)}
}

// getenv is Options.Getenv; without one, the environment is empty.
func (b *builder) getenv() func(string) string {
	if b.o.Getenv == nil {
		return func(string) string { return "" }
	}
	return b.o.Getenv
}

func defaultSessionName(getenv func(string) string, now time.Time) string {
	user := getenv("USER")
	if user == "" {
		user = getenv("USERNAME")
	}
	// RoleSessionName allows [\w+=,.@-]{2,64}.
	clean := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune("_+=,.@-", r):
			return r
		}
		return -1
	}, user)
	if clean == "" {
		clean = "user"
	}
	name := fmt.Sprintf("assume-%s-%d", clean, now.Unix())
	if len(name) > 64 {
		name = name[:64]
	}
	return name
}

func firstNonZero(d ...time.Duration) time.Duration {
	for _, v := range d {
		if v != 0 {
			return v
		}
	}
	return 0
}

// ShortDuration prints a duration to the minute, as people write it: 45m, 8h, 11h30m.
func ShortDuration(d time.Duration) string {
	d = d.Round(time.Minute)
	h, m := int64(d/time.Hour), int64(d%time.Hour/time.Minute)
	switch {
	case h == 0:
		return fmt.Sprintf("%dm", m)
	case m == 0:
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dh%dm", h, m)
}

// asTyped prints a duration the way a person gives it: 13h, 1h30m, else
// exactly (10s, 1h0m30s), so a refused value is never rounded into a valid one.
func asTyped(d time.Duration) string {
	if d%time.Minute == 0 && d > 0 {
		return ShortDuration(d)
	}
	return d.String()
}

// profileFingerprint joins a profile's settings in a fixed order.
func profileFingerprint(p *Profile) string {
	keys := make([]string, 0, len(p.Values))
	for k := range p.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "=" + p.Values[k] + "\n")
	}
	return b.String()
}
