package console

import (
	"cmp"
	"context"
	"errors"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/assume-cli/assume/internal/provider"
	"github.com/assume-cli/assume/internal/session"
)

// FederationTokenAPI is the STS call that turns an IAM user's long-term keys
// into credentials the federation endpoint accepts.
type FederationTokenAPI interface {
	GetFederationToken(ctx context.Context, in *sts.GetFederationTokenInput, optFns ...func(*sts.Options)) (*sts.GetFederationTokenOutput, error)
}

// PassThroughPolicy allows everything, so that the federated user's
// permissions are exactly the IAM user's own: a session policy can only take
// permissions away.
const PassThroughPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`

// Limits of GetFederationToken's DurationSeconds for an IAM user.
const (
	MinFederationDuration = 15 * time.Minute
	MaxFederationDuration = 36 * time.Hour
	// DefaultFederationDuration is STS's default.
	DefaultFederationDuration = 12 * time.Hour
)

// FederatedSession is what GetFederationToken handed out.
type FederatedSession struct {
	Credentials Credentials
	Expires     time.Time
	// ARN is the federated user's (arn:PARTITION:sts::ACCOUNT:federated-user/NAME).
	ARN string
}

// FederationToken calls GetFederationToken (signed by the client's long-term
// keys) for duration, with the pass-through policy.
func FederationToken(ctx context.Context, api FederationTokenAPI, duration time.Duration) (FederatedSession, error) {
	if duration == 0 {
		duration = DefaultFederationDuration
	}
	out, err := api.GetFederationToken(ctx, &sts.GetFederationTokenInput{
		Name:            aws.String(FederatedUserName(os.Getenv("USER"), os.Getenv("USERNAME"))),
		Policy:          aws.String(PassThroughPolicy),
		DurationSeconds: aws.Int32(int32(duration / time.Second)),
	})
	if err != nil {
		return FederatedSession{}, describe(err)
	}
	c := out.Credentials
	if c == nil || aws.ToString(c.AccessKeyId) == "" || aws.ToString(c.SessionToken) == "" {
		return FederatedSession{}, errors.New("STS GetFederationToken answered without credentials")
	}
	s := FederatedSession{
		Credentials: Credentials{
			AccessKeyID:     aws.ToString(c.AccessKeyId),
			SecretAccessKey: aws.ToString(c.SecretAccessKey),
			SessionToken:    aws.ToString(c.SessionToken),
		},
		Expires: aws.ToTime(c.Expiration),
	}
	if out.FederatedUser != nil {
		s.ARN = aws.ToString(out.FederatedUser.Arn)
	}
	return s, nil
}

// FederatedUserName is the Name of GetFederationToken ([\w+=,.@-]{2,32}),
// which the console shows and CloudTrail records: assume-USER.
func FederatedUserName(users ...string) string {
	clean := session.NameChars(cmp.Or(users...))
	name := "assume"
	if clean != "" {
		name += "-" + clean
	}
	if len(name) > 32 {
		name = name[:32]
	}
	return name
}

// describe is provider.DescribeSTSError, with what AccessDenied means for
// GetFederationToken in particular.
func describe(err error) error {
	err = provider.DescribeSTSError("GetFederationToken", err, time.Now)
	var refused *provider.STSError
	if errors.As(err, &refused) && refused.Code == "AccessDenied" {
		refused.Hint = "the IAM user needs sts:GetFederationToken, which a policy that requires MFA denies: give the profile mfa_serial, or sign in through a role profile"
	}
	return err
}
