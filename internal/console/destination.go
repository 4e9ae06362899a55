package console

import (
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/assume-cli/assume/internal/display"
)

// servicePaths maps the names people type after -s to the console's path for
// that service, where the two differ. Any other name made of lowercase
// letters, digits and dashes goes to /NAME/home, which is where most
// services live.
var servicePaths = map[string]string{
	"acm":            "acm/home",
	"apigateway":     "apigateway/main",
	"athena":         "athena/home",
	"billing":        "billing/home",
	"cloudformation": "cloudformation/home",
	"cloudfront":     "cloudfront/v4/home",
	"cloudtrail":     "cloudtrail/home",
	"cloudwatch":     "cloudwatch/home",
	"codebuild":      "codesuite/codebuild/home",
	"codepipeline":   "codesuite/codepipeline/home",
	"cost":           "costmanagement/home",
	"dynamodb":       "dynamodbv2/home",
	"ec2":            "ec2/home",
	"ecr":            "ecr/home",
	"ecs":            "ecs/v2/home",
	"eks":            "eks/home",
	"iam":            "iam/home",
	"kms":            "kms/home",
	"lambda":         "lambda/home",
	"logs":           "cloudwatch/home#logsV2:",
	"organizations":  "organizations/v2/home",
	"rds":            "rds/home",
	"route53":        "route53/v2/home",
	"s3":             "s3/home",
	"secretsmanager": "secretsmanager/home",
	"sns":            "sns/v3/home",
	"sqs":            "sqs/v3/home",
	"ssm":            "systems-manager/home",
	"sso":            "singlesignon/home",
	"stepfunctions":  "states/home",
	"vpc":            "vpcconsole/home",
}

// ServiceNames are the names -s knows, sorted, for tab completion and help.
func ServiceNames() []string {
	names := make([]string, 0, len(servicePaths))
	for n := range servicePaths {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Destination is the console URL to land on in partition p: the console home
// in region when service is empty, a service's console (s3, ec2, …), or a
// console path (/s3/buckets/…) or a URL on the partition's console host.
func Destination(p Partition, region, service string) (string, error) {
	base := "https://" + p.ConsoleHost
	switch {
	case service == "":
		return withRegion(base+"/console/home", region), nil
	case strings.HasPrefix(service, "/") && !strings.HasPrefix(service, "//"):
		return pathDestination(base, service)
	case strings.HasPrefix(service, "https://"):
		u, err := url.Parse(service)
		if err != nil || !onHost(u.Hostname(), p.ConsoleHost) || u.User != nil || u.Port() != "" {
			return "", fmt.Errorf("--service %s is not a page of the AWS console (%s)", display.Quote(service), p.ConsoleHost)
		}
		return pathDestination("https://"+u.Host, u.RequestURI()+fragment(u))
	}
	if !serviceName(service) {
		return "", fmt.Errorf("--service %s is neither a service name (s3, ec2, cloudformation, …) nor a console path starting with /", display.Quote(service))
	}
	path, ok := servicePaths[service]
	if !ok {
		path = service + "/home"
	}
	if hash := strings.IndexByte(path, '#'); hash >= 0 {
		return withRegion(base+"/"+path[:hash], region) + path[hash:], nil
	}
	return withRegion(base+"/"+path, region), nil
}

func fragment(u *url.URL) string {
	if u.Fragment == "" {
		return ""
	}
	return "#" + u.EscapedFragment()
}

// pathDestination checks a console path: printable ASCII only, so nothing
// in it can break out of the URL it lands in.
func pathDestination(base, path string) (string, error) {
	for _, r := range path {
		if r <= ' ' || r >= 0x7f {
			return "", fmt.Errorf("--service %s holds a space or a control character; give a console path such as /s3/buckets", display.Quote(path))
		}
	}
	u, err := url.Parse(base + path)
	if err != nil {
		return "", fmt.Errorf("--service %s is not a console path: %v", display.Quote(path), err)
	}
	return u.String(), nil
}

func onHost(host, consoleHost string) bool {
	return host == consoleHost || strings.HasSuffix(host, "."+consoleHost)
}

func serviceName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

func withRegion(u, region string) string {
	if region == "" {
		return u
	}
	return u + "?region=" + url.QueryEscape(region)
}
