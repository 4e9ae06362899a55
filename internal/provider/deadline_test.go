package provider_test

// Deadlines and expiry: a network call that never answers, a
// credential_process that never ends or never stops printing, and
// credentials that are dead on arrival.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go/logging"

	"github.com/assume-cli/assume/internal/deadline"
	"github.com/assume-cli/assume/internal/provider"
)

// blackHole is a TCP listener on 127.0.0.1 that accepts connections and
// never answers.
func blackHole(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c) // held open, never read or written
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	return "http://" + ln.Addr().String()
}

func oneSentence(t *testing.T, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one saying %q", want)
	}
	msg := err.Error()
	if strings.ContainsAny(msg, "\n\r") {
		t.Errorf("error is not one line: %q", msg)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not say %q", msg, w)
		}
	}
	for _, secret := range []string{userSecret, srcUserSecret} {
		if strings.Contains(msg, secret) {
			t.Errorf("error %q shows a secret", msg)
		}
	}
}

func TestBlackHoleSTSMeetsTheDeadline(t *testing.T) {
	e := newEnv(t)
	endpoint := blackHole(t)
	for _, name := range []string{"alice", "prod"} {
		e.codes.Code = "123456"
		_, err := e.get(t, name, func(o *provider.Options) {
			o.Clients = provider.NewClientFactory("us-east-1", endpoint, nil)
			o.Limits = deadline.Limits{Network: 300 * time.Millisecond}
		})
		var late *deadline.NetworkError
		if !errors.As(err, &late) {
			t.Fatalf("%s: err = %v, want a deadline error", name, err)
		}
		want := fmt.Sprintf("STS GetSessionToken at %s did not answer within 300ms; check your network and endpoint settings, or allow more time with ASSUME_TIMEOUT (e.g. ASSUME_TIMEOUT=600ms)", endpoint)
		if err.Error() != want {
			t.Fatalf("%s: err = %q\nwant        %q", name, err, want)
		}
	}
}

func TestBlackHoleSourceRoleMeetsTheDeadline(t *testing.T) {
	e := newEnv(t)
	endpoint := blackHole(t)
	// plain's static keys sign AssumeRole straight away.
	e.files["open-role"] = map[string]string{"role_arn": auditARN, "source_profile": "plain", "external_id": "ext-42"}
	_, err := e.get(t, "open-role", func(o *provider.Options) {
		o.Clients = provider.NewClientFactory("us-east-1", endpoint, nil)
		o.Limits = deadline.Limits{Network: 200 * time.Millisecond}
	})
	oneSentence(t, err, "STS AssumeRole at "+endpoint+" did not answer within 200ms", "ASSUME_TIMEOUT")
}

func TestExpiredSTSAnswerIsRefused(t *testing.T) {
	e := newEnv(t)
	// GetSessionToken lasts 12 h: shifted 13 h back, it expired an hour ago.
	e.sts.ExpiryShift = -13 * time.Hour
	r, err := e.get(t, "alice", nil)
	var expired *provider.ExpiredError
	if !errors.As(err, &expired) {
		t.Fatalf("got %+v, %v; want the expired answer refused", r.Credentials, err)
	}
	oneSentence(t, err, "STS GetSessionToken returned credentials that expired at "+expired.Expires.UTC().Format(time.RFC3339), "try again")
	if strings.Contains(err.Error(), "clock is") {
		t.Errorf("error %q blames the clock, which agrees with STS's", err)
	}

	// Nothing was cached: with a sane STS the next run calls it again.
	e.sts.ExpiryShift = 0
	e.codes.Code = "123456"
	before := e.sts.CallCount("GetSessionToken")
	if _, err := e.get(t, "alice", nil); err != nil {
		t.Fatal(err)
	}
	if n := e.sts.CallCount("GetSessionToken") - before; n != 1 {
		t.Fatalf("%d GetSessionToken calls after the refused answer, want 1 (nothing cached)", n)
	}
}

func TestSTSAnswerExpiringWithinTheMarginIsRefused(t *testing.T) {
	e := newEnv(t)
	// A role lasts 1 h; prod's MFA session is fine, the role has 30 s left.
	e.sts.ExpiryShift = -time.Hour + 30*time.Second
	_, err := e.get(t, "prod", nil)
	oneSentence(t, err, "STS AssumeRole returned credentials that expire within a minute, at")
}

// A computer whose clock is years ahead sees every answer as expired; the
// Date of STS's answer says why.
func TestExpiredAnswerNamesTheClockSkew(t *testing.T) {
	e := newEnv(t)
	ahead := 3 * 365 * 24 * time.Hour
	_, err := e.get(t, "alice", func(o *provider.Options) {
		o.Now = func() time.Time { return time.Now().Add(ahead) }
	})
	oneSentence(t, err, "STS GetSessionToken returned credentials that expired at",
		"because this computer's clock is 26280h ahead of AWS's", "sync the clock")
}

func TestCredentialProcessDeadlineAndCap(t *testing.T) {
	e := newSourcesEnv(t)
	e.writeConfig(t, "[profile hangs]\ncredential_process = sleep 300\n\n[profile floods]\ncredential_process = yes {}\n")
	limits := deadline.Limits{Process: 300 * time.Millisecond}
	withLimits := func(o *provider.Options) {
		o.SDKProvider = provider.SDKProvider(e.paths.Config, e.paths.Credentials, limits)
	}
	_, err := e.get(t, "hangs", "", withLimits)
	oneSentence(t, err, `profile "hangs": its credential_process did not finish within 300ms and was stopped`, "ASSUME_PROCESS_TIMEOUT")

	_, err = e.get(t, "floods", "", withLimits)
	oneSentence(t, err, `profile "floods": its credential_process printed more than 1048576 bytes on stdout and was stopped`)
}

func TestWebIdentityCallMeetsTheDeadline(t *testing.T) {
	e := newSourcesEnv(t)
	endpoint := blackHole(t)
	file := e.tokenFile(t, "jwt-header.jwt-claims.jwt-signature")
	e.writeConfig(t, fmt.Sprintf("[profile ci]\nrole_arn = %s\nweb_identity_token_file = %s\nendpoint_url = %s\n", webRoleARN, file, endpoint))
	_, err := e.get(t, "ci", "", func(o *provider.Options) {
		o.SDKProvider = provider.SDKProvider(e.paths.Config, e.paths.Credentials, deadline.Limits{Network: 300 * time.Millisecond})
	})
	oneSentence(t, err, `profile "ci": STS AssumeRoleWithWebIdentity at `+endpoint+" did not answer within 300ms", "ASSUME_TIMEOUT")
}

func TestInstanceMetadataMeetsTheDeadline(t *testing.T) {
	e := newSourcesEnv(t)
	endpoint := blackHole(t)
	// The instance code reads the SDK's own variable, as the SDK does.
	e.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = endpoint
	e.writeConfig(t, fmt.Sprintf("[profile boxed]\nrole_arn = %s\ncredential_source = Ec2InstanceMetadata\n", openRoleARN))
	_, err := e.get(t, "boxed", "", func(o *provider.Options) { o.Limits = deadline.Limits{Network: 300 * time.Millisecond} })
	oneSentence(t, err, "credential_source = Ec2InstanceMetadata: the instance metadata service at "+endpoint+" did not answer within 300ms", "ASSUME_TIMEOUT")
}

func TestInstanceCredentialsExpiringWithinTheMarginAreRefused(t *testing.T) {
	e := newSourcesEnv(t)
	src := e.sessionCreds(t)
	src.Expires = time.Now().Add(30 * time.Second)
	imds, _ := fakeIMDS(t, "instance-role", src)
	e.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.URL
	e.writeConfig(t, fmt.Sprintf("[profile boxed]\nrole_arn = %s\ncredential_source = Ec2InstanceMetadata\n", openRoleARN))
	_, err := e.get(t, "boxed", "", nil)
	oneSentence(t, err, "credential_source = Ec2InstanceMetadata ("+imds.URL+") returned credentials that expire within a minute")
	if n := e.sts.CallCount("AssumeRole"); n != 0 {
		t.Fatalf("%d AssumeRole calls signed by credentials about to expire", n)
	}
}

func TestSSOPortalMeetsTheDeadline(t *testing.T) {
	e := newSourcesEnv(t)
	endpoint := blackHole(t)
	// The SDK reads the portal's endpoint from its own variable, as the
	// other SSO tests set it.
	t.Setenv("AWS_ENDPOINT_URL_SSO", endpoint)
	e.writeConfig(t, ssoConfig)
	e.writeSSOToken(t, "corp", ssoToken{AccessToken: "session-token-1", ExpiresAt: time.Now().Add(8 * time.Hour).UTC().Format(time.RFC3339)})
	_, err := e.get(t, "dev", "", func(o *provider.Options) {
		o.SDKProvider = provider.SDKProvider(e.paths.Config, e.paths.Credentials, deadline.Limits{Network: 300 * time.Millisecond})
	})
	oneSentence(t, err, `profile "dev": SSO GetRoleCredentials at `+endpoint+" did not answer within 300ms", "ASSUME_TIMEOUT")
}

func TestExpiredSSOCredentialsAreRefused(t *testing.T) {
	e := newSourcesEnv(t)
	portal := newPortal(t)
	e.writeConfig(t, ssoConfig)
	e.writeSSOToken(t, "corp", ssoToken{AccessToken: "session-token-1", ExpiresAt: time.Now().Add(8 * time.Hour).UTC().Format(time.RFC3339)})
	dead := portalCreds("ASIASSODEAD000000001")
	dead.Expiration = time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	portal.Allow("session-token-1", ssoAccount, "Developer", dead)
	_, err := e.get(t, "dev", "", nil)
	oneSentence(t, err, `profile "dev": the SSO portal returned credentials that expired at `+dead.Expiration.Format(time.RFC3339))
}

// The SDK logs nothing of its own: assume says what went wrong in one sentence on stderr, and a
// log line of the SDK's (a connection it could not reuse, under load) would come between.
func TestSDKLogsNothing(t *testing.T) {
	t.Parallel()
	cfg, err := provider.LoadAWSConfig(context.Background(), nil, "eu-west-1", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cfg.Logger.(logging.Nop); !ok {
		t.Fatalf("the SDK's logger is %T, want logging.Nop", cfg.Logger)
	}
}
