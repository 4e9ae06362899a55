package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// These tests check the harness itself, so that a failing end-to-end test points at assume.

// TestRecorderParsesSTSCalls makes the calls assume makes, with the same SDK, and checks that
// the harness reads back every field the end-to-end tests assert on.
func TestRecorderParsesSTSCalls(t *testing.T) {
	e := requireEmulator(t)
	u := createMFAUser(t, "harness")
	role := createRole(t, "harness-role", u.ARN)
	rec := startRecording(t)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	client := func(id, secret, token string) *sts.Client {
		return sts.New(sts.Options{
			Region:       region,
			BaseEndpoint: aws.String(e.url),
			Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret, SessionToken: token}, nil
			}),
		})
	}
	long := client(u.AccessKeyID, u.SecretAccessKey, "")
	session, err := long.GetSessionToken(ctx, &sts.GetSessionTokenInput{
		SerialNumber:    aws.String(u.MFASerial),
		TokenCode:       aws.String("123456"),
		DurationSeconds: aws.Int32(3600),
	})
	if err != nil {
		t.Fatalf("GetSessionToken: %v", err)
	}
	sc := session.Credentials
	_, err = client(aws.ToString(sc.AccessKeyId), aws.ToString(sc.SecretAccessKey), aws.ToString(sc.SessionToken)).
		AssumeRole(ctx, &sts.AssumeRoleInput{
			RoleArn:         aws.String(role.ARN),
			RoleSessionName: aws.String("harness-session"),
			ExternalId:      aws.String("ext-42"),
			DurationSeconds: aws.Int32(900),
		})
	if err != nil {
		t.Fatalf("AssumeRole: %v", err)
	}

	raw, err := rec.call("GET", "download-recording")
	if err != nil {
		t.Fatal(err)
	}
	reqs, err := parseRecordedRequests(raw, "sts")
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 2 || reqs[0].InvocationID == "" || reqs[0].InvocationID == reqs[1].InvocationID {
		t.Fatalf("want 2 requests with distinct SDK invocation ids, got %+v", reqs)
	}

	calls := rec.stsCalls(t)
	if len(calls) != 2 {
		t.Fatalf("recorded %d STS calls, want 2: %v", len(calls), calls)
	}
	gst, ar := calls[0], calls[1]
	if gst.Action != "GetSessionToken" || gst.SerialNumber != u.MFASerial || gst.TokenCode != "123456" ||
		gst.DurationSeconds != "3600" || gst.SigningKeyID != u.AccessKeyID || gst.SecurityToken != "" {
		t.Errorf("GetSessionToken recorded as %v", gst)
	}
	if ar.Action != "AssumeRole" || ar.RoleArn != role.ARN || ar.RoleSessionName != "harness-session" ||
		ar.ExternalID != "ext-42" || ar.DurationSeconds != "900" || ar.SerialNumber != "" ||
		ar.SigningKeyID != aws.ToString(sc.AccessKeyId) || ar.SecurityToken != aws.ToString(sc.SessionToken) {
		t.Errorf("AssumeRole recorded as %v", ar)
	}
}

// An SDK retry (same invocation id) counts as one call with two attempts; two calls with the
// same parameters but their own ids stay two calls.
func TestRecorderFoldsRetries(t *testing.T) {
	line := func(invocation string) string {
		return `{"headers":{"Authorization":"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261121/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0",` +
			`"Amz-Sdk-Invocation-Id":"` + invocation + `"},"method":"POST","url":"http://127.0.0.1/",` +
			`"body":"Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr&TokenCode=123456","body_encoded":false}`
	}
	raw := strings.Join([]string{line("one"), line("one"), line("two")}, "\n")
	calls, err := parseRecording([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 2 || calls[0].Attempts != 2 || calls[1].Attempts != 1 {
		t.Fatalf("parsed %v, want 2 calls, the first with 2 attempts", calls)
	}
	if calls[0].Action != "AssumeRole" || calls[0].TokenCode != "123456" || calls[0].SigningKeyID != "AKIDEXAMPLE" {
		t.Errorf("first call parsed as %v", calls[0])
	}
}
