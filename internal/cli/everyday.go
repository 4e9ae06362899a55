package cli

import "github.com/assume-cli/assume/internal/fastpath"

// parseEveryday is fastpath.ParseEveryday as Options: the everyday command lines skip kong's
// model in the full program too. ok is false for anything else, which kong then parses.
func parseEveryday(args []string) (o *Options, ok bool) {
	cmd, ok := fastpath.ParseEveryday(args)
	if !ok {
		return nil, false
	}
	return &Options{Profile: cmd.Profile, Format: cmd.Format, ListProfiles: cmd.ListProfiles, Init: cmd.Init, AutoRefresh: cmd.AutoRefresh}, true
}
