package provider

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/ec2rolecreds"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"

	"github.com/assume-cli/assume/internal/deadline"
	"github.com/assume-cli/assume/internal/session"
)

// ecsCredentialsHost is where AWS_CONTAINER_CREDENTIALS_RELATIVE_URI points.
const ecsCredentialsHost = "http://169.254.170.2"

// instanceProvider is the SDK's provider for credential_source
// Ec2InstanceMetadata or EcsContainer. The IMDS client honours
// AWS_EC2_METADATA_SERVICE_ENDPOINT and AWS_EC2_METADATA_DISABLED; the
// container provider takes the same variables as the SDK's (EKS Pod Identity
// included), and refuses a plain-HTTP endpoint that is not the container
// agent's or this machine's, so credentials are never fetched in clear
// across a network.
// The variables are read with getenv, and handed to the SDK's clients as
// options, so that the SDK does not read the process environment for them.
func instanceProvider(source string, getenv func(string) string, timeout time.Duration, now func() time.Time) (aws.CredentialsProvider, error) {
	if source == "Ec2InstanceMetadata" {
		opts := imds.Options{Endpoint: getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT"), ClientEnableState: imds.ClientEnabled}
		if strings.EqualFold(getenv("AWS_EC2_METADATA_DISABLED"), "true") {
			opts.ClientEnableState = imds.ClientDisabled
		}
		return &instanceSource{source: source, where: imdsEndpoint(getenv), timeout: timeout, now: now, Provider: ec2rolecreds.New(func(o *ec2rolecreds.Options) {
			o.Client = imds.New(opts)
		})}, nil
	}
	endpoint, err := containerEndpoint(getenv)
	if err != nil {
		return nil, err
	}
	prov := endpointcreds.New(endpoint, func(o *endpointcreds.Options) {
		if file := getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); file != "" {
			// EKS rotates this file; it is read at each use, as the SDK does.
			o.AuthorizationTokenProvider = endpointcreds.TokenProviderFunc(func() (string, error) {
				b, err := os.ReadFile(file)
				if err != nil {
					return "", fmt.Errorf("reading AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: %w", err)
				}
				return strings.TrimSpace(string(b)), nil
			})
		} else if token := getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN"); token != "" {
			o.AuthorizationToken = token
		}
	})
	return &instanceSource{source: source, where: hostOf(endpoint), timeout: timeout, now: now, Provider: prov}, nil
}

func hostOf(endpoint string) string {
	if u, err := url.Parse(endpoint); err == nil && u.Host != "" {
		return u.Scheme + "://" + u.Host
	}
	return "(unparsable URL)"
}

func imdsEndpoint(getenv func(string) string) string {
	if v := getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT"); v != "" {
		return v
	}
	return "http://169.254.169.254"
}

func containerEndpoint(getenv func(string) string) (string, error) {
	if rel := getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); rel != "" {
		return ecsCredentialsHost + rel, nil
	}
	full := getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI")
	if full == "" {
		return "", errors.New("credential_source = EcsContainer, but AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI is not set (not running in a container task?)")
	}
	u, err := url.Parse(full)
	if err != nil || u.Hostname() == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("credential_source = EcsContainer, but AWS_CONTAINER_CREDENTIALS_FULL_URI %q is not an http(s) URL", full)
	}
	if u.Scheme == "http" && !containerHostAllowed(u.Hostname()) {
		return "", fmt.Errorf("credential_source = EcsContainer, but AWS_CONTAINER_CREDENTIALS_FULL_URI uses plain http to %s, which is neither this machine nor the container credentials agent; use https", u.Hostname())
	}
	return full, nil
}

// containerHostAllowed: loopback, the ECS agent, or the EKS Pod Identity agent.
func containerHostAllowed(host string) bool {
	allowed := func(ip net.IP) bool {
		return ip.IsLoopback() || ip.Equal(net.ParseIP("169.254.170.2")) ||
			ip.Equal(net.ParseIP("169.254.170.23")) || ip.Equal(net.ParseIP("fd00:ec2::23"))
	}
	if ip := net.ParseIP(host); ip != nil {
		return allowed(ip)
	}
	addrs, err := net.LookupHost(host)
	if err != nil || len(addrs) == 0 {
		return false
	}
	for _, a := range addrs {
		if ip := net.ParseIP(a); ip == nil || !allowed(ip) {
			return false
		}
	}
	return true
}

// instanceSource turns the SDK's errors into one sentence that names the
// credential_source and where it looked.
type instanceSource struct {
	source   string
	where    string // scheme and host only: an ECS path is a capability
	timeout  time.Duration
	now      func() time.Time
	Provider aws.CredentialsProvider
}

func (s *instanceSource) Retrieve(ctx context.Context) (aws.Credentials, error) {
	service := "the container credentials endpoint"
	if s.source == "Ec2InstanceMetadata" {
		service = "the instance metadata service"
	}
	creds, err := deadline.Call(ctx, s.timeout, service, "", s.Provider.Retrieve)
	if err == nil {
		if now := nowOr(s.now)(); !usable(creds, now) {
			e := &ExpiredError{What: fmt.Sprintf("credential_source = %s (%s)", s.source, s.where), Expires: creds.Expires, Now: now}
			return aws.Credentials{}, &SourceError{Kind: session.KindInstance, Err: e, Msg: e.Error()}
		}
		return creds, nil
	}
	var late *deadline.NetworkError
	if errors.As(err, &late) {
		// Named by scheme and host only, never the path.
		late.Endpoint = s.where
		return aws.Credentials{}, &SourceError{Kind: session.KindInstance, Err: err, Msg: "credential_source = " + s.source + ": " + late.Error()}
	}
	if errors.Is(err, context.Canceled) {
		return aws.Credentials{}, err
	}
	msg := oneLine(innermost(err).Error())
	switch {
	case s.source == "Ec2InstanceMetadata" && strings.Contains(err.Error(), "AWS_EC2_METADATA_DISABLED"):
		return aws.Credentials{}, &SourceError{Kind: session.KindInstance, Err: err, Msg: "credential_source = Ec2InstanceMetadata, but AWS_EC2_METADATA_DISABLED turns the instance metadata service off; unset it"}
	case s.source == "Ec2InstanceMetadata":
		return aws.Credentials{}, &SourceError{Kind: session.KindInstance, Err: err, Msg: fmt.Sprintf("credential_source = Ec2InstanceMetadata, but the instance metadata service at %s gave no role credentials (%s); this works only on an EC2 instance with an instance profile", s.where, msg)}
	}
	return aws.Credentials{}, &SourceError{Kind: session.KindInstance, Err: err, Msg: fmt.Sprintf("credential_source = EcsContainer, but the container credentials endpoint %s gave no credentials (%s)", s.where, msg)}
}
