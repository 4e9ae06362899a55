package setup

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/assume-cli/assume/internal/deadline"
	"github.com/assume-cli/assume/internal/provider"
)

// IAM is the part of the IAM API the set-up calls.
type IAM interface {
	ListMFADevices(ctx context.Context, in *iam.ListMFADevicesInput, optFns ...func(*iam.Options)) (*iam.ListMFADevicesOutput, error)
	CreateVirtualMFADevice(ctx context.Context, in *iam.CreateVirtualMFADeviceInput, optFns ...func(*iam.Options)) (*iam.CreateVirtualMFADeviceOutput, error)
	EnableMFADevice(ctx context.Context, in *iam.EnableMFADeviceInput, optFns ...func(*iam.Options)) (*iam.EnableMFADeviceOutput, error)
	DeleteVirtualMFADevice(ctx context.Context, in *iam.DeleteVirtualMFADeviceInput, optFns ...func(*iam.Options)) (*iam.DeleteVirtualMFADeviceOutput, error)
}

// STS is the part of the STS API the set-up calls.
type STS interface {
	GetCallerIdentity(ctx context.Context, in *sts.GetCallerIdentityInput, optFns ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
	GetSessionToken(ctx context.Context, in *sts.GetSessionTokenInput, optFns ...func(*sts.Options)) (*sts.GetSessionTokenOutput, error)
}

// Clients builds IAM and STS clients that sign with the keys being set up, in region. profileEndpoint is the
// profile's endpoint_url, if any.
type Clients func(ctx context.Context, keys aws.Credentials, region, profileEndpoint string) (IAM, STS, error)

// NewClients returns the Clients for the real AWS API, or an emulator named by the endpoint settings (see
// Endpoint). The SDK's loader supplies retries, AWS_CA_BUNDLE and the HTTP stack, never credentials or a profile:
// only the keys typed or written for the profile being set up may sign, not AWS_* variables left behind by an
// earlier `assume`.
func NewClients(getenv func(string) string, httpClient *http.Client) Clients {
	return func(ctx context.Context, keys aws.Credentials, region, profileEndpoint string) (IAM, STS, error) {
		limits, err := deadline.FromEnv(getenv)
		if err != nil {
			return nil, nil, err
		}
		// Every IAM and STS call of the set-up gets the network deadline.
		cfg, err := provider.LoadAWSConfig(ctx, aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return keys, nil
		}), region, httpClient, limits.Network)
		if err != nil {
			return nil, nil, err
		}
		iamEndpoint, stsEndpoint := provider.ServiceEndpoint(getenv, "IAM", profileEndpoint), provider.ServiceEndpoint(getenv, "STS", profileEndpoint)
		iamClient := iam.NewFromConfig(cfg, func(o *iam.Options) {
			if iamEndpoint != "" {
				o.BaseEndpoint = aws.String(iamEndpoint)
			}
		})
		stsClient := sts.NewFromConfig(cfg, func(o *sts.Options) {
			if stsEndpoint != "" {
				o.BaseEndpoint = aws.String(stsEndpoint)
			}
		})
		return iamClient, stsClient, nil
	}
}

// apiCode returns the AWS error code of err ("AccessDenied"), or "" when err is not an API error.
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// apiMessage returns AWS's own words for err without the SDK's request details, for an error message.
func apiMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		msg := strings.TrimSuffix(strings.TrimSpace(ae.ErrorMessage()), ".")
		if msg == "" {
			return ae.ErrorCode()
		}
		return ae.ErrorCode() + ": " + msg
	}
	var oe *smithy.OperationError
	if errors.As(err, &oe) {
		return oe.Err.Error()
	}
	return err.Error()
}

// isNetworkError tells a call that never got an answer from one AWS refused.
func isNetworkError(err error) bool {
	var ae smithy.APIError
	return !errors.As(err, &ae) && !errors.Is(err, context.Canceled)
}

// lateAnswer is the deadline error inside err, if a call went unanswered.
func lateAnswer(err error) *deadline.NetworkError {
	var late *deadline.NetworkError
	if errors.As(err, &late) {
		return late
	}
	return nil
}

// deniedError explains an IAM AccessDenied: which permission the user lacks and who can help.
func deniedError(action, instead string, err error) error {
	return fmt.Errorf("your IAM user lacks %s (AWS said %s); ask an administrator to allow it for your own user "+
		"(the README's example policy does), %s", action, quoteMessage(err), instead)
}

func quoteMessage(err error) string { return "“" + apiMessage(err) + "”" }
