package session

import (
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
)

// instanceProvider is the SDK's provider for credential_source
// Ec2InstanceMetadata or EcsContainer.
func instanceProvider(source string) (aws.CredentialsProvider, error) {
	if source == "Ec2InstanceMetadata" {
		return ec2rolecreds.New(), nil
	}
	if rel := os.Getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); rel != "" {
		return endpointcreds.New("http://169.254.170.2" + rel), nil
	}
	if full := os.Getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI"); full != "" {
		return endpointcreds.New(full, func(o *endpointcreds.Options) {
			o.AuthorizationToken = os.Getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN")
		}), nil
	}
	return nil, fmt.Errorf("credential_source = EcsContainer, but AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI is not set (not running in a container task?)")
}
