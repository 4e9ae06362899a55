package cli

import "strings"

// parseEveryday parses the command lines typed or completed all day without building kong's
// model (about a quarter of a millisecond of reflection, on every run): `assume PROFILE`,
// `assume --format F PROFILE`, `assume PROFILE --format F` (also --format=F), which the shell
// wrapper sends, and `--list-profiles`, which completion sends. ok is false for anything else,
// which kong then parses. For what it accepts, the result is exactly kong's (TestEverydayMatchesKong).
func parseEveryday(args []string) (o *Options, ok bool) {
	switch len(args) {
	case 1:
		if args[0] == "--list-profiles" {
			return &Options{ListProfiles: true}, true
		}
		if plain(args[0]) {
			return &Options{Profile: args[0]}, true
		}
	case 2:
		if f, ok := formatEquals(args[0]); ok && plain(args[1]) {
			return &Options{Profile: args[1], Format: f}, true
		}
		if f, ok := formatEquals(args[1]); ok && plain(args[0]) {
			return &Options{Profile: args[0], Format: f}, true
		}
	case 3:
		if args[0] == "--format" && plain(args[1]) && plain(args[2]) {
			return &Options{Profile: args[2], Format: args[1]}, true
		}
		if args[1] == "--format" && plain(args[0]) && plain(args[2]) {
			return &Options{Profile: args[0], Format: args[2]}, true
		}
	}
	return nil, false
}

// plain is an argument kong takes as a value whatever it holds: not empty, not flag-like.
func plain(s string) bool { return s != "" && s[0] != '-' }

// formatEquals reads --format=F.
func formatEquals(s string) (string, bool) {
	f, ok := strings.CutPrefix(s, "--format=")
	return f, ok && plain(f)
}
