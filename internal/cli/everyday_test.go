package cli

import (
	"io"
	"reflect"
	"strings"
	"testing"
)

// TestEverydayMatchesKong: for every command line the fast parser takes, kong gives exactly the
// same Options; the others are left to kong. The argv are every sequence of up to three words
// from a pool of profiles, flags and values, so near misses (a flag-like profile, a missing
// value, an empty one) are covered as well as the everyday forms.
func TestEverydayMatchesKong(t *testing.T) {
	t.Parallel()
	pool := []string{"prod", "acct-0001-admin", "--format", "bash", "--format=fish", "--format=", "-x", "--", "",
		"--list-profiles", "-l", "p=q", "ümlaut", "--format=-d", "--formats",
		"--init", "zsh", "--init=fish", "--auto-refresh", "--init="}
	var argvs [][]string
	var grow func(prefix []string)
	grow = func(prefix []string) {
		argvs = append(argvs, prefix)
		if len(prefix) == 3 {
			return
		}
		for _, w := range pool {
			grow(append(append([]string(nil), prefix...), w))
		}
	}
	grow(nil)

	taken := 0
	for _, argv := range argvs {
		fast, ok := parseEveryday(argv)
		if !ok {
			continue
		}
		taken++
		slow, err := Parse(argv, io.Discard)
		if err != nil {
			t.Errorf("%q: the fast parser took it, kong says %v", argv, err)
			continue
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Errorf("%q: fast %+v, kong %+v", argv, *fast, *slow)
		}
	}
	for _, want := range [][]string{{"prod"}, {"--format", "bash", "prod"}, {"prod", "--format", "bash"}, {"--format=fish", "prod"}, {"prod", "--format=fish"}, {"--list-profiles"},
		{"--init", "bash"}, {"--init=zsh"}, {"--init", "fish", "--auto-refresh"}, {"--auto-refresh", "--init=powershell"}} {
		if _, ok := parseEveryday(want); !ok {
			t.Errorf("%q is an everyday form the fast parser left to kong", strings.Join(want, " "))
		}
	}
	if taken < 20 {
		t.Errorf("the fast parser took only %d of %d command lines", taken, len(argvs))
	}
}
