package session

import (
	"cmp"
	"fmt"
	"sort"
	"strings"
	"time"
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

// A Plan is how a profile's credentials are made: a chain of steps, each one call (or none, for keys
// that are simply there), with the cache key of every step whose result is cached. It is pure data,
// decided from the profile and the flags alone, so that a run which finds the top step's result in
// the cache needs no AWS client at all (internal/fastpath), and the providers that make the calls
// (internal/provider) are built from the same decisions.
type Plan struct {
	Top *Step
	// How says how the credentials are obtained, for the notice on stderr.
	How string
	// Chained is true for a role assumed with temporary credentials (an MFA session, another
	// role, instance credentials): STS caps it, and a console session made of it, at 1 hour.
	Chained bool
	// LongTermHow replaces How, and Chained becomes false, when the credential_process the top
	// role is assumed with prints long-term keys: which it does is known only once it has run.
	LongTermHow string
}

// Call is what a step does.
type Call int

const (
	// Keys are there already: a profile's long-term keys (or its temporary keys) from the files,
	// or AWS_* variables for credential_source = Environment.
	Keys Call = iota
	// KeyringKeys are an IAM user's long-term keys kept in the keyring (Profile.Keyring).
	KeyringKeys
	// GetSessionToken makes an MFA session, signed by the user's long-term keys.
	GetSessionToken
	// AssumeRole assumes Step.RoleARN, signed by the signer's credentials.
	AssumeRole
	// SDKSource is the AWS SDK's own provider for a process, SSO, login or web-identity profile.
	SDKSource
	// InstanceRole is the instance's or container's role (credential_source Ec2InstanceMetadata
	// or EcsContainer).
	InstanceRole
)

// Step is one call of a plan.
type Step struct {
	Call Call
	// Profile is the profile whose settings the step uses: whose keys, whose role, whose source.
	Profile *Profile
	// Key is the cache key of the step's result; empty: it is not cached.
	Key string
	// CacheKind is stored with a cached result: "session", "role" or the SDK profile's kind.
	CacheKind string
	// Refresh: skip what is cached for this step (--refresh, on the top step only).
	Refresh bool
	// Signer is the step whose credentials sign this one's call.
	Signer *Step

	// Keys: the keys themselves.
	AccessKeyID, SecretAccessKey, SessionToken string

	// GetSessionToken and AssumeRole.
	Duration time.Duration // zero: STS's default
	Serial   string        // MFA device sent with the call; empty: none
	// CodeFor is the profile whose mfa_process (or prompt) gives the code for Serial.
	CodeFor *Profile

	// AssumeRole.
	RoleARN, ExternalID string
	SessionName         string // empty: a default name made when the call is made
	// ProcessSigner: the signer is a credential_process, which may print long-term keys or
	// temporary credentials; TemporaryError, when set, is the error if they are temporary.
	ProcessSigner  bool
	TemporaryError error

	// InstanceRole: which credential_source.
	Source string
}

// PlanOptions are the flags that change a plan.
type PlanOptions struct {
	Duration        time.Duration // -d: lifetime of what is handed out; zero: profile or STS default
	SessionDuration time.Duration // --session-duration; zero: 12 h
	NoSession       bool          // --no-session: AssumeRole with MFA from long-term keys
	Refresh         bool          // --refresh: ignore the cache for this profile
	// Getenv reads the environment, for credential_source = Environment; nil: an empty one.
	Getenv func(string) string
}

// Env is Getenv's value of key; without a Getenv, the environment is empty.
func (o PlanOptions) Env(key string) string {
	if o.Getenv == nil {
		return ""
	}
	return o.Getenv(key)
}

// NewPlan decides how p's credentials are made. Its errors are the flags or settings that cannot
// work (a duration outside STS's limits, a role chained for more than an hour), found before any call.
func NewPlan(p *Profile, o PlanOptions) (*Plan, error) {
	if err := checkDurations(p, o); err != nil {
		return nil, err
	}
	pl := &Plan{}
	b := &planner{o: o, plan: pl}
	top, err := b.step(p, true)
	if err != nil {
		return nil, err
	}
	pl.Top = top
	return pl, nil
}

func checkDurations(p *Profile, o PlanOptions) error {
	if d := o.SessionDuration; d != 0 && (d < MinDuration || d > MaxSessionDuration) {
		return &UsageError{Msg: fmt.Sprintf("--session-duration %s is outside STS's limits: use 15m to 36h", AsTyped(d))}
	}
	if d := o.Duration; d != 0 {
		limit := MaxRoleDuration
		if p.Kind == KindMFAUser {
			limit = MaxSessionDuration
		}
		if d < MinDuration || d > limit {
			return &UsageError{Msg: fmt.Sprintf("--duration %s is outside STS's limits for profile %q: use 15m to %s", AsTyped(d), p.Name, ShortDuration(limit))}
		}
	}
	return nil
}

type planner struct {
	o    PlanOptions
	plan *Plan
}

func (b *planner) setHow(top bool, how string) {
	if top {
		b.plan.How = how
	}
}

func (b *planner) setChained(top, chained bool) {
	if top {
		b.plan.Chained = chained
	}
}

// longTerm reports whether p holds an IAM user's long-term keys.
func longTerm(p *Profile) bool {
	return (p.Kind == KindStatic || p.Kind == KindMFAUser) && p.SessionToken == ""
}

// keys is the step that hands out p's own keys, from the files or the keyring.
func keys(p *Profile) *Step {
	if p.InKeyring() {
		return &Step{Call: KeyringKeys, Profile: p}
	}
	return &Step{Call: Keys, Profile: p, AccessKeyID: p.AccessKeyID, SecretAccessKey: p.SecretAccessKey, SessionToken: p.SessionToken}
}

// longTermKeys is keys without a session token: what signs GetSessionToken, or AssumeRole as the user.
func longTermKeys(p *Profile) *Step {
	s := keys(p)
	s.SessionToken = ""
	return s
}

func (b *planner) step(p *Profile, top bool) (*Step, error) {
	switch p.Kind {
	case KindStatic:
		b.setHow(top, "static keys")
		return keys(p), nil
	case KindMFAUser:
		d := b.o.SessionDuration
		if top && d == 0 {
			d = b.o.Duration
		}
		if d == 0 {
			d = DefaultSessionDuration
		}
		b.setHow(top, "MFA session")
		return b.session(p, p.MFASerial, d, top, p), nil
	case KindRole:
		return b.role(p, top)
	case KindProcess, KindSSO, KindLogin, KindWebIdentity:
		b.setHow(top, string(p.Kind)+" credentials")
		// Cached like role credentials (only expiring ones are stored), keyed by everything the
		// profile says, so an edited profile misses.
		return &Step{Call: SDKSource, Profile: p, Key: "sdk|" + p.Name + "|" + profileFingerprint(p),
			CacheKind: string(p.Kind), Refresh: top && b.o.Refresh}, nil
	}
	return nil, &ConfigError{Profile: p.Name, Msg: "it has no credentials assume can use"}
}

// session is the cached GetSessionToken of user p with MFA device serial, the code coming from
// codeFor's settings.
func (b *planner) session(p *Profile, serial string, d time.Duration, top bool, codeFor *Profile) *Step {
	key := strings.Join([]string{"session", p.AccessKeyID, serial, fmt.Sprint(int64(d / time.Second))}, "|")
	return &Step{Call: GetSessionToken, Profile: p, Key: key, CacheKind: "session", Refresh: top && b.o.Refresh,
		Signer: longTermKeys(p), Duration: d, Serial: serial, CodeFor: codeFor}
}

func (b *planner) role(p *Profile, top bool) (*Step, error) {
	d := p.Duration
	if top && b.o.Duration != 0 {
		d = b.o.Duration
	}
	if d > MaxRoleDuration {
		return nil, &ConfigError{Profile: p.Name, Msg: fmt.Sprintf("duration_seconds %d is over the 12-hour maximum of a role session", int64(d/time.Second))}
	}
	s := &Step{Call: AssumeRole, Profile: p, CacheKind: "role", Refresh: top && b.o.Refresh,
		RoleARN: p.RoleARN, ExternalID: p.ExternalID, SessionName: p.RoleSessionName, Duration: d}
	var signerKey string
	src := p.Source
	switch {
	case src != nil && longTerm(src):
		serial := p.MFA()
		direct := b.o.NoSession || d > ChainedRoleLimit
		switch {
		case serial != "" && !direct:
			s.Signer = b.session(src, serial, cmp.Or(b.o.SessionDuration, DefaultSessionDuration), false, p)
			signerKey = s.Signer.Key
			b.setHow(top, "role via MFA session")
			b.setChained(top, true)
		case serial != "":
			s.Signer = longTermKeys(src)
			s.Serial, s.CodeFor = serial, p
			signerKey = "key|" + src.AccessKeyID + "|mfa|" + serial
			why := "--no-session"
			if !b.o.NoSession {
				why = fmt.Sprintf("%s is over the 1-hour limit for roles assumed from an MFA session", ShortDuration(d))
			}
			b.setHow(top, "role with MFA from long-term keys ("+why+")")
		default:
			s.Signer = longTermKeys(src)
			signerKey = "key|" + src.AccessKeyID
			b.setHow(top, "role")
		}
	case src != nil:
		// Role chaining: the signer holds temporary credentials, and STS caps the role at 1 hour.
		// Said before any call, except for a credential_process, which may print long-term keys
		// (from a password manager, say): it is checked once it has run.
		var chainLimit error
		if d > ChainedRoleLimit {
			chainLimit = &ConfigError{Profile: p.Name, Msg: fmt.Sprintf("it is assumed with temporary credentials from %q (role chaining), which STS limits to 1 hour, and %s was asked for; use --duration 1h or less", src.Name, ShortDuration(d))}
			if src.Kind != KindProcess {
				return nil, chainLimit
			}
		}
		signer, err := b.step(src, false)
		if err != nil {
			return nil, err
		}
		s.Signer = signer
		if signer.Key != "" {
			signerKey = signer.Key
		} else {
			signerKey = "profile|" + src.Name + "|" + src.AccessKeyID
		}
		b.setChained(top, true)
		if src.Kind == KindProcess {
			s.ProcessSigner, s.TemporaryError = true, chainLimit
			if top {
				b.plan.LongTermHow = "role from long-term keys of " + src.Name
			}
		}
		if p.MFASerial != "" {
			s.Serial, s.CodeFor = p.MFASerial, p
		}
		b.setHow(top, "role chained from "+src.Name)
	default:
		signer, key, temporary, err := b.credentialSource(p, d)
		if err != nil {
			return nil, err
		}
		s.Signer, signerKey = signer, key
		b.setChained(top, temporary)
		if p.MFASerial != "" {
			s.Serial, s.CodeFor = p.MFASerial, p
		}
		b.setHow(top, "role from "+p.CredentialSource)
	}
	s.Key = strings.Join([]string{"role", signerKey, p.RoleARN, p.ExternalID, p.RoleSessionName, fmt.Sprint(int64(d / time.Second)), s.Serial}, "|")
	return s, nil
}

// credentialSource is the signer for a role with credential_source, its cache key, and whether
// it holds temporary credentials.
func (b *planner) credentialSource(p *Profile, d time.Duration) (*Step, string, bool, error) {
	switch p.CredentialSource {
	case "Environment":
		id, secret := b.o.Env("AWS_ACCESS_KEY_ID"), b.o.Env("AWS_SECRET_ACCESS_KEY")
		if id == "" || secret == "" {
			return nil, "", false, &ConfigError{Profile: p.Name, Msg: "credential_source = Environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"}
		}
		token := b.o.Env("AWS_SESSION_TOKEN")
		if token != "" && d > ChainedRoleLimit {
			return nil, "", false, &ConfigError{Profile: p.Name, Msg: "the environment holds temporary credentials, and STS limits roles assumed with them to 1 hour; ask for --duration 1h or less"}
		}
		return &Step{Call: Keys, Profile: p, AccessKeyID: id, SecretAccessKey: secret, SessionToken: token}, "env|" + id, token != "", nil
	case "Ec2InstanceMetadata", "EcsContainer":
		return &Step{Call: InstanceRole, Profile: p, Source: p.CredentialSource}, "instance|" + p.CredentialSource, true, nil
	}
	return nil, "", false, &ConfigError{Profile: p.Name, Msg: fmt.Sprintf("credential_source %q is not supported", p.CredentialSource)}
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

// AsTyped prints a duration the way a person gives it: 13h, 1h30m, else
// exactly (10s, 1h0m30s), so a refused value is never rounded into a valid one.
func AsTyped(d time.Duration) string {
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
