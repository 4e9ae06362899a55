// Package provider gets credentials: one small provider per STS call or SDK source, built from a
// profile's plan (session.Plan), with the cache as a wrapper around each cached step.
package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/assume-cli/assume/internal/deadline"
	"github.com/assume-cli/assume/internal/session"
)

// Options steer how credentials are obtained.
type Options struct {
	// PlanOptions are the flags that decide the plan. Its Getenv also reads the instance
	// metadata and container endpoints, and the user in a default role session name.
	session.PlanOptions
	Clients ClientFactory
	Cache   Cache // nil: no caching
	Tokens  *MFACodes
	Now     func() time.Time
	// SDKProvider returns the SDK's own provider for profile kinds assume does
	// not implement itself (process, sso, login, web identity), of the kind
	// given; nil: unsupported.
	SDKProvider func(ctx context.Context, profile string, kind session.Kind) (aws.CredentialsProvider, error)
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
func Get(ctx context.Context, p *session.Profile, o Options) (Result, error) {
	plan, err := session.NewPlan(p, o.PlanOptions)
	if err != nil {
		return Result{}, err
	}
	if o.Cache == nil {
		o.Cache = noCache{}
	}
	b := &builder{o: o, plan: plan, how: plan.How, chained: plan.Chained}
	prov, err := b.build(ctx, plan.Top)
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

// builder makes the providers of a plan's steps.
type builder struct {
	o       Options
	plan    *session.Plan
	how     string
	chained bool
}

func (b *builder) now() time.Time { return nowOr(b.o.Now)() }

// build is the provider of step s, wrapped in the cache when s has a cache key.
func (b *builder) build(ctx context.Context, s *session.Step) (aws.CredentialsProvider, error) {
	prov, err := b.uncached(ctx, s)
	if err != nil || s.Key == "" {
		return prov, err
	}
	return &CachedProvider{
		Cache: b.o.Cache, Key: s.Key, Profile: s.Profile.Name, Kind: s.CacheKind, Provider: prov,
		Refresh: s.Refresh, Now: b.o.Now, OnStoreError: b.o.OnCacheError,
	}, nil
}

func (b *builder) uncached(ctx context.Context, s *session.Step) (aws.CredentialsProvider, error) {
	switch s.Call {
	case session.Keys:
		return credentials.NewStaticCredentialsProvider(s.AccessKeyID, s.SecretAccessKey, s.SessionToken), nil
	case session.KeyringKeys:
		return keyringKeys{ring: b.o.Keyring, profile: s.Profile}, nil
	case session.GetSessionToken:
		signer, err := b.build(ctx, s.Signer)
		if err != nil {
			return nil, err
		}
		return &SessionTokenProvider{
			Client: b.o.Clients, Signer: signer, Serial: s.Serial, Token: b.tokens(s.CodeFor),
			Duration: s.Duration, Now: b.o.Now, Timeout: b.o.Limits.Network,
		}, nil
	case session.AssumeRole:
		return b.role(ctx, s)
	case session.SDKSource:
		if b.o.SDKProvider == nil {
			return nil, &session.ConfigError{Profile: s.Profile.Name, Msg: fmt.Sprintf("it is a %s profile, which this build of assume cannot use", s.Profile.Kind)}
		}
		return &lazy{make: func(ctx context.Context) (aws.CredentialsProvider, error) {
			return b.o.SDKProvider(ctx, s.Profile.Name, s.Profile.Kind)
		}}, nil
	case session.InstanceRole:
		return &lazy{make: func(context.Context) (aws.CredentialsProvider, error) {
			prov, err := instanceProvider(s.Source, b.o.Env, b.o.Limits.NetworkOrDefault(), b.o.Now)
			if err != nil {
				return nil, &session.ConfigError{Profile: s.Profile.Name, Msg: err.Error()}
			}
			return prov, nil
		}}, nil
	}
	return nil, fmt.Errorf("unknown step %d in the plan of profile %q", s.Call, s.Profile.Name)
}

func (b *builder) role(ctx context.Context, s *session.Step) (aws.CredentialsProvider, error) {
	ar := &AssumeRoleProvider{
		Client:      b.o.Clients,
		RoleARN:     s.RoleARN,
		ExternalID:  s.ExternalID,
		SessionName: s.SessionName,
		Duration:    s.Duration,
		Now:         b.o.Now,
		Timeout:     b.o.Limits.Network,
	}
	if ar.SessionName == "" {
		ar.SessionName = defaultSessionName(b.o.Env, b.now())
	}
	if s.Serial != "" {
		ar.Serial, ar.Token = s.Serial, b.tokens(s.CodeFor)
	}
	signer, err := b.build(ctx, s.Signer)
	if err != nil {
		return nil, err
	}
	ar.Signer = signer
	if c, ok := signer.(*CachedProvider); ok {
		ar.SignerCache = c
	}
	if s.ProcessSigner {
		top := s == b.plan.Top
		ar.Signer = processSigner{CredentialsProvider: signer, temporary: s.TemporaryError,
			longTerm: func() {
				if top {
					b.how, b.chained = b.plan.LongTermHow, false
				}
			}}
	}
	return ar, nil
}

func (b *builder) tokens(p *session.Profile) TokenFunc {
	if b.o.Tokens == nil {
		return func(context.Context, string) (string, error) {
			return "", fmt.Errorf("profile %q needs an MFA code; pass it with -m CODE", p.Name)
		}
	}
	return b.o.Tokens.For(p.MFAProcessCommand())
}

// lazy sets its provider up when credentials are first asked of it. Setting up the SDK's sources
// loads and parses the config files (tens of milliseconds with thousands of profiles), and the
// instance role's reads the environment; a cached result of a step above never needs either, so
// a cache hit does not depend on them (and internal/fastpath can answer it without the SDK).
type lazy struct {
	make func(context.Context) (aws.CredentialsProvider, error)
	prov aws.CredentialsProvider
}

func (l *lazy) Retrieve(ctx context.Context) (aws.Credentials, error) {
	if l.prov == nil {
		p, err := l.make(ctx)
		if err != nil {
			return aws.Credentials{}, err
		}
		l.prov = p
	}
	return l.prov.Retrieve(ctx)
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

func defaultSessionName(getenv func(string) string, now time.Time) string {
	user := getenv("USER")
	if user == "" {
		user = getenv("USERNAME")
	}
	// RoleSessionName allows [\w+=,.@-]{2,64}.
	clean := session.NameChars(user)
	if clean == "" {
		clean = "user"
	}
	name := fmt.Sprintf("assume-%s-%d", clean, now.Unix())
	if len(name) > 64 {
		name = name[:64]
	}
	return name
}
