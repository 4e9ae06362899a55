// Package session says how a named AWS profile's credentials are made, without
// making them: it resolves the profile chain from the shared files, and plans
// the calls (GetSessionToken with MFA, AssumeRole, the SDK's sources) with the
// cache key of each step (plan.go). internal/provider makes the calls; the
// plan is pure data, so that a cached answer needs no AWS client
// (internal/fastpath).
package session

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/assume-cli/assume/internal/awsfile"
)

// Kind says what a profile is, as shown by `assume -l`.
type Kind string

const (
	KindStatic      Kind = "static"       // long-term keys, no MFA
	KindMFAUser     Kind = "mfa-user"     // long-term keys with mfa_serial: GetSessionToken
	KindRole        Kind = "role"         // role_arn with source_profile or credential_source
	KindProcess     Kind = "process"      // credential_process
	KindSSO         Kind = "sso"          // IAM Identity Center
	KindWebIdentity Kind = "web-identity" // role_arn with web_identity_token_file
	KindLogin       Kind = "login"        // login_session, signed in with `aws login`
	KindUnknown     Kind = "unknown"      // credential settings that do not make a whole: an error says why
	KindNone        Kind = "none"         // settings only (a region, an output format), no credentials
	// The AWS CLI accepts credential_source only with role_arn, so a profile
	// using it is a role; these name the source itself (in a SourceError).
	KindInstance    Kind = "instance"    // credential_source = Ec2InstanceMetadata / EcsContainer
	KindEnvironment Kind = "environment" // credential_source = Environment
)

// Lookup finds a profile's settings in the shared files (*awsfile.Files is one).
type Lookup interface {
	Profile(name string) (awsfile.Profile, bool)
}

// Profile is one resolved profile, with its source chain.
type Profile struct {
	Name string
	Kind Kind

	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string // static temporary keys written by e.g. --write-profile
	// Keyring names the keyring holding the secret access key ("auto" for the machine's own); empty: the files
	// hold it (keyring.go).
	Keyring string

	MFASerial  string
	MFAProcess string

	RoleARN          string
	ExternalID       string
	RoleSessionName  string
	Duration         time.Duration // duration_seconds; zero when unset
	CredentialSource string

	CredentialProcess    string
	WebIdentityTokenFile string
	SSOStartURL          string
	SSOSession           string

	Region      string
	EndpointURL string

	// Source is the profile whose credentials call AssumeRole (source_profile),
	// nil for every other kind. A profile naming itself as source_profile
	// gets a copy of itself viewed as its keys.
	Source *Profile

	Values map[string]string
}

// Resolve reads profile name and its source chain. Cycles, missing sources and
// profiles without credentials are errors that say which profile to fix.
func Resolve(files Lookup, name string) (*Profile, error) {
	return resolve(files, name, map[string]bool{}, nil)
}

func resolve(files Lookup, name string, seen map[string]bool, chain []string) (*Profile, error) {
	file, ok := files.Profile(name)
	if !ok {
		if len(chain) > 0 {
			return nil, &ConfigError{Profile: chain[len(chain)-1], Msg: fmt.Sprintf("its source_profile %q does not exist in the config or credentials file", name)}
		}
		return nil, &UnknownProfileError{Name: name}
	}
	chain = append(chain, name)
	if seen[name] {
		return nil, &ConfigError{Profile: chain[0], Msg: "its source_profile chain loops: " + strings.Join(chain, " -> ")}
	}
	seen[name] = true

	asSource := len(chain) > 1
	p := fromValues(name, file.Values, KindOf(file, asSource))
	if file.KeysErr != nil && usesKeys(p.Kind) {
		return nil, file.KeysErr
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	if p.Kind == KindRole && p.Values["source_profile"] != "" {
		src := p.Values["source_profile"]
		if src == name {
			// source_profile naming itself means "my own keys" (as in the SDK).
			self := fromValues(name, file.Values, KindOf(file, true))
			if !usesKeys(self.Kind) || self.AccessKeyID == "" {
				return nil, &ConfigError{Profile: name, Msg: "it names itself as source_profile but holds no aws_access_key_id"}
			}
			if file.KeysErr != nil {
				return nil, file.KeysErr
			}
			p.Source = self
			return p, nil
		}
		source, err := resolve(files, src, seen, chain)
		if err != nil {
			return nil, err
		}
		p.Source = source
	}
	return p, nil
}

// KindOf tells what a profile is from its settings. It is the one place that decides, in the AWS CLI's order:
//
//  1. role_arn with web_identity_token_file: web identity;
//  2. role_arn: a role, except for a source profile with keys of its own, which signs with those keys (as the
//     AWS CLI and the SDK do: another profile's key must never sign for it);
//  3. sso_account_id or sso_role_name: SSO;
//  4. keys in the credentials file;
//  5. login_session (aws login);
//  6. credential_process;
//  7. keys in the config file.
//
// Anything else is KindNone when it holds no credential setting at all, else KindUnknown (an error says what is
// missing).
func KindOf(p awsfile.Profile, asSource bool) Kind {
	v := p.Values
	keys := v["aws_access_key_id"] != "" || v["aws_secret_access_key"] != ""
	anyKey := keys || v["aws_session_token"] != ""
	ringKey := keysInKeyring(v)
	switch {
	case v["role_arn"] != "" && v["web_identity_token_file"] != "":
		return KindWebIdentity
	case v["role_arn"] != "" && !(asSource && (keys || ringKey)):
		return KindRole
	case v["sso_account_id"] != "" || v["sso_role_name"] != "":
		return KindSSO
	case anyKey && !p.KeysInConfig:
		return keyKind(v)
	case v["login_session"] != "":
		return KindLogin
	case v["credential_process"] != "":
		return KindProcess
	case anyKey, ringKey:
		return keyKind(v)
	}
	for _, k := range credentialSettings {
		if v[k] != "" {
			return KindUnknown
		}
	}
	return KindNone
}

// credentialSettings are the settings that say something about credentials; a profile with none of them only
// holds settings such as a region.
var credentialSettings = []string{"role_arn", "source_profile", "credential_source", "credential_process",
	"web_identity_token_file", "sso_session", "sso_start_url", "sso_region", "sso_account_id", "sso_role_name",
	"login_session", "aws_access_key_id", "aws_secret_access_key", "aws_session_token", KeyringIDSetting}

// usesKeys reports the kinds whose credentials are the profile's own key set.
func usesKeys(k Kind) bool { return k == KindStatic || k == KindMFAUser }

func keyKind(v map[string]string) Kind {
	if v["mfa_serial"] != "" && v["aws_session_token"] == "" {
		return KindMFAUser
	}
	return KindStatic
}

func fromValues(name string, v map[string]string, kind Kind) *Profile {
	p := &Profile{
		Name:       name,
		Kind:       kind,
		MFASerial:  v["mfa_serial"],
		MFAProcess: v["mfa_process"],
		Region:     v["region"],
		// endpoint_url applies to every call, whatever the kind.
		EndpointURL: v["endpoint_url"],
		Values:      v,
	}
	// Only the settings of the kind chosen are read, so nothing else can leak into the credentials.
	switch kind {
	case KindStatic, KindMFAUser, KindUnknown:
		p.AccessKeyID, p.SecretAccessKey, p.SessionToken = v["aws_access_key_id"], v["aws_secret_access_key"], v["aws_session_token"]
		fromKeyring(p, v)
	}
	switch kind {
	case KindRole, KindWebIdentity, KindUnknown:
		p.RoleARN, p.ExternalID, p.RoleSessionName = v["role_arn"], v["external_id"], v["role_session_name"]
		p.CredentialSource, p.WebIdentityTokenFile = v["credential_source"], v["web_identity_token_file"]
	case KindSSO:
		p.SSOStartURL, p.SSOSession = v["sso_start_url"], v["sso_session"]
	case KindProcess:
		p.CredentialProcess = v["credential_process"]
	}
	return p
}

func (p *Profile) validate() error {
	if s := p.Values["duration_seconds"]; s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return &ConfigError{Profile: p.Name, Msg: fmt.Sprintf("duration_seconds %q is not a whole number of seconds", s)}
		}
		p.Duration = time.Duration(n) * time.Second
	}
	switch p.Kind {
	case KindStatic, KindMFAUser:
		if p.AccessKeyID == "" && p.SecretAccessKey == "" {
			return &ConfigError{Profile: p.Name, Msg: "it has aws_session_token but no aws_access_key_id and aws_secret_access_key"}
		}
		if p.AccessKeyID == "" {
			return &ConfigError{Profile: p.Name, Msg: "it has aws_secret_access_key but no aws_access_key_id"}
		}
		if p.SecretAccessKey == "" && !p.InKeyring() {
			return &ConfigError{Profile: p.Name, Msg: "it has aws_access_key_id but no aws_secret_access_key"}
		}
	case KindRole:
		if p.Values["source_profile"] == "" && p.CredentialSource == "" {
			return &ConfigError{Profile: p.Name, Msg: "it has role_arn but neither source_profile nor credential_source to assume it with; add source_profile naming a profile with credentials (its own name if it holds the keys)"}
		}
		if p.Values["source_profile"] != "" && p.CredentialSource != "" {
			return &ConfigError{Profile: p.Name, Msg: "it sets both source_profile and credential_source; keep one"}
		}
		switch p.CredentialSource {
		case "", "Environment", "Ec2InstanceMetadata", "EcsContainer":
		default:
			return &ConfigError{Profile: p.Name, Msg: fmt.Sprintf("credential_source %q is not one of Environment, Ec2InstanceMetadata, EcsContainer", p.CredentialSource)}
		}
	case KindSSO:
		return p.validateSSO()
	case KindUnknown, KindNone:
		return &ConfigError{Profile: p.Name, Msg: p.unknownReason()}
	}
	return nil
}

func (p *Profile) validateSSO() error {
	required := []string{"sso_account_id", "sso_role_name"}
	if p.SSOSession == "" {
		required = append(required, "sso_start_url", "sso_region")
	}
	var missing []string
	for _, k := range required {
		if p.Values[k] == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return &ConfigError{Profile: p.Name, Msg: fmt.Sprintf("it is an SSO profile without %s; add it (aws configure sso writes it)", strings.Join(missing, " and "))}
}

// unknownReason is the one sentence for a profile with no credentials: what
// it seems to be, and what to do.
func (p *Profile) unknownReason() string {
	v := p.Values
	switch {
	case v["sso_session"] != "":
		return fmt.Sprintf("it only names sso_session %q, which gives tools a sign-in token but no AWS credentials; add sso_account_id and sso_role_name (aws configure sso writes them)", v["sso_session"])
	case v["sso_start_url"] != "" || v["sso_region"] != "":
		return "its SSO settings give tools a sign-in token but no AWS credentials; add sso_account_id and sso_role_name (aws configure sso writes them)"
	case p.CredentialSource != "":
		return "credential_source says where the credentials that assume role_arn come from, and it has no role_arn; add role_arn"
	case p.WebIdentityTokenFile != "":
		return "web_identity_token_file is exchanged for the role in role_arn, and it has no role_arn; add role_arn"
	case v["source_profile"] != "":
		return "source_profile says which profile assumes role_arn, and it has no role_arn; add role_arn"
	}
	return "it has no credentials: add aws_access_key_id and aws_secret_access_key, role_arn with source_profile, SSO settings (aws configure sso) or credential_process"
}

// MFA returns the MFA device serial that guards this profile: its own
// mfa_serial, else the one on its source chain.
func (p *Profile) MFA() string {
	for q := p; q != nil; q = q.Source {
		if q.MFASerial != "" {
			return q.MFASerial
		}
	}
	return ""
}

// MFAProcessCommand is the first mfa_process found down the chain.
func (p *Profile) MFAProcessCommand() string {
	for q := p; q != nil; q = q.Source {
		if q.MFAProcess != "" {
			return q.MFAProcess
		}
	}
	return ""
}

// Root is the bottom of the source chain: the profile holding the credentials
// that sign the first STS call.
func (p *Profile) Root() *Profile {
	q := p
	for q.Source != nil {
		q = q.Source
	}
	return q
}

// RegionOrSource is the profile's region, else the first one found down its source chain.
func (p *Profile) RegionOrSource() string {
	for q := p; q != nil; q = q.Source {
		if q.Region != "" {
			return q.Region
		}
	}
	return ""
}

// Endpoint is the profile's endpoint_url, else its source chain's.
func (p *Profile) Endpoint() string {
	for q := p; q != nil; q = q.Source {
		if q.EndpointURL != "" {
			return q.EndpointURL
		}
	}
	return ""
}

// Depth counts the AssumeRole hops: 0 for a user, 1 for a role from a user, 2+ for chained roles.
func (p *Profile) Depth() int {
	n := 0
	for q := p; q != nil && q.Kind == KindRole; q = q.Source {
		n++
	}
	return n
}
