package fastpath

import (
	"fmt"

	"github.com/assume-cli/assume/internal/display"
	"github.com/assume-cli/assume/internal/session"
)

// Region is the region to export and to call STS in: flag (-r), else the profile's (or its
// source's), else AWS_REGION, else AWS_DEFAULT_REGION; "" when none is set. A region is exported
// and shown, and reaches the STS endpoint's host name, so anything but a plausible region name (a
// quote, a space, a control character) is refused rather than passed on.
func Region(flag string, p *session.Profile, getenv func(string) string) (string, error) {
	return RegionOf(flag, p.Name, p.RegionOrSource(), getenv)
}

// RegionOf is Region for a profile read straight from the files: profileRegion is the region it names.
func RegionOf(flag, profile, profileRegion string, getenv func(string) string) (string, error) {
	sources := []struct{ value, from string }{
		{flag, "-r"},
		{profileRegion, "profile " + display.Quote(profile)},
		{getenv("AWS_REGION"), "AWS_REGION"},
		{getenv("AWS_DEFAULT_REGION"), "AWS_DEFAULT_REGION"},
	}
	for _, s := range sources {
		if s.value == "" {
			continue
		}
		if !plausibleRegion(s.value) {
			return "", fmt.Errorf("the region %s from %s is not a region name; use lowercase letters, digits and hyphens, like eu-west-1",
				display.Quote(s.value), s.from)
		}
		return s.value, nil
	}
	return "", nil
}

// plausibleRegion accepts words of lowercase letters and digits joined by single hyphens,
// starting with a letter, at most 40 bytes: eu-west-1, us-gov-east-1, cn-north-1, aws-global.
func plausibleRegion(s string) bool {
	if s == "" || len(s) > 40 || s[0] < 'a' || s[0] > 'z' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case c == '-' && s[i-1] != '-':
		default:
			return false
		}
	}
	return true
}
