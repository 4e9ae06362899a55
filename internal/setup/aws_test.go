package setup

import (
	"github.com/assume-cli/assume/internal/provider"

	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// TestClientsAndErrorCodes runs the real SDK clients against a local server that answers as IAM and STS refuse:
// the endpoints come from the variables, the given keys sign, and the error codes the flow branches on come
// through the SDK's decoding.
func TestClientsAndErrorCodes(t *testing.T) {
	refusals := map[string]struct {
		status int
		code   string
	}{
		"GetCallerIdentity":      {403, "InvalidClientTokenId"},
		"ListMFADevices":         {403, "AccessDenied"},
		"CreateVirtualMFADevice": {409, "EntityAlreadyExists"},
		"EnableMFADevice":        {403, "InvalidAuthenticationCode"},
		"DeleteVirtualMFADevice": {404, "NoSuchEntity"},
		"GetSessionToken":        {403, "AccessDenied"},
	}
	var mu sync.Mutex
	seen := map[string]string{} // service → signing header
	server := func(service string) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_ = r.ParseForm()
			mu.Lock()
			seen[service] = r.Header.Get("Authorization")
			mu.Unlock()
			ref := refusals[r.Form.Get("Action")]
			w.Header().Set("Content-Type", "text/xml")
			w.WriteHeader(ref.status)
			fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>refused by the test</Message></Error><RequestId>1</RequestId></ErrorResponse>`, ref.code)
		}))
	}
	iamServer, stsServer := server("iam"), server("sts")
	defer iamServer.Close()
	defer stsServer.Close()
	env := map[string]string{
		"AWS_ENDPOINT_URL_IAM": iamServer.URL,
		"AWS_ENDPOINT_URL_STS": stsServer.URL,
		"AWS_ENDPOINT_URL":     "http://127.0.0.1:1", // the service-specific variables win
	}
	// (A stale AWS_PROFILE, which would break the SDK's loader, is removed by cli.RunProcess before anything runs;
	// the end-to-end tests run the binary with one.)
	keys := aws.Credentials{AccessKeyID: "AKIATESTKEY000000001", SecretAccessKey: "test-secret"}
	iamClient, stsClient, err := NewClients(func(k string) string { return env[k] }, nil)(context.Background(), keys, "eu-west-1", "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	check := func(op string, err error) {
		t.Helper()
		if got := apiCode(err); got != refusals[op].code {
			t.Errorf("%s: apiCode = %q, want %q (error %v)", op, got, refusals[op].code, err)
		}
		if isNetworkError(err) {
			t.Errorf("%s: a refusal counted as a network error", op)
		}
		if msg := apiMessage(err); msg != refusals[op].code+": refused by the test" {
			t.Errorf("%s: apiMessage = %q", op, msg)
		}
	}
	_, err = stsClient.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	check("GetCallerIdentity", err)
	_, err = stsClient.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String("s"), TokenCode: aws.String("123456")})
	check("GetSessionToken", err)
	_, err = iamClient.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("u")})
	check("ListMFADevices", err)
	_, err = iamClient.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("u")})
	check("CreateVirtualMFADevice", err)
	_, err = iamClient.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("u"), SerialNumber: aws.String("s"),
		AuthenticationCode1: aws.String("111111"), AuthenticationCode2: aws.String("222222")})
	check("EnableMFADevice", err)
	_, err = iamClient.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String("s")})
	check("DeleteVirtualMFADevice", err)

	for _, service := range []string{"iam", "sts"} {
		if auth := seen[service]; !strings.Contains(auth, "Credential="+keys.AccessKeyID+"/") {
			t.Errorf("%s calls were signed with %q, want the given key", service, auth)
		}
	}

	// Nobody answering is a network error, not a refusal.
	down := map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:1"}
	_, stsDown, err := NewClients(func(k string) string { return down[k] }, nil)(ctx, keys, "", "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = stsDown.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}, func(o *sts.Options) { o.RetryMaxAttempts = 1 })
	if err == nil || !isNetworkError(err) || apiCode(err) != "" {
		t.Errorf("an unreachable endpoint gave %v (network error: %t)", err, isNetworkError(err))
	}
}

func TestEndpoint(t *testing.T) {
	for _, tc := range []struct {
		env              map[string]string
		profile, wantIAM string
	}{
		{map[string]string{}, "", ""},
		{map[string]string{}, "http://profile", "http://profile"},
		{map[string]string{"AWS_ENDPOINT_URL": "http://all"}, "http://profile", "http://all"},
		{map[string]string{"AWS_ENDPOINT_URL": "http://all", "AWS_ENDPOINT_URL_IAM": "http://iam"}, "", "http://iam"},
		{map[string]string{"AWS_ENDPOINT_URL_IAM": "http://iam", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "TRUE"}, "http://profile", ""},
	} {
		if got := provider.ServiceEndpoint(func(k string) string { return tc.env[k] }, "IAM", tc.profile); got != tc.wantIAM {
			t.Errorf("Endpoint(%v, profile %q) = %q, want %q", tc.env, tc.profile, got, tc.wantIAM)
		}
	}
}

// A call nobody answers ends at ASSUME_TIMEOUT's deadline, naming the endpoint.
func TestSetupCallsHaveADeadline(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	held := make(chan net.Conn, 16)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held <- c // accepted, never answered
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		for len(held) > 0 {
			(<-held).Close()
		}
	})
	endpoint := "http://" + ln.Addr().String()
	env := map[string]string{"AWS_ENDPOINT_URL": endpoint, "ASSUME_TIMEOUT": "300ms"}
	keys := aws.Credentials{AccessKeyID: "AKIASETUPDEADLINE", SecretAccessKey: "setup-secret"}
	iamClient, stsClient, err := NewClients(func(k string) string { return env[k] }, nil)(context.Background(), keys, "eu-west-1", "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = stsClient.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if late := lateAnswer(err); late == nil || late.Error() != "STS GetCallerIdentity at "+endpoint+" did not answer within 300ms; check your network and endpoint settings, or allow more time with ASSUME_TIMEOUT (e.g. ASSUME_TIMEOUT=600ms)" {
		t.Fatalf("GetCallerIdentity: %v", err)
	}
	_, err = iamClient.ListMFADevices(context.Background(), &iam.ListMFADevicesInput{})
	if late := lateAnswer(err); late == nil || !strings.HasPrefix(late.Error(), "IAM ListMFADevices at "+endpoint+" did not answer within 300ms") {
		t.Fatalf("ListMFADevices: %v", err)
	}
	bad := map[string]string{"ASSUME_TIMEOUT": "soon"}
	if _, _, err := NewClients(func(k string) string { return bad[k] }, nil)(context.Background(), keys, "", ""); err == nil || !strings.Contains(err.Error(), `ASSUME_TIMEOUT="soon" is not a positive duration`) {
		t.Fatalf("a bad ASSUME_TIMEOUT gave %v", err)
	}
}
