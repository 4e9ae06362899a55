package fastpath

import "strings"

// Everyday is one of the command lines typed, completed or run at shell start all day.
type Everyday struct {
	Profile      string
	Format       string
	ListProfiles bool
	Init         string
	AutoRefresh  bool
}

// ParseEveryday parses the everyday command lines without kong (whose model costs about a quarter
// of a millisecond of reflection, and whose package init every run would pay): `assume PROFILE`
// with or without `--format F` (also --format=F, before or after), which the shell wrapper sends;
// `--list-profiles`, which completion sends; and `--init SHELL` (also --init=SHELL) with or
// without `--auto-refresh`, which every new shell runs. ok is false for anything else. For what
// it accepts, the result is exactly kong's (internal/cli's TestEverydayMatchesKong).
func ParseEveryday(args []string) (cmd Everyday, ok bool) {
	if len(args) == 0 || len(args) > 3 {
		return Everyday{}, false
	}
	var format, init, profile, list, refresh int // how often each was given
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--list-profiles":
			cmd.ListProfiles, list = true, list+1
		case a == "--auto-refresh":
			cmd.AutoRefresh, refresh = true, refresh+1
		case a == "--format" || a == "--init":
			if i+1 == len(args) || !plain(args[i+1]) {
				return Everyday{}, false
			}
			i++
			if a == "--format" {
				cmd.Format, format = args[i], format+1
			} else {
				cmd.Init, init = args[i], init+1
			}
		case strings.HasPrefix(a, "--format="):
			v := strings.TrimPrefix(a, "--format=")
			if !plain(v) {
				return Everyday{}, false
			}
			cmd.Format, format = v, format+1
		case strings.HasPrefix(a, "--init="):
			v := strings.TrimPrefix(a, "--init=")
			if !plain(v) {
				return Everyday{}, false
			}
			cmd.Init, init = v, init+1
		case plain(a):
			cmd.Profile, profile = a, profile+1
		default:
			return Everyday{}, false
		}
	}
	switch {
	case list == 1 && len(args) == 1:
		return cmd, true
	case profile == 1 && format <= 1 && init+refresh+list == 0:
		return cmd, true
	case init == 1 && refresh <= 1 && profile+format+list == 0:
		return cmd, true
	}
	return Everyday{}, false
}

// plain is an argument kong takes as a value whatever it holds: not empty, not flag-like.
func plain(s string) bool { return s != "" && s[0] != '-' }
