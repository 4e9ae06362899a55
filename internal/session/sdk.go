package session

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
)

// SDKProvider returns the SDK's own credentials provider for a profile, for
// the kinds the SDK already handles well (credential_process, SSO, web
// identity). The profile is named explicitly, so AWS_* keys in the
// environment do not take its place.
func SDKProvider(configFile, credentialsFile string) func(ctx context.Context, profile string) (aws.CredentialsProvider, error) {
	return func(ctx context.Context, profile string) (aws.CredentialsProvider, error) {
		cfg, err := config.LoadDefaultConfig(ctx,
			config.WithSharedConfigProfile(profile),
			config.WithSharedConfigFiles([]string{configFile}),
			config.WithSharedCredentialsFiles([]string{credentialsFile}),
		)
		if err != nil {
			return nil, &ConfigError{Profile: profile, Msg: fmt.Sprintf("the AWS SDK could not load it: %v", err)}
		}
		if cfg.Credentials == nil {
			return nil, &ConfigError{Profile: profile, Msg: "the AWS SDK found no credentials in it"}
		}
		return cfg.Credentials, nil
	}
}
