package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/credcache"
	"github.com/assume-cli/assume/internal/display"
	"github.com/assume-cli/assume/internal/fastpath"
	"github.com/assume-cli/assume/internal/provider"
	"github.com/assume-cli/assume/internal/render"
	"github.com/assume-cli/assume/internal/session"
	"github.com/assume-cli/assume/internal/shelldetect"
	"github.com/assume-cli/assume/shell"
)

// Run carries out one invocation: it picks the mode the flags ask for (modes.go) and runs it. It
// writes to stdout only after success.
func Run(ctx context.Context, o *Options, d Deps) error {
	d = withDefaults(d)
	m, err := chooseMode(o)
	if err != nil {
		return err
	}
	return m.run(ctx, o, d)
}

// withDefaults fills what a test may leave out. The environment stays as given: nil is empty.
func withDefaults(d Deps) Deps {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Getenv == nil {
		d.Getenv = func(string) string { return "" }
	}
	if d.DetectShell == nil {
		getenv := d.Getenv
		d.DetectShell = func() string { return shelldetect.Detect(getenv) }
	}
	if d.ParentShell == nil {
		d.ParentShell = shelldetect.Parent
	}
	if d.Environ == nil {
		d.Environ = func() []string { return nil }
	}
	if d.Paths == (awsfile.Paths{}) {
		home, _ := os.UserHomeDir()
		d.Paths = awsfile.DefaultPaths(d.Getenv, home)
	}
	return d
}

func runVersion(_ context.Context, _ *Options, d Deps) error {
	_, err := fmt.Fprintf(d.Streams.Out, "assume %s\n", Version)
	return err
}

func runInit(_ context.Context, o *Options, d Deps) error {
	script, err := fastpath.InitScript(o.Init, o.AutoRefresh, d.Streams.IsStdoutPipe(), d.ParentShell)
	if err != nil {
		return usageErr("%v", err)
	}
	_, err = d.Streams.Out.Write(script)
	return err
}

func runUnset(_ context.Context, o *Options, d Deps) error {
	format, _, err := pickFormat(o.Format, d)
	if err != nil {
		return err
	}
	return render.Unset(d.Streams.Out, format)
}

// mfaCode is -m, else ASSUME_MFA_TOKEN.
func mfaCode(o *Options, d Deps) string {
	return cmp.Or(o.MFAToken, d.Getenv("ASSUME_MFA_TOKEN"))
}

// pickFormat is --format (given: explicit), else the calling shell's, else bash.
func pickFormat(given string, d Deps) (render.Format, bool, error) {
	f, explicit, err := shell.PickFormat(given, d.DetectShell)
	if err != nil {
		return "", true, usageErr("%v", err)
	}
	return f, explicit, nil
}

func cacheStore(d Deps) (*credcache.Store, error) {
	dir := d.CacheDir
	if dir == "" {
		var err error
		if dir, err = credcache.DefaultDir(d.Getenv); err != nil {
			return nil, err
		}
	}
	return withCacheNotices(&credcache.Store{Dir: dir}, d)
}

func clearCache(d Deps) error {
	store, err := cacheStore(d)
	if err != nil {
		return err
	}
	n, err := store.Clear()
	var link *credcache.FolderLinkError
	if errors.As(err, &link) {
		return fmt.Errorf("nothing was deleted: %v", err)
	}
	if err != nil {
		return fmt.Errorf("could not empty the cache folder %s: %v", store.Dir, err)
	}
	fmt.Fprintf(d.Streams.ErrOut, "assume: removed %d cached credential%s from %s\n", n, plural(n), display.Safe(store.Dir))
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// adHocRole is --role-arn: a role whose source is the named profile.
func adHocRole(src *session.Profile, o *exportOptions) *session.Profile {
	return &session.Profile{
		Name:            src.Name,
		Kind:            session.KindRole,
		RoleARN:         o.RoleARN,
		ExternalID:      o.ExternalID,
		RoleSessionName: o.SessionName,
		Source:          src,
		Values:          map[string]string{},
	}
}

// notice is the one line on stderr after success: never a secret.
func notice(d Deps, p *session.Profile, res provider.Result, c render.Credentials, wrote string) {
	fastpath.Notice(d.Streams.ErrOut, d.Now(), p.Name, res.How, res.FromCache, c, wrote)
}
