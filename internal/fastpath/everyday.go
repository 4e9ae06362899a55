package fastpath

import "strings"

// Everyday is one of the command lines typed or completed all day.
type Everyday struct {
	Profile      string
	Format       string
	ListProfiles bool
}

// ParseEveryday parses the everyday command lines without kong (whose model costs about a quarter
// of a millisecond of reflection, and whose package init every run would pay): `assume PROFILE`,
// `assume --format F PROFILE`, `assume PROFILE --format F` (also --format=F), which the shell
// wrapper sends, and `--list-profiles`, which completion sends. ok is false for anything else.
// For what it accepts, the result is exactly kong's (internal/cli's TestEverydayMatchesKong).
func ParseEveryday(args []string) (cmd Everyday, ok bool) {
	switch len(args) {
	case 1:
		if args[0] == "--list-profiles" {
			return Everyday{ListProfiles: true}, true
		}
		if plain(args[0]) {
			return Everyday{Profile: args[0]}, true
		}
	case 2:
		if f, ok := formatEquals(args[0]); ok && plain(args[1]) {
			return Everyday{Profile: args[1], Format: f}, true
		}
		if f, ok := formatEquals(args[1]); ok && plain(args[0]) {
			return Everyday{Profile: args[0], Format: f}, true
		}
	case 3:
		if args[0] == "--format" && plain(args[1]) && plain(args[2]) {
			return Everyday{Profile: args[2], Format: args[1]}, true
		}
		if args[1] == "--format" && plain(args[0]) && plain(args[2]) {
			return Everyday{Profile: args[0], Format: args[2]}, true
		}
	}
	return Everyday{}, false
}

// plain is an argument kong takes as a value whatever it holds: not empty, not flag-like.
func plain(s string) bool { return s != "" && s[0] != '-' }

// formatEquals reads --format=F.
func formatEquals(s string) (string, bool) {
	f, ok := strings.CutPrefix(s, "--format=")
	return f, ok && plain(f)
}
