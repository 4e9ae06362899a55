package cli

import (
	"slices"
	"testing"
)

// TestModeTableNamesRealFlags: every flag the table names is a flag of Options, so a typo there
// cannot silently refuse a flag.
func TestModeTableNamesRealFlags(t *testing.T) {
	t.Parallel()
	known := []string{commandArg}
	for _, f := range optionFields() {
		known = append(known, f.name)
	}
	for _, m := range modes {
		for _, f := range append([]string{m.selector}, m.flags...) {
			if f != "" && !slices.Contains(known, f) {
				t.Errorf("mode %q names %q, which is not a flag of Options", m.selector, f)
			}
		}
	}
	if m := modes[len(modes)-1]; m.selector != "" {
		t.Errorf("the last mode is %q; it must be the default (export), with no selector", m.selector)
	}
}
