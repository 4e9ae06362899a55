package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/credcache"
	"github.com/assume-cli/assume/internal/render"
	"github.com/assume-cli/assume/internal/session"
	"github.com/assume-cli/assume/internal/shelldetect"
	"github.com/assume-cli/assume/shell"
)

// Run carries out one invocation. It writes to stdout only after success.
func Run(ctx context.Context, o *Options, d Deps) error {
	d = withDefaults(d)
	out := d.Streams.Out

	switch {
	case o.Version:
		_, err := fmt.Fprintf(out, "assume %s\n", Version)
		return err
	case o.Init != "":
		script, err := shell.Init(o.Init)
		if err != nil {
			return usageErr("%v", err)
		}
		_, err = out.Write(script)
		return err
	case o.ListProfiles:
		return listProfileNames(o, d)
	case o.ClearCache:
		return clearCache(d)
	case o.ToKeyring || o.ToFile:
		return runKeyringMove(ctx, o, d)
	case o.Setup || o.setupOnlyFlag() != "":
		return runSetup(ctx, o, d)
	}

	format, explicit, err := pickFormat(o, d)
	if err != nil {
		return err
	}
	if o.Unset {
		return render.Unset(out, format)
	}
	if o.List {
		return listTable(d)
	}
	return export(ctx, o, d, format, explicit)
}

func withDefaults(d Deps) Deps {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.DetectShell == nil {
		d.DetectShell = shelldetect.Detect
	}
	return d
}

func pickFormat(o *Options, d Deps) (render.Format, bool, error) {
	if o.Format != "" {
		f, err := render.ParseFormat(o.Format)
		if err != nil {
			return "", true, usageErr("%v", err)
		}
		return f, true, nil
	}
	f, err := render.ParseFormat(d.DetectShell())
	if err != nil {
		f = render.Bash
	}
	return f, false, nil
}

func paths(Deps) awsfile.Paths { return awsfile.DefaultPaths() }

func cacheStore(d Deps) (*credcache.Store, error) {
	dir := d.CacheDir
	if dir == "" {
		var err error
		if dir, err = credcache.DefaultDir(); err != nil {
			return nil, err
		}
	}
	return &credcache.Store{Dir: dir}, nil
}

func clearCache(d Deps) error {
	store, err := cacheStore(d)
	if err != nil {
		return err
	}
	n, err := store.Clear()
	if err != nil {
		return fmt.Errorf("could not empty the cache folder %s: %v", store.Dir, err)
	}
	fmt.Fprintf(d.Streams.ErrOut, "assume: removed %d cached credential%s from %s\n", n, plural(n), store.Dir)
	return nil
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// lookup adapts the loaded files to session.Lookup.
type lookup struct{ files *awsfile.Files }

func (l lookup) Profile(name string) (map[string]string, bool) {
	p, ok := l.files.Profile(name)
	return p.Values, ok
}

func export(ctx context.Context, o *Options, d Deps, format render.Format, explicit bool) error {
	// Everything that can be checked without a network call is checked first.
	if o.MFAToken != "" {
		if err := session.ValidateCode(o.MFAToken); err != nil {
			return err
		}
	}
	duration, err := parseDuration("--duration", o.Duration)
	if err != nil {
		return err
	}
	sessionDuration, err := parseDuration("--session-duration", o.SessionDuration)
	if err != nil {
		return err
	}
	if o.Exec && len(o.Command) == 0 {
		return usageErr("nothing to run after --: give a command, as in assume PROFILE -- aws sts get-caller-identity")
	}
	if (o.ExternalID != "") && o.RoleARN == "" {
		return usageErr("--external-id goes with --role-arn")
	}
	printing := !o.Exec
	if printing && !explicit && d.Streams.IsStdoutTTY() && o.WriteProfile == "" {
		return guidance(o, format)
	}
	if o.Exec && o.Format != "" {
		return usageErr("--format has no effect with -- COMMAND; drop one of them")
	}

	pth := paths(d)
	files, err := awsfile.Load(pth)
	if err != nil {
		return err
	}
	name := o.Profile
	if name == "" {
		if name, err = pick(files, d); err != nil {
			return err
		}
	}
	p, err := session.Resolve(lookup{files}, name)
	var unknown *session.UnknownProfileError
	if errors.As(err, &unknown) {
		return unknownProfile(unknown.Name, files.Names())
	}
	if err != nil {
		return err
	}
	if o.RoleARN != "" {
		p = adHocRole(p, o)
	} else if o.SessionName != "" {
		if p.Kind != session.KindRole {
			return usageErr("--session-name applies to roles, and profile %q is not one; add --role-arn", p.Name)
		}
		p.RoleSessionName = o.SessionName
	}

	region := firstNonEmpty(o.Region, p.RegionOrSource(), d.Getenv("AWS_REGION"), d.Getenv("AWS_DEFAULT_REGION"))
	store, err := cacheStore(d)
	if err != nil {
		return err
	}
	res, err := session.Get(ctx, p, session.Options{
		Duration:        duration,
		SessionDuration: sessionDuration,
		NoSession:       o.NoSession,
		Refresh:         o.Refresh,
		Clients:         session.NewClientFactory(region, session.Endpoint(p), d.HTTPClient),
		Cache:           store,
		Tokens: &session.MFACodes{
			Code: o.MFAToken, Process: o.MFAProcess, Prompter: d.Prompter,
			Profile: p.Name, Stderr: d.Streams.ErrOut,
		},
		Now:         d.Now,
		Getenv:      d.Getenv,
		SDKProvider: session.SDKProvider(pth.Config, pth.Credentials),
		Keyring:     keyringReader{o, d},
		OnCacheError: func(err error) {
			fmt.Fprintf(d.Streams.ErrOut, "assume: warning: could not cache the credentials (%v); the next run will ask STS again\n", err)
		},
	})
	if err != nil {
		return err
	}
	creds := render.Credentials{
		AccessKeyID:     res.Credentials.AccessKeyID,
		SecretAccessKey: res.Credentials.SecretAccessKey,
		SessionToken:    res.Credentials.SessionToken,
		Region:          region,
		Profile:         p.Name,
	}
	if res.Credentials.CanExpire {
		creds.Expires = res.Credentials.Expires.UTC()
	}
	if o.WriteProfile != "" {
		if err := writeProfile(pth.Credentials, o.WriteProfile, creds); err != nil {
			return err
		}
	}
	if o.Exec {
		notice(d, p, res, creds, "")
		return runCommand(ctx, d, o.Command, creds)
	}
	if printing && (explicit || !d.Streams.IsStdoutTTY()) {
		if err := render.Export(d.Streams.Out, format, creds); err != nil {
			return err
		}
	}
	notice(d, p, res, creds, o.WriteProfile)
	return nil
}

// adHocRole is --role-arn: a role whose source is the named profile.
func adHocRole(src *session.Profile, o *Options) *session.Profile {
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

// guidance is the answer when credentials would land on a terminal.
func guidance(o *Options, f render.Format) error {
	name := o.Profile
	if name == "" {
		name = "PROFILE"
	}
	var how string
	switch f {
	case render.Fish:
		how = fmt.Sprintf("add `assume --init fish | source` to ~/.config/fish/config.fish and run `assume %s`, or run `assume %s | source`", name, name)
	case render.PowerShell:
		how = fmt.Sprintf("add `assume --init powershell | Out-String | Invoke-Expression` to your $PROFILE and run `assume %s`, or run `assume %s | Invoke-Expression`", name, name)
	default:
		how = fmt.Sprintf("add `eval \"$(assume --init %s)\"` to your shell's rc file and run `assume %s`, or run `eval \"$(assume %s)\"`", f, name, name)
	}
	return &ExitError{Code: ExitFailure, Err: fmt.Errorf("credentials are not printed to a terminal: %s (or pass --format to print them anyway)", how)}
}

// notice is the one line on stderr after success: never a secret.
func notice(d Deps, p *session.Profile, res session.Result, c render.Credentials, wrote string) {
	var b strings.Builder
	fmt.Fprintf(&b, "assume: %s (%s)", p.Name, res.How)
	if res.FromCache {
		b.WriteString(", cached")
	}
	if !c.Expires.IsZero() {
		left := c.Expires.Sub(d.Now()).Round(time.Minute)
		fmt.Fprintf(&b, ", expires %s (in %s)", c.Expires.Local().Format("15:04 MST"), session.ShortDuration(left))
	}
	if c.Region != "" {
		fmt.Fprintf(&b, ", region %s", c.Region)
	}
	if wrote != "" {
		fmt.Fprintf(&b, ", written to [%s]", wrote)
	}
	b.WriteString("\n")
	fmt.Fprint(d.Streams.ErrOut, b.String())
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
