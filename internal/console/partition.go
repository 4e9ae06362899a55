// Package console signs a browser in to the AWS Management Console with
// temporary credentials, the way AWS documents for a custom identity broker:
// the credentials become a sign-in token at the federation endpoint
// (Action=getSigninToken), and the token a login URL (Action=login) that
// lands on a console page.
package console

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
)

// Partition is an AWS partition's sign-in and console hosts.
type Partition struct {
	ID          string // aws, aws-cn, aws-us-gov
	SigninHost  string // the federation endpoint's host
	ConsoleHost string
}

var (
	partitionAWS   = Partition{ID: "aws", SigninHost: "signin.aws.amazon.com", ConsoleHost: "console.aws.amazon.com"}
	partitionChina = Partition{ID: "aws-cn", SigninHost: "signin.amazonaws.cn", ConsoleHost: "console.amazonaws.cn"}
	partitionGov   = Partition{ID: "aws-us-gov", SigninHost: "signin.amazonaws-us-gov.com", ConsoleHost: "console.amazonaws-us-gov.com"}
)

// PartitionOf is the partition named by an ARN (arn:PARTITION:…), else the
// one region belongs to, else the commercial one.
func PartitionOf(name, region string) Partition {
	if a, err := arn.Parse(name); err == nil {
		switch a.Partition {
		case "aws-cn":
			return partitionChina
		case "aws-us-gov":
			return partitionGov
		case "aws":
			return partitionAWS
		}
	}
	switch {
	case strings.HasPrefix(region, "cn-"):
		return partitionChina
	case strings.HasPrefix(region, "us-gov-"):
		return partitionGov
	}
	return partitionAWS
}

// AccountOf is the account ID in an IAM ARN (arn:aws:iam::ACCOUNT:mfa/NAME),
// or "" when name is not one (an old hardware MFA serial, say).
func AccountOf(name string) string {
	a, err := arn.Parse(name)
	if err != nil || len(a.AccountID) != 12 {
		return ""
	}
	for _, r := range a.AccountID {
		if r < '0' || r > '9' {
			return ""
		}
	}
	return a.AccountID
}

// AccountSigninPage is the account's own console sign-in page (user name,
// password and MFA), or the partition's generic one without an account.
func AccountSigninPage(p Partition, account string) string {
	if account == "" {
		return "https://" + p.SigninHost + "/console"
	}
	return "https://" + account + "." + p.SigninHost + "/console"
}
