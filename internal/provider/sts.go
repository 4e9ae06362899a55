package provider

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/logging"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/assume-cli/assume/internal/deadline"
	"github.com/assume-cli/assume/internal/sdkdeadline"
	"github.com/assume-cli/assume/internal/session"
)

// STS is the part of the STS API assume calls.
type STS interface {
	GetSessionToken(ctx context.Context, in *sts.GetSessionTokenInput, optFns ...func(*sts.Options)) (*sts.GetSessionTokenOutput, error)
	AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleOutput, error)
}

// ClientFactory builds an STS client that signs with creds and gives each
// call the network deadline timeout (zero: deadline.DefaultNetwork).
type ClientFactory func(ctx context.Context, creds aws.CredentialsProvider, timeout time.Duration) (STS, error)

// Endpoint is the STS endpoint for profile p (see ServiceEndpoint), with the
// variables read through getenv.
func Endpoint(getenv func(string) string, p *session.Profile) string {
	profileEndpoint := ""
	if p != nil {
		profileEndpoint = p.Endpoint()
	}
	return ServiceEndpoint(getenv, "STS", profileEndpoint)
}

// ServiceEndpoint picks a service's endpoint the way the SDK documents it:
// AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, then the profile's
// endpoint_url, unless AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true. Empty
// means AWS's own.
func ServiceEndpoint(getenv func(string) string, service, profileEndpoint string) string {
	if strings.EqualFold(getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true") {
		return ""
	}
	return cmp.Or(getenv("AWS_ENDPOINT_URL_"+service), getenv("AWS_ENDPOINT_URL"), profileEndpoint)
}

// LoadAWSConfig is the SDK configuration for clients that sign with creds in
// region (us-east-1 when empty), every call of which has the network
// deadline timeout (zero: deadline.DefaultNetwork). The SDK's default loader
// supplies retries, AWS_CA_BUNDLE and the HTTP stack, but never credentials,
// the region or a profile: those come only from the profile being resolved,
// so AWS_* variables left by an earlier `assume` cannot sign a call.
func LoadAWSConfig(ctx context.Context, creds aws.CredentialsProvider, region string, httpClient *http.Client, timeout time.Duration) (aws.Config, error) {
	if region == "" {
		region = "us-east-1" // STS answers in every region; the global default.
	}
	opts := []func(*config.LoadOptions) error{
		config.WithRegion(region),
		config.WithCredentialsProvider(creds),
		// No shared files: the profile is already resolved.
		config.WithSharedConfigFiles([]string{}),
		config.WithSharedCredentialsFiles([]string{}),
		// assume says what went wrong itself, in one sentence; the SDK's own log lines (a
		// connection it could not reuse, say) would break that on stderr.
		config.WithLogger(logging.Nop{}),
	}
	if httpClient != nil {
		opts = append(opts, config.WithHTTPClient(httpClient))
	}
	// The SDK's loader also fails when the process's AWS_PROFILE names a
	// profile missing from the (deliberately empty) files: cli.RunProcess removes
	// that variable from the process before anything runs.
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("setting up the AWS client: %w", err)
	}
	cfg.APIOptions = append(cfg.APIOptions, sdkdeadline.APIOption(deadline.Limits{Network: timeout}.NetworkOrDefault()))
	return cfg, nil
}

// NewSTSClient is a real STS client that signs with creds, in region, at
// endpoint (empty: AWS's), each call within timeout (see LoadAWSConfig).
func NewSTSClient(ctx context.Context, creds aws.CredentialsProvider, region, endpoint string, httpClient *http.Client, timeout time.Duration) (*sts.Client, error) {
	cfg, err := LoadAWSConfig(ctx, creds, region, httpClient, timeout)
	if err != nil {
		return nil, err
	}
	return sts.NewFromConfig(cfg, func(o *sts.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	}), nil
}

// NewClientFactory returns the factory for real STS clients in region, at
// endpoint (empty: AWS's).
func NewClientFactory(region, endpoint string, httpClient *http.Client) ClientFactory {
	return func(ctx context.Context, creds aws.CredentialsProvider, timeout time.Duration) (STS, error) {
		return NewSTSClient(ctx, creds, region, endpoint, httpClient, timeout)
	}
}

// STSError is an STS refusal, with the AWS error code and advice.
type STSError struct {
	Op      string // "GetSessionToken", "AssumeRole", "GetFederationToken"
	Code    string
	Message string
	Hint    string
	// ClockSkew is how far the local clock is from STS's Date header, when known.
	ClockSkew time.Duration
	Err       error
}

func (e *STSError) Error() string {
	msg := fmt.Sprintf("STS %s refused: %s", e.Op, e.Code)
	if e.Message != "" {
		msg += " (" + strings.TrimSuffix(e.Message, ".") + ")"
	}
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg
}

func (e *STSError) Unwrap() error { return e.Err }

// Expired reports whether STS said the signing credentials are over or revoked.
func (e *STSError) Expired() bool {
	return e.Code == "ExpiredToken" || e.Code == "InvalidClientTokenId"
}

// MFAFailed reports whether STS rejected the MFA code.
func (e *STSError) MFAFailed() bool {
	return e.Code == "AccessDenied" && strings.Contains(e.Message, "MultiFactorAuthentication")
}

// DescribeSTSError turns the SDK's error of STS call op into one sentence: a
// missed deadline as itself, an unreachable endpoint, or an *STSError with a
// hint on what to do. now is this computer's clock, to tell a wrong MFA code
// from a wrong clock.
func DescribeSTSError(op string, err error, now func() time.Time) error {
	var late *deadline.NetworkError
	if errors.As(err, &late) {
		return late
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		var netErr *smithy.OperationError
		if errors.As(err, &netErr) {
			return fmt.Errorf("could not reach STS for %s: %v; check your network, region and endpoint settings", op, netErr.Err)
		}
		return fmt.Errorf("STS %s failed: %w", op, err)
	}
	e := &STSError{Op: op, Code: ae.ErrorCode(), Message: ae.ErrorMessage(), Err: err}
	var re *smithyhttp.ResponseError
	if errors.As(err, &re) && re.Response != nil {
		if d, perr := http.ParseTime(re.Response.Header.Get("Date")); perr == nil {
			e.ClockSkew = now().Truncate(time.Second).Sub(d)
		}
	}
	switch {
	case e.MFAFailed():
		e.Hint = "the MFA code was wrong or already used; wait for the next code and try again"
		if skew := e.ClockSkew.Round(time.Second); skew > skewHint || skew < -skewHint {
			e.Hint = fmt.Sprintf("this computer's clock is %s off from AWS's, which makes MFA codes fail; sync the clock (and your MFA device's) and try again", absDuration(skew))
		}
	case e.Code == "AccessDenied":
		e.Hint = "your keys may lack permission for this call, or a policy requires MFA (aws:MultiFactorAuthPresent): set mfa_serial on the profile"
	case e.Expired():
		e.Hint = "the credentials that signed the call are expired or revoked; run again with --refresh, or rotate the profile's keys"
	case e.Code == "SignatureDoesNotMatch":
		e.Hint = "the profile's aws_secret_access_key does not match its aws_access_key_id"
	case e.Code == "ValidationError" && strings.Contains(strings.ToLower(e.Message), "duration"):
		e.Hint = "choose a shorter --duration"
	case e.Code == "RegionDisabledException":
		e.Hint = "activate STS in that region or pass --region"
	}
	return e
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}
