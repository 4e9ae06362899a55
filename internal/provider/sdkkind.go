package provider

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/logincreds"
	"github.com/aws/aws-sdk-go-v2/credentials/processcreds"
	"github.com/aws/aws-sdk-go-v2/credentials/ssocreds"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/signin"
	"github.com/aws/aws-sdk-go-v2/service/sso"
	"github.com/aws/aws-sdk-go-v2/service/ssooidc"
	"github.com/aws/smithy-go"

	"github.com/assume-cli/assume/internal/session"
)

// providerOfKind builds the provider of one kind from a profile's settings, for a profile whose leftover keys the
// SDK would use instead (the SDK ranks keys first; assume ranks them as the AWS CLI does, see KindOf). It builds
// what the SDK's own resolver builds for that kind.
func providerOfKind(kind session.Kind, c config.SharedConfig, cfg aws.Config, web stscreds.AssumeRoleWithWebIdentityAPIClient) (aws.CredentialsProvider, error) {
	switch kind {
	case session.KindProcess:
		return processcreds.NewProvider(c.CredentialProcess), nil
	case session.KindWebIdentity:
		return stscreds.NewWebIdentityRoleProvider(web, c.RoleARN, stscreds.IdentityTokenFile(c.WebIdentityTokenFile),
			func(o *stscreds.WebIdentityRoleOptions) { o.RoleSessionName = c.RoleSessionName }), nil
	case session.KindLogin:
		path, err := logincreds.StandardCachedTokenFilepath(c.LoginSession, os.Getenv("AWS_LOGIN_CACHE_DIRECTORY"))
		if err != nil {
			return nil, err
		}
		return logincreds.New(signin.NewFromConfig(cfg), path), nil
	case session.KindSSO:
		ssoCfg := cfg.Copy()
		ssoCfg.Region = c.SSORegion
		startURL := c.SSOStartURL
		var opts []func(*ssocreds.Options)
		if c.SSOSession != nil {
			ssoCfg.Region, startURL = c.SSOSession.SSORegion, c.SSOSession.SSOStartURL
			path, err := ssocreds.StandardCachedTokenFilepath(c.SSOSession.Name)
			if err != nil {
				return nil, err
			}
			tokens := ssocreds.NewSSOTokenProvider(ssooidc.NewFromConfig(ssoCfg), path)
			opts = append(opts, func(o *ssocreds.Options) { o.SSOTokenProvider, o.CachedTokenFilepath = tokens, path })
		}
		return ssocreds.New(sso.NewFromConfig(ssoCfg), c.SSOAccountID, c.SSORoleName, startURL, opts...), nil
	}
	return nil, fmt.Errorf("it is a %s profile, which the AWS SDK does not resolve", kind)
}

// explainLogin turns a failed `aws login` sign-in into one sentence, with the command that renews it.
func (s *sdkSource) explainLogin(err error) error {
	var op *smithy.OperationError
	var api smithy.APIError
	if errors.As(err, &op) && !errors.As(err, &api) {
		return s.fail(err, "could not reach the AWS sign-in service to renew its `aws login` session (%s); check your network", oneLine(op.Err.Error()))
	}
	why := "it needs an `aws login` sign-in, and there is no valid one cached"
	if strings.Contains(err.Error(), "expired") {
		why = "its `aws login` session has expired"
	}
	login := "aws login --profile " + s.Profile
	return &SourceError{Profile: s.Profile, Kind: s.Kind, SSOLogin: login, Err: err,
		Msg: fmt.Sprintf("%s; run `%s` and try again", why, login)}
}
