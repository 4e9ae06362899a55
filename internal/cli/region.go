package cli

import (
	"fmt"

	"github.com/assume-cli/assume/internal/display"
)

// regionSource is a region and where it came from, for the error that refuses it.
type regionSource struct{ value, from string }

// chooseRegion returns the first region given, from -r, the profile, AWS_REGION and
// AWS_DEFAULT_REGION in that order, once it is checked to be a plausible region name. A region
// is exported and shown, and reaches the STS endpoint's host name, so anything else (a quote, a
// space, a control character) is refused rather than passed on.
func chooseRegion(sources ...regionSource) (string, error) {
	for _, s := range sources {
		if s.value == "" {
			continue
		}
		if !plausibleRegion(s.value) {
			return "", &ExitError{Code: ExitFailure, Err: fmt.Errorf(
				"the region %s from %s is not a region name; use lowercase letters, digits and hyphens, like eu-west-1",
				display.Quote(s.value), s.from)}
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
