package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
	"github.com/aws/smithy-go/middleware"

	"github.com/assume-cli/assume/internal/child"
	"github.com/assume-cli/assume/internal/deadline"
	"github.com/assume-cli/assume/internal/sdkdeadline"
	"github.com/assume-cli/assume/internal/session"
)

// SDKProvider returns the SDK's own credentials provider for a profile, for
// the kinds the SDK already handles well (credential_process, SSO, aws login, web
// identity). The profile is named explicitly, so AWS_* keys in the
// environment do not take its place. The provider's errors are rewritten into
// one sentence that says what to do (run `aws sso login`, fix the process)
// and never repeats what a credential process printed.
//
// Every SSO, SSO OIDC and STS call made for it has the network deadline of
// limits; a credential_process is run by assume itself (see
// processProvider), with the process deadline and a cap on its output.
func SDKProvider(configFile, credentialsFile string, limits deadline.Limits) func(ctx context.Context, profile string, kind session.Kind) (aws.CredentialsProvider, error) {
	return func(ctx context.Context, profile string, kind session.Kind) (aws.CredentialsProvider, error) {
		// The SDK builds its web identity STS client before it resolves
		// endpoint_url and AWS_ENDPOINT_URL, so that client would call AWS
		// even when our own STS calls go elsewhere. It gets a client built
		// from the finished config instead, which resolves the STS endpoint
		// exactly as NewClientFactory's callers do.
		webSTS := &lateSTSClient{}
		cfg, err := config.LoadDefaultConfig(ctx,
			config.WithSharedConfigProfile(profile),
			config.WithSharedConfigFiles(fileList(configFile)),
			config.WithSharedCredentialsFiles(fileList(credentialsFile)),
			// STS needs a region even for an unsigned web identity call; SSO
			// takes sso_region from the profile whatever this says.
			config.WithDefaultRegion("us-east-1"),
			config.WithWebIdentityRoleCredentialOptions(func(o *stscreds.WebIdentityRoleOptions) {
				o.Client = webSTS
			}),
			config.WithAPIOptions([]func(*middleware.Stack) error{sdkdeadline.APIOption(limits.NetworkOrDefault())}),
			config.WithLogger(logging.Nop{}), // as in LoadAWSConfig
		)
		if err != nil {
			return nil, loadError(profile, err)
		}
		if cfg.Credentials == nil {
			return nil, &session.ConfigError{Profile: profile, Msg: "the AWS SDK found no credentials in it"}
		}
		webSTS.client = sts.NewFromConfig(cfg, func(o *sts.Options) {
			// AssumeRoleWithWebIdentity is unsigned; the config's own
			// credentials are the provider being built.
			o.Credentials = aws.AnonymousCredentials{}
		})
		src := &sdkSource{Provider: cfg.Credentials, Profile: profile, Kind: kind, Now: time.Now}
		if shared, ok := sharedConfigOf(cfg); ok {
			src.SSOSession, src.TokenFile = shared.SSOSessionName, shared.WebIdentityTokenFile
			switch {
			case kind == session.KindProcess:
				// assume runs the process itself: the SDK's runner has no cap on its output.
				src.Provider = &processProvider{Command: shared.CredentialProcess, Timeout: limits.ProcessOrDefault()}
			case sdkKind(shared) != kind:
				// The SDK ranks keys above every other kind; assume follows the AWS CLI (see KindOf).
				if src.Provider, err = providerOfKind(kind, shared, cfg, webSTS); err != nil {
					return nil, &session.ConfigError{Profile: profile, Msg: err.Error()}
				}
			}
		}
		return src, nil
	}
}

// loadError explains why the SDK would not load a profile.
func loadError(profile string, err error) error {
	msg := oneLine(err.Error())
	if _, name, ok := strings.Cut(msg, "failed to find SSO session section, "); ok {
		return &session.ConfigError{Profile: profile, Msg: fmt.Sprintf("its sso_session %q names no [sso-session %s] section in the config file; add one with sso_start_url and sso_region (aws configure sso-session writes it)", name, name)}
	}
	return &session.ConfigError{Profile: profile, Msg: "the AWS SDK could not load it: " + msg}
}

// fileList is the SDK's list of shared files; an empty path means none.
func fileList(path string) []string {
	if path == "" {
		return []string{}
	}
	return []string{path}
}

// lateSTSClient is an STS client whose configuration is known only after the
// SDK has built the provider that uses it.
type lateSTSClient struct{ client *sts.Client }

func (c *lateSTSClient) AssumeRoleWithWebIdentity(ctx context.Context, in *sts.AssumeRoleWithWebIdentityInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleWithWebIdentityOutput, error) {
	if c.client == nil {
		return nil, errors.New("the STS client for web identity is not set up")
	}
	return c.client.AssumeRoleWithWebIdentity(ctx, in, optFns...)
}

func sharedConfigOf(cfg aws.Config) (config.SharedConfig, bool) {
	for _, s := range cfg.ConfigSources {
		switch c := s.(type) {
		case config.SharedConfig:
			return c, true
		case *config.SharedConfig:
			return *c, true
		}
	}
	return config.SharedConfig{}, false
}

// sdkKind names the credentials the SDK picks for a profile, in the SDK's own
// order of precedence.
func sdkKind(c config.SharedConfig) session.Kind {
	switch {
	case c.Source != nil:
		return session.KindRole
	case c.Credentials.HasKeys():
		return session.KindStatic
	case c.CredentialSource != "":
		return session.KindInstance
	case c.WebIdentityTokenFile != "":
		return session.KindWebIdentity
	case c.SSOSessionName != "" || c.SSOStartURL != "" || c.SSOAccountID != "" || c.SSORoleName != "":
		return session.KindSSO
	case c.LoginSession != "":
		return session.KindLogin
	case c.CredentialProcess != "":
		return session.KindProcess
	}
	return session.KindUnknown
}

// sdkSource wraps an SDK provider: errors become one actionable sentence, and
// credentials that are already expired are refused rather than exported.
type sdkSource struct {
	Provider   aws.CredentialsProvider
	Profile    string
	Kind       session.Kind
	SSOSession string // sso_session, for the `aws sso login` advice
	TokenFile  string // web_identity_token_file
	Now        func() time.Time
}

// SourceError is a failure of the credential source behind a profile: an SSO
// sign-in that is over, a credential_process that failed, a web identity
// token that STS refused. Its message is one sentence without secrets.
type SourceError struct {
	Profile string
	Kind    session.Kind
	Msg     string
	// SSOLogin is the `aws sso login …` or `aws login …` command that would fix it, if any.
	SSOLogin string
	Err      error // the SDK's error, for errors.As; its text is not shown
}

func (e *SourceError) Error() string {
	if e.Profile == "" {
		return e.Msg
	}
	return fmt.Sprintf("profile %q: %s", e.Profile, e.Msg)
}
func (e *SourceError) Unwrap() error { return e.Err }

func (s *sdkSource) Retrieve(ctx context.Context) (aws.Credentials, error) {
	creds, err := s.Provider.Retrieve(ctx)
	if err != nil {
		return aws.Credentials{}, s.explain(err)
	}
	if now := nowOr(s.Now)(); !usable(creds, now) {
		e := &ExpiredError{What: "its credential source", Expires: creds.Expires, Now: now}
		switch s.Kind {
		case session.KindProcess:
			e.What, e.Advice = "its credential_process", "make it return fresh ones"
		case session.KindSSO:
			e.What = "the SSO portal"
		case session.KindWebIdentity:
			e.What = "STS AssumeRoleWithWebIdentity"
		}
		return aws.Credentials{}, &SourceError{Profile: s.Profile, Kind: s.Kind, Msg: e.Error(), Err: e}
	}
	return creds, nil
}

func (s *sdkSource) fail(err error, format string, a ...any) error {
	return &SourceError{Profile: s.Profile, Kind: s.Kind, Msg: fmt.Sprintf(format, a...), Err: err}
}

func (s *sdkSource) explain(err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	var late *deadline.NetworkError
	if errors.As(err, &late) {
		return s.fail(err, "%s", late.Error())
	}
	switch s.Kind {
	case session.KindSSO:
		return s.explainSSO(err)
	case session.KindProcess:
		return s.explainProcess(err)
	case session.KindWebIdentity:
		return s.explainWebIdentity(err)
	case session.KindLogin:
		return s.explainLogin(err)
	}
	return s.fail(err, "getting its credentials failed: %s", oneLine(err.Error()))
}

// ssoLogin is the command that renews the sign-in behind the profile.
func (s *sdkSource) ssoLogin() string {
	if s.SSOSession != "" {
		return "aws sso login --sso-session " + s.SSOSession
	}
	return "aws sso login --profile " + s.Profile
}

func (s *sdkSource) explainSSO(err error) error {
	var op *smithy.OperationError
	if errors.As(err, &op) && op.ServiceID == "SSO" {
		var api smithy.APIError
		if !errors.As(err, &api) {
			return s.fail(err, "could not reach the SSO portal (%s); check your network and the profile's sso_region", oneLine(op.Err.Error()))
		}
		switch api.ErrorCode() {
		case "UnauthorizedException":
			return s.needLogin(err, "its SSO sign-in is no longer valid")
		case "ForbiddenException", "ResourceNotFoundException":
			return s.fail(err, "the SSO portal gives you no role with this sso_account_id and sso_role_name (%s); check them with `aws sso list-account-roles`", api.ErrorCode())
		}
		return s.fail(err, "the SSO portal refused GetRoleCredentials: %s (%s)", api.ErrorCode(), oneLine(api.ErrorMessage()))
	}
	var api smithy.APIError
	if errors.As(err, &op) && op.ServiceID == "SSO OIDC" && !errors.As(err, &api) {
		return s.fail(err, "its SSO sign-in has expired, and SSO OIDC could not be reached to renew it (%s); check your network", oneLine(op.Err.Error()))
	}
	// Anything else before the portal call is the cached sign-in token:
	// missing, unreadable, expired, or a refresh that SSO OIDC refused.
	return s.needLogin(err, "it needs an SSO sign-in, and there is no valid one cached")
}

func (s *sdkSource) needLogin(err error, why string) error {
	login := s.ssoLogin()
	return &SourceError{Profile: s.Profile, Kind: s.Kind, SSOLogin: login, Err: err,
		Msg: fmt.Sprintf("%s; run `%s` and try again", why, login)}
}

func (s *sdkSource) explainProcess(err error) error {
	var pe *processError
	if errors.As(err, &pe) {
		return s.fail(err, "%s", pe.msg)
	}
	var ce *child.Error
	if errors.As(err, &ce) {
		if ce.Reason == child.Exited && ce.ExitCode == 127 {
			return s.fail(err, "its credential_process command was not found (exit status 127); check the command")
		}
		return s.fail(err, "%s", ce.Error())
	}
	return s.fail(err, "its credential_process failed: %s", oneLine(err.Error()))
}

func (s *sdkSource) explainWebIdentity(err error) error {
	var api smithy.APIError
	if errors.As(err, &api) {
		hint := ""
		switch api.ErrorCode() {
		case "ExpiredTokenException":
			hint = fmt.Sprintf("; the token in %s has expired: have it renewed", s.TokenFile)
		case "InvalidIdentityToken", "IDPRejectedClaim":
			hint = "; check the token and the role's trust policy for its identity provider"
		case "AccessDenied":
			hint = "; the role's trust policy does not allow this token"
		}
		return s.fail(err, "STS AssumeRoleWithWebIdentity refused: %s (%s)%s", api.ErrorCode(), strings.TrimSuffix(oneLine(api.ErrorMessage()), "."), hint)
	}
	var op *smithy.OperationError
	if errors.As(err, &op) {
		return s.fail(err, "could not reach STS for AssumeRoleWithWebIdentity (%s); check your network, region and endpoint settings", oneLine(op.Err.Error()))
	}
	if strings.Contains(err.Error(), "failed to retrieve jwt") {
		return s.fail(err, "cannot read its web_identity_token_file %s (%s)", s.TokenFile, oneLine(innermost(err).Error()))
	}
	return s.fail(err, "getting web identity credentials failed: %s", oneLine(err.Error()))
}

func innermost(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// oneLine keeps an error on the single line of stderr it is allowed.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
