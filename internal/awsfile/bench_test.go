package awsfile

import (
	"fmt"
	"strings"
	"testing"
)

const benchProfiles = 5000

// largeFiles builds a config file with n role profiles and a credentials file with n key pairs, shaped like the
// files of users who manage thousands of accounts.
func largeFiles(n int) (config, credentials string) {
	var c, k strings.Builder
	c.WriteString("# generated\n[default]\nregion = us-east-1\noutput = json\n\n")
	for i := range n {
		fmt.Fprintf(&c, "[profile p%d]\nrole_arn = arn:aws:iam::%012d:role/Admin\nsource_profile = u%d\n"+
			"mfa_serial = arn:aws:iam::%012d:mfa/user%d\nregion = eu-west-1 # team %d\noutput = json\n\n", i, i, i, i, i, i)
		fmt.Fprintf(&k, "[u%d]\naws_access_key_id = AKIA%016d\naws_secret_access_key = %040d\n\n", i, i, i)
	}
	return c.String(), k.String()
}

func BenchmarkProfileNames(b *testing.B) {
	config, credentials := largeFiles(benchProfiles)
	p := writeFiles(b, config, credentials)
	names, err := ProfileNames(p)
	if err != nil || len(names) != 2*benchProfiles+1 {
		b.Fatalf("ProfileNames = %d names, %v", len(names), err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ProfileNames(p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadProfile(b *testing.B) {
	config, credentials := largeFiles(benchProfiles)
	p := writeFiles(b, config, credentials)
	b.ReportAllocs()
	for b.Loop() {
		f, err := Load(p)
		if err != nil {
			b.Fatal(err)
		}
		profile, ok := f.Profile("p2500")
		if !ok || profile.Get("source_profile") != "u2500" {
			b.Fatalf("Profile(p2500) = %v, %v", profile, ok)
		}
		if source, ok := f.Profile("u2500"); !ok || source.Get("aws_access_key_id") == "" {
			b.Fatalf("Profile(u2500) = %v, %v", source, ok)
		}
	}
}
