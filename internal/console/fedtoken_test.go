package console

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"

	"github.com/assume-cli/assume/internal/deadline"
)

type fakeSTS struct {
	in  *sts.GetFederationTokenInput
	err error
}

func (f *fakeSTS) GetFederationToken(_ context.Context, in *sts.GetFederationTokenInput, _ ...func(*sts.Options)) (*sts.GetFederationTokenOutput, error) {
	f.in = in
	if f.err != nil {
		return nil, f.err
	}
	exp := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	return &sts.GetFederationTokenOutput{
		Credentials:   &types.Credentials{AccessKeyId: aws.String("ASIAFED"), SecretAccessKey: aws.String("s"), SessionToken: aws.String("t"), Expiration: &exp},
		FederatedUser: &types.FederatedUser{Arn: aws.String("arn:aws-cn:sts::111111111111:federated-user/assume-x")},
	}, nil
}

func TestFederationToken(t *testing.T) {
	f := &fakeSTS{}
	s, err := FederationToken(context.Background(), f, 0)
	if err != nil {
		t.Fatal(err)
	}
	if s.Credentials.AccessKeyID != "ASIAFED" || s.ARN == "" || s.Expires.IsZero() {
		t.Errorf("session = %+v", s)
	}
	if got := aws.ToInt32(f.in.DurationSeconds); got != 43200 {
		t.Errorf("DurationSeconds = %d, want STS's default 43200", got)
	}
	var policy struct {
		Statement []struct{ Effect, Action, Resource string }
	}
	if err := json.Unmarshal([]byte(aws.ToString(f.in.Policy)), &policy); err != nil || len(policy.Statement) != 1 ||
		policy.Statement[0] != (struct{ Effect, Action, Resource string }{"Allow", "*", "*"}) {
		t.Errorf("Policy = %s, want one that passes every permission through", aws.ToString(f.in.Policy))
	}
	if name := aws.ToString(f.in.Name); !strings.HasPrefix(name, "assume") || len(name) > 32 {
		t.Errorf("Name = %q", name)
	}
	if PartitionOf(s.ARN, "").ID != "aws-cn" {
		t.Errorf("partition of %s", s.ARN)
	}

	if _, err := FederationToken(context.Background(), f, 2*time.Hour); err != nil || aws.ToInt32(f.in.DurationSeconds) != 7200 {
		t.Errorf("with 2h: %v, DurationSeconds %d", err, aws.ToInt32(f.in.DurationSeconds))
	}

	f.err = &smithy.GenericAPIError{Code: "AccessDenied", Message: "not allowed."}
	_, err = FederationToken(context.Background(), f, 0)
	if err == nil || !strings.Contains(err.Error(), "AccessDenied (not allowed)") || !strings.Contains(err.Error(), "role profile") {
		t.Errorf("error %v", err)
	}

	// A call that missed its deadline says so once, not wrapped in "could not reach STS".
	late := &deadline.NetworkError{Service: "STS", Operation: "GetFederationToken", Endpoint: "https://sts.amazonaws.com", Timeout: 30 * time.Second}
	f.err = &smithy.OperationError{ServiceID: "STS", OperationName: "GetFederationToken", Err: late}
	_, err = FederationToken(context.Background(), f, 0)
	if err == nil || err.Error() != late.Error() {
		t.Errorf("a missed deadline gave %v, want %v", err, late)
	}
}
