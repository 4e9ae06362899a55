package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/deadline"
	"github.com/assume-cli/assume/internal/display"
	"github.com/assume-cli/assume/internal/fastpath"
	"github.com/assume-cli/assume/internal/provider"
	"github.com/assume-cli/assume/internal/render"
	"github.com/assume-cli/assume/internal/session"
)

// exportOptions are the flags of the two modes that get credentials: an export (`assume PROFILE`,
// printed for the shell to evaluate) and `assume PROFILE -- COMMAND` (run with them).
type exportOptions struct {
	Profile         string
	Code            string // -m, else ASSUME_MFA_TOKEN
	MFAProcess      string
	Format          string // export only
	Duration        string
	SessionDuration string
	Region          string
	RoleARN         string
	ExternalID      string
	SessionName     string
	NoSession       bool
	Refresh         bool
	NonInteractive  bool   // --non-interactive: no prompt, no mfa_process, no picker
	Keyring         string // --keyring, else ASSUME_KEYRING: for profiles whose keyring is "auto"
	WriteProfile    string
	// Exec is true for -- COMMAND; Command is what follows it.
	Exec    bool
	Command []string
	// NoOutput is true for the modes that print no statements (the console): no format is
	// chosen and a terminal on stdout needs no wrapper.
	NoOutput bool
}

func newExportOptions(o *Options, d Deps) *exportOptions {
	return &exportOptions{
		Profile: o.Profile, Code: mfaCode(o, d), MFAProcess: o.MFAProcess, Format: o.Format,
		Duration: o.Duration, SessionDuration: o.SessionDuration, Region: o.Region,
		RoleARN: o.RoleARN, ExternalID: o.ExternalID, SessionName: o.SessionName,
		NoSession: o.NoSession, Refresh: o.Refresh, NonInteractive: o.NonInteractive, Keyring: keyringChoice(o, d), WriteProfile: o.WriteProfile,
		Exec: o.Exec, Command: o.Command,
	}
}

// runExport is the run function of both modes.
func runExport(ctx context.Context, o *Options, d Deps) error {
	return export(ctx, newExportOptions(o, d), d)
}

// export gets credentials in four steps: validate what can be checked without a file or a
// network call, resolve the profile from the files, get credentials (cache or STS), and deliver
// them (print, write, or run the command).
func export(ctx context.Context, o *exportOptions, d Deps) error {
	v, err := validateExport(o, d)
	if err != nil {
		return err
	}
	p, _, err := resolveExport(o, d)
	if err != nil {
		return err
	}
	res, creds, err := getCredentials(ctx, o, v, p, d)
	if err != nil {
		return err
	}
	return deliver(ctx, o, v, p, res, creds, d)
}

// validExport is what validateExport settled.
type validExport struct {
	format          render.Format
	explicit        bool // --format was given
	duration        time.Duration
	sessionDuration time.Duration
	limits          deadline.Limits // ASSUME_TIMEOUT, ASSUME_PROCESS_TIMEOUT
	command         *command        // what follows "--", found on PATH
}

// validateExport checks everything that needs no file and no network call.
func validateExport(o *exportOptions, d Deps) (validExport, error) {
	var v validExport
	var err error
	if o.Code != "" {
		if err := provider.ValidateCode(o.Code); err != nil {
			return v, err
		}
	}
	if err := checkWrittenName("--write-profile", o.WriteProfile); err != nil {
		return v, err
	}
	if v.limits, err = deadline.FromEnv(d.Getenv); err != nil {
		return v, usageErr("%v", err)
	}
	if v.duration, err = parseDuration("--duration", o.Duration); err != nil {
		return v, err
	}
	if v.sessionDuration, err = parseDuration("--session-duration", o.SessionDuration); err != nil {
		return v, err
	}
	if o.Exec {
		if v.command, err = findCommand(o.Command, d); err != nil {
			return v, err
		}
	}
	if o.ExternalID != "" && o.RoleARN == "" {
		return v, usageErr("--external-id goes with --role-arn")
	}
	if o.Exec || o.NoOutput {
		return v, nil
	}
	if v.format, v.explicit, err = pickFormat(o.Format, d); err != nil {
		return v, err
	}
	if !v.explicit && d.Streams.IsStdoutTTY() && o.WriteProfile == "" {
		return v, guidance(o.Profile, v.format, d)
	}
	return v, nil
}

// resolveExport finds the profile (asking with the picker when none was named) and applies
// --role-arn and --session-name to it; it also hands back the files it read.
func resolveExport(o *exportOptions, d Deps) (*session.Profile, *awsfile.Files, error) {
	files, err := awsfile.Load(d.Paths)
	if err != nil {
		return nil, nil, err
	}
	name := o.Profile
	if name == "" && o.NonInteractive {
		return nil, nil, usageErr("--non-interactive needs a PROFILE: there is no picker without asking")
	}
	if name == "" {
		if name, err = pick(files, d); err != nil {
			return nil, nil, err
		}
	}
	p, err := session.Resolve(files, name)
	var unknown *session.UnknownProfileError
	if errors.As(err, &unknown) {
		return nil, nil, unknownProfile(unknown.Name, files.Names())
	}
	if err != nil {
		return nil, nil, err
	}
	if o.RoleARN != "" {
		return adHocRole(p, o), files, nil
	}
	if o.SessionName != "" {
		if p.Kind != session.KindRole {
			return nil, nil, usageErr("--session-name applies to roles, and profile %q is not one; add --role-arn", p.Name)
		}
		p.RoleSessionName = o.SessionName
	}
	return p, files, nil
}

// prepared is what a mode that uses credentials (the console, the server) has once the
// export's first steps ran: the checked options, the resolved profile (and the files it came from), and how to get its
// credentials.
type prepared struct {
	v      validExport
	p      *session.Profile
	sopts  provider.Options
	region string
	files  *awsfile.Files // as read by the resolve step
}

// prepare runs an export's validate and resolve steps and builds its session options, so that
// other modes get credentials exactly as an export does. noOutput: the mode prints no
// statements (no format, no terminal check).
func prepare(o *Options, d Deps, noOutput bool) (*prepared, error) {
	eo := newExportOptions(o, d)
	eo.NoOutput = noOutput
	v, err := validateExport(eo, d)
	if err != nil {
		return nil, err
	}
	p, files, err := resolveExport(eo, d)
	if err != nil {
		return nil, err
	}
	sopts, region, err := sessionOptions(eo, v, p, d)
	if err != nil {
		return nil, err
	}
	return &prepared{v: v, p: p, sopts: sopts, region: region, files: files}, nil
}

// getCredentials gets p's credentials from the cache or STS.
func getCredentials(ctx context.Context, o *exportOptions, v validExport, p *session.Profile, d Deps) (provider.Result, render.Credentials, error) {
	sopts, region, err := sessionOptions(o, v, p, d)
	if err != nil {
		return provider.Result{}, render.Credentials{}, err
	}
	res, err := provider.Get(ctx, p, sopts)
	if err != nil {
		return provider.Result{}, render.Credentials{}, err
	}
	creds := fastpath.RenderCredentials(provider.SessionCredentials(res.Credentials), region, p.Name)
	return res, creds, nil
}

// sessionOptions is how credentials for p are got (the cache, the MFA code's sources, the
// deadlines), the same for every mode that uses them, and the region they are for.
func sessionOptions(o *exportOptions, v validExport, p *session.Profile, d Deps) (provider.Options, string, error) {
	region, err := fastpath.Region(o.Region, p, d.Getenv)
	if err != nil {
		return provider.Options{}, "", err
	}
	store, err := cacheStore(d)
	if err != nil {
		return provider.Options{}, "", err
	}
	return provider.Options{
		PlanOptions: session.PlanOptions{
			Duration: v.duration, SessionDuration: v.sessionDuration, NoSession: o.NoSession, Refresh: o.Refresh,
			Getenv: d.Getenv,
		},
		Clients: provider.NewClientFactory(region, provider.Endpoint(d.Getenv, p), d.HTTPClient),
		Cache:   store,
		Tokens: &provider.MFACodes{
			Code: o.Code, Process: o.MFAProcess, Prompter: d.Prompter,
			Profile: p.Name, Stdin: os.Stdin, Stderr: d.Streams.ErrOut, Timeout: v.limits.Process,
			NonInteractive: o.NonInteractive,
		},
		Now:         d.Now,
		SDKProvider: provider.SDKProvider(d.Paths.Config, d.Paths.Credentials, v.limits),
		Keyring:     keyringReader{chosen: o.Keyring, d: d},
		Limits:      v.limits,
		OnCacheError: func(err error) {
			fmt.Fprintf(d.Streams.ErrOut, "assume: warning: could not cache the credentials (%s); the next run will ask STS again\n", display.Safe(err.Error()))
		},
	}, region, nil
}

// deliver writes --write-profile, then runs the command or prints the export statements, and
// says on stderr what was done.
func deliver(ctx context.Context, o *exportOptions, v validExport, p *session.Profile, res provider.Result, creds render.Credentials, d Deps) error {
	if o.WriteProfile != "" {
		if err := writeProfile(d, d.Paths, o.WriteProfile, creds); err != nil {
			return err
		}
	}
	if o.Exec {
		notice(d, p, res, creds, "")
		if v.command.subshell {
			fmt.Fprintf(d.Streams.ErrOut, "assume: opening %s with %s's credentials; exit it to return\n", display.Safe(v.command.argv[0]), display.Safe(p.Name))
		}
		return runCommand(ctx, d, v.command, creds)
	}
	// With --write-profile and no --format, a terminal gets the notice only.
	if v.explicit || !d.Streams.IsStdoutTTY() {
		if err := render.Export(d.Streams.Out, v.format, creds); err != nil {
			return err
		}
	}
	notice(d, p, res, creds, o.WriteProfile)
	return nil
}
