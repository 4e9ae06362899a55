package awsfile

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
)

// sdkSampleConfig mixes the formatting a real ~/.aws/config accumulates over the years.
const sdkSampleConfig = `# Managed by hand since 2019
[default]
region = us-east-1
output=json

[profile base]
region: us-west-2
mfa_serial = arn:aws:iam::111111111111:mfa/alice # the phone
  ; an indented comment
[profile admin]
role_arn = arn:aws:iam::222222222222:role/Admin
source_profile = base
mfa_serial = arn:aws:iam::111111111111:mfa/alice
External_ID = "ext-123"
role_session_name = alice#laptop
duration_seconds = 3600
region = eu-west-1 ; Ireland

[ profile   spaced ]
REGION = 'ap-south-1'
role_arn=arn:aws:iam::333333333333:role/ReadOnly
credential_source = Environment
  s3 =
    max_concurrent_requests = 20

[profile tool]
credential_process = /usr/local/bin/get-creds
  --profile tool
region = ca-central-1
s3 =
  max_concurrent_requests = 10
  multipart_threshold = 64MB
endpoint_url = http://localhost:4566

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-2
sso_registration_scopes = sso:account:access

[profile dev]
sso_session = corp
sso_account_id = 444444444444
sso_role_name = Developer
region = us-east-2

[ignored-bare]
region = nowhere

[profile admin]
region = eu-central-1
`

// sdkSampleCredentials uses CRLF line endings, as files edited on Windows do.
const sdkSampleCredentials = "[base]\r\n" +
	"aws_access_key_id = AKIAIOSFODNN7EXAMPLE\r\n" +
	"AWS_Secret_Access_Key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ; rotated\r\n" +
	"\r\n" +
	"# temporary\r\n" +
	"[temp]\r\n" +
	"aws_access_key_id = ASIAEXAMPLE\r\n" +
	"aws_secret_access_key = c2VjcmV0\r\n" +
	"aws_session_token = \"FwoGZXIvYXdzEJr//////////wEaDM+token==\"\r\n" +
	"region = sa-east-1\r\n" +
	"[default]\r\n" +
	"aws_access_key_id = AKIADEFAULT\r\n" +
	"aws_secret_access_key = default-secret\r\n" +
	"region = us-east-1\r\n"

// TestMatchesSDK loads every profile of a varied sample with the SDK and checks that this package reads the same
// value for every key the SDK exposes.
func TestMatchesSDK(t *testing.T) {
	p := writeFiles(t, sdkSampleConfig, sdkSampleCredentials)
	f, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	names := f.Names()
	if len(names) != 7 {
		t.Fatalf("Names = %q, want the 7 profiles of the sample", names)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			sdk, err := config.LoadSharedConfigProfile(context.Background(), name,
				func(o *config.LoadSharedConfigOptions) {
					o.ConfigFiles = []string{p.Config}
					o.CredentialsFiles = []string{p.Credentials}
				})
			if err != nil {
				t.Fatalf("the SDK cannot load the sample: %v", err)
			}
			ours, ok := f.Profile(name)
			if !ok {
				t.Fatal("not found")
			}
			compared := 0
			check := func(key, sdkValue string) {
				t.Helper()
				if got := ours.Get(key); got != sdkValue {
					t.Errorf("%s = %q, SDK says %q", key, got, sdkValue)
				}
				if sdkValue != "" {
					compared++
				}
			}
			check("region", sdk.Region)
			check("role_arn", sdk.RoleARN)
			check("source_profile", sdk.SourceProfileName)
			check("mfa_serial", sdk.MFASerial)
			check("external_id", sdk.ExternalID)
			check("role_session_name", sdk.RoleSessionName)
			check("credential_source", sdk.CredentialSource)
			check("credential_process", sdk.CredentialProcess)
			check("sso_session", sdk.SSOSessionName)
			check("sso_account_id", sdk.SSOAccountID)
			check("sso_role_name", sdk.SSORoleName)
			check("endpoint_url", sdk.BaseEndpoint)
			if sdk.RoleDurationSeconds != nil {
				check("duration_seconds", strconv.Itoa(int(*sdk.RoleDurationSeconds/time.Second)))
			}
			if sdk.RoleARN == "" { // a role profile's own keys are not used by the SDK
				check("aws_access_key_id", sdk.Credentials.AccessKeyID)
				check("aws_secret_access_key", sdk.Credentials.SecretAccessKey)
				check("aws_session_token", sdk.Credentials.SessionToken)
			}
			if sdk.SSOSession != nil {
				session, ok := f.SSOSession(sdk.SSOSessionName)
				if !ok {
					t.Fatalf("sso-session %q not found", sdk.SSOSessionName)
				}
				if session["sso_region"] != sdk.SSOSession.SSORegion || session["sso_start_url"] != sdk.SSOSession.SSOStartURL {
					t.Errorf("sso-session %q = %q, SDK says region %q, start URL %q", sdk.SSOSessionName, session,
						sdk.SSOSession.SSORegion, sdk.SSOSession.SSOStartURL)
				}
				compared += 2
			}
			if compared == 0 {
				t.Error("the SDK exposed no value for this profile; the comparison proves nothing")
			}
		})
	}
}

// TestMatchesSDKOnDefaultPrecedence: with both [default] and [profile default] in the config file, the SDK uses only
// the latter.
func TestMatchesSDKOnDefaultPrecedence(t *testing.T) {
	p := writeFiles(t, "[profile default]\nregion = prefixed\n[default]\nregion = plain\noutput = text\n", "")
	sdk, err := config.LoadSharedConfigProfile(context.Background(), "default", func(o *config.LoadSharedConfigOptions) {
		o.ConfigFiles = []string{p.Config}
		o.CredentialsFiles = []string{p.Credentials}
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	ours, _ := f.Profile("default")
	if ours.Get("region") != sdk.Region {
		t.Errorf("region = %q, SDK says %q", ours.Get("region"), sdk.Region)
	}
	if ours.Get("output") != "" {
		t.Errorf("output = %q from the replaced [default] section", ours.Get("output"))
	}
}
