package provider

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go/middleware"
)

// TokenFunc returns a fresh MFA code for the device serial.
type TokenFunc func(ctx context.Context, serial string) (string, error)

// SessionTokenProvider gets an MFA session with GetSessionToken, signed by
// an IAM user's long-term keys.
type SessionTokenProvider struct {
	Client   ClientFactory
	Signer   aws.CredentialsProvider // the user's long-term keys
	Serial   string                  // MFA device; empty: no MFA
	Token    TokenFunc
	Duration time.Duration // zero: STS default (12 h)
	Now      func() time.Time
	Timeout  time.Duration // the call's deadline; zero: deadline.DefaultNetwork
}

func (p *SessionTokenProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	client, err := signedClient(ctx, p.Client, p.Signer, p.Timeout)
	if err != nil {
		return aws.Credentials{}, err
	}
	in := &sts.GetSessionTokenInput{}
	if p.Duration > 0 {
		in.DurationSeconds = aws.Int32(int32(p.Duration / time.Second))
	}
	if in.SerialNumber, in.TokenCode, err = mfaParams(ctx, p.Serial, p.Token); err != nil {
		return aws.Credentials{}, err
	}
	out, err := client.GetSessionToken(ctx, in)
	if err != nil {
		return aws.Credentials{}, DescribeSTSError("GetSessionToken", err, nowOr(p.Now))
	}
	return checkAnswer("GetSessionToken", fromSTS(out.Credentials, "GetSessionToken"), out.ResultMetadata, nowOr(p.Now))
}

// AssumeRoleProvider assumes a role with AssumeRole, signed by Signer;
// with Serial set it passes SerialNumber and TokenCode itself.
type AssumeRoleProvider struct {
	Client      ClientFactory
	Signer      aws.CredentialsProvider
	RoleARN     string
	SessionName string
	ExternalID  string
	Serial      string
	Token       TokenFunc
	Duration    time.Duration // zero: STS default (1 h)
	Now         func() time.Time
	Timeout     time.Duration // the call's deadline; zero: deadline.DefaultNetwork
	// SignerCache, when the signer is a cached MFA session or role, is
	// dropped and refilled once if STS says it expired or was revoked.
	SignerCache *CachedProvider
}

func (p *AssumeRoleProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	return retryExpired(ctx, p.SignerCache, p.assume)
}

func (p *AssumeRoleProvider) assume(ctx context.Context) (aws.Credentials, error) {
	client, err := signedClient(ctx, p.Client, p.Signer, p.Timeout)
	if err != nil {
		return aws.Credentials{}, err
	}
	in := &sts.AssumeRoleInput{RoleArn: aws.String(p.RoleARN), RoleSessionName: aws.String(p.SessionName)}
	if p.ExternalID != "" {
		in.ExternalId = aws.String(p.ExternalID)
	}
	if p.Duration > 0 {
		in.DurationSeconds = aws.Int32(int32(p.Duration / time.Second))
	}
	if in.SerialNumber, in.TokenCode, err = mfaParams(ctx, p.Serial, p.Token); err != nil {
		return aws.Credentials{}, err
	}
	out, err := client.AssumeRole(ctx, in)
	if err != nil {
		return aws.Credentials{}, DescribeSTSError("AssumeRole", err, nowOr(p.Now))
	}
	return checkAnswer("AssumeRole", fromSTS(out.Credentials, "AssumeRole"), out.ResultMetadata, nowOr(p.Now))
}

func fromSTS(c *types.Credentials, source string) aws.Credentials {
	if c == nil {
		return aws.Credentials{Source: source}
	}
	return aws.Credentials{
		AccessKeyID:     aws.ToString(c.AccessKeyId),
		SecretAccessKey: aws.ToString(c.SecretAccessKey),
		SessionToken:    aws.ToString(c.SessionToken),
		CanExpire:       c.Expiration != nil,
		Expires:         aws.ToTime(c.Expiration).UTC(),
		Source:          source,
	}
}

// checkAnswer refuses credentials from an STS call that are expired or
// expire within ExpiryMargin, and says whether this computer's clock is to
// blame, by STS's Date header.
func checkAnswer(op string, c aws.Credentials, md middleware.Metadata, now func() time.Time) (aws.Credentials, error) {
	if usable(c, now()) {
		return c, nil
	}
	var skew time.Duration
	if server, ok := awsmiddleware.GetServerTime(md); ok {
		skew = now().Truncate(time.Second).Sub(server.Truncate(time.Second))
	}
	return aws.Credentials{}, &ExpiredError{What: "STS " + op, Expires: c.Expires, Now: now(), ClockSkew: skew}
}

func nowOr(now func() time.Time) func() time.Time {
	if now != nil {
		return now
	}
	return time.Now
}

// signedClient gets the signer's credentials first, so that a failure there
// (an MFA prompt cancelled, an expired source) is reported as itself rather
// than buried in the SDK's signing error, then builds the client, whose calls
// have the network deadline timeout.
func signedClient(ctx context.Context, factory ClientFactory, signer aws.CredentialsProvider, timeout time.Duration) (STS, error) {
	creds, err := signer.Retrieve(ctx)
	if err != nil {
		return nil, err
	}
	return factory(ctx, credentials.StaticCredentialsProvider{Value: creds}, timeout)
}

// mfaParams are the SerialNumber and TokenCode of a call: nil without a
// device, else the serial and a fresh code.
func mfaParams(ctx context.Context, serial string, token TokenFunc) (*string, *string, error) {
	if serial == "" {
		return nil, nil, nil
	}
	code, err := token(ctx, serial)
	if err != nil {
		return nil, nil, err
	}
	return aws.String(serial), aws.String(code), nil
}
