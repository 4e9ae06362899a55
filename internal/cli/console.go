package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/assume-cli/assume/internal/console"
	"github.com/assume-cli/assume/internal/deadline"
	"github.com/assume-cli/assume/internal/display"
	"github.com/assume-cli/assume/internal/provider"
	"github.com/assume-cli/assume/internal/session"
)

// ConsoleOptions are the flags of the console sign-in (README "The AWS console").
type ConsoleOptions struct {
	Console    bool   `short:"c" name:"console" help:"Open the AWS console in the browser, signed in with PROFILE's credentials ($BROWSER, else the system's opener). Prints nothing on stdout."`
	ConsoleURL bool   `name:"console-url" help:"Print the console sign-in URL instead of opening it. The URL is a credential for 15 minutes: whoever has it is signed in."`
	Service    string `short:"s" name:"service" placeholder:"NAME" help:"With --console: the service console to land on (s3, ec2, cloudformation, …) or a console path (/s3/buckets)."`
	SignOut    bool   `name:"sign-out" help:"With --console: sign the browser out of its current console session first, to switch accounts."`
}

// Browser opens the console sign-in URL.
type Browser interface {
	Open(ctx context.Context, url string) error
}

// runConsole is --console and --console-url: credentials got exactly as an export gets them
// (validate, resolve, the same session options), then turned into a console sign-in.
func runConsole(ctx context.Context, o *Options, d Deps) error {
	c, err := prepare(o, d, true)
	if err != nil {
		return err
	}
	return deliverConsole(ctx, o, d, c.p, c.region, c.v.duration, c.sopts)
}

// deliverConsole is the last step of `assume PROFILE --console`: p is
// resolved and sopts are the options an export would get its credentials
// with. Role credentials (cached as for an export) sign in directly; an IAM
// user's long-term keys through GetFederationToken; an IAM user with MFA gets
// the account's sign-in page, since AWS signs no MFA session in to the console.
func deliverConsole(ctx context.Context, o *Options, d Deps, p *session.Profile, region string, duration time.Duration, sopts provider.Options) error {
	// The destination is checked before any call.
	if _, err := console.Destination(console.PartitionOf(p.RoleARN, region), region, o.Service); err != nil {
		return usageErr("%v", err)
	}
	switch {
	case p.Kind == session.KindMFAUser:
		return consoleSigninPage(ctx, o, d, p)
	case p.Kind == session.KindStatic && p.SessionToken == "":
		return consoleFederated(ctx, o, d, p, region, duration, sopts.Limits)
	}
	res, err := provider.Get(ctx, p, sopts)
	if err != nil {
		return err
	}
	c := res.Credentials
	if c.SessionToken == "" {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("profile %q gives long-term keys, and the console signs in only with temporary credentials; use a role profile, or a profile with the keys themselves (assume then calls GetFederationToken)", p.Name)}
	}
	s := signIn{
		profile: p.Name, how: res.How, cached: res.FromCache, region: region, timeout: sopts.Limits.NetworkOrDefault(),
		partition: console.PartitionOf(p.RoleARN, region),
		creds:     console.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken},
	}
	if c.CanExpire {
		s.until = c.Expires
	}
	// SessionDuration is sent only with credentials known to come from a
	// role, and never with GetFederationToken ones, which AWS then refuses.
	switch p.Kind {
	case session.KindRole, session.KindSSO, session.KindWebIdentity:
		if c.CanExpire {
			s.sessionDuration = console.SessionDuration(c.Expires.Sub(d.Now()), res.Chained)
			s.until = d.Now().Add(s.sessionDuration)
		}
	}
	return s.run(ctx, o, d)
}

// consoleFederated signs an IAM user in with GetFederationToken, signed by the
// profile's long-term keys, with a policy that passes the user's own
// permissions through.
func consoleFederated(ctx context.Context, o *Options, d Deps, p *session.Profile, region string, duration time.Duration, limits deadline.Limits) error {
	if duration != 0 && (duration < console.MinFederationDuration || duration > console.MaxFederationDuration) {
		return usageErr("--duration %s is outside GetFederationToken's limits for profile %q: use 15m to 36h", o.Duration, p.Name)
	}
	keys := credentials.NewStaticCredentialsProvider(p.AccessKeyID, p.SecretAccessKey, "")
	client, err := provider.NewSTSClient(ctx, keys, region, provider.Endpoint(d.Getenv, p), d.HTTPClient, limits.Network)
	if err != nil {
		return err
	}
	fed, err := console.FederationToken(ctx, client, duration)
	if err != nil {
		return fmt.Errorf("profile %q: %w", p.Name, err)
	}
	s := signIn{
		profile: p.Name, how: "federation token of the IAM user's keys", region: region, timeout: limits.NetworkOrDefault(),
		partition: console.PartitionOf(fed.ARN, region),
		creds:     fed.Credentials,
		until:     fed.Expires,
	}
	return s.run(ctx, o, d)
}

// consoleSigninPage sends an IAM user with MFA to the account's sign-in page:
// AWS refuses MFA session (GetSessionToken) credentials at the federation
// endpoint, and GetFederationToken takes no MFA code, so there is no STS call
// that signs such a user in without weakening MFA.
func consoleSigninPage(ctx context.Context, o *Options, d Deps, p *session.Profile) error {
	part := console.PartitionOf(p.MFASerial, "")
	page := console.AccountSigninPage(part, console.AccountOf(p.MFASerial))
	fmt.Fprintf(d.Streams.ErrOut, "assume: %s is an IAM user with MFA, and AWS signs no MFA session in to the console (GetFederationToken would skip MFA), so this is your account's sign-in page; a role profile (role_arn with source_profile = %s) signs in with one click.\n", display.Safe(p.Name), display.Safe(p.Name))
	if o.SignOut {
		endpoint, err := console.Endpoint(d.Getenv, part)
		if err != nil {
			return usageErr("%v", err)
		}
		if page, err = console.SignOutFirst(endpoint, page); err != nil {
			return err
		}
	}
	if o.ConsoleURL {
		_, err := fmt.Fprintln(d.Streams.Out, page)
		return err
	}
	return openURL(ctx, d, page)
}

// signIn turns credentials into a login URL and opens or prints it.
type signIn struct {
	profile, how    string
	cached          bool
	region          string
	partition       console.Partition
	creds           console.Credentials
	sessionDuration time.Duration // zero: not sent
	until           time.Time     // when the console session ends, if known
	timeout         time.Duration // of the getSigninToken call
}

func (s signIn) run(ctx context.Context, o *Options, d Deps) error {
	endpoint, err := console.Endpoint(d.Getenv, s.partition)
	if err != nil {
		return usageErr("%v", err)
	}
	dest, err := console.Destination(s.partition, s.region, o.Service)
	if err != nil {
		return usageErr("%v", err)
	}
	token, err := (&console.Client{Endpoint: endpoint, HTTP: d.HTTPClient, Timeout: s.timeout}).SigninToken(ctx, s.creds, s.sessionDuration)
	if errors.Is(err, console.ErrRefused) {
		return fmt.Errorf("profile %q: %v; it signs in role credentials (AssumeRole, SSO, web identity) and federation tokens only, not MFA session credentials; try again with --refresh, or use a role profile", s.profile, err)
	}
	if err != nil {
		return fmt.Errorf("profile %q: %v", s.profile, err)
	}
	url := console.LoginURL(endpoint, "https://"+s.partition.ConsoleHost+"/", dest, token)
	if o.SignOut {
		if url, err = console.SignOutFirst(endpoint, url); err != nil {
			return err
		}
	}
	if o.ConsoleURL {
		if _, err := fmt.Fprintln(d.Streams.Out, url); err != nil {
			return err
		}
		s.notice(d, "printed a console sign-in URL: anyone who has it is signed in for the next 15 minutes, so keep it out of logs and chats")
		return nil
	}
	if err := openURL(ctx, d, url); err != nil {
		return err
	}
	s.notice(d, "opened the AWS console in your browser")
	return nil
}

func openURL(ctx context.Context, d Deps, url string) error {
	b := d.Browser
	if b == nil {
		sb := console.SystemBrowser{Getenv: d.Getenv}
		if f, ok := d.Streams.ErrOut.(*os.File); ok {
			sb.Output = f
		}
		b = sb
	}
	if err := b.Open(ctx, url); err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	return nil
}

// notice is the one line on stderr after success: what was done, and until when.
func (s signIn) notice(d Deps, did string) {
	var b strings.Builder
	fmt.Fprintf(&b, "assume: %s (%s", display.Safe(s.profile), display.Safe(s.how))
	if s.cached {
		b.WriteString(", cached")
	}
	fmt.Fprintf(&b, "): %s", did)
	if !s.until.IsZero() {
		left := s.until.Sub(d.Now()).Round(time.Minute)
		fmt.Fprintf(&b, "; the console session lasts until %s (in %s)", s.until.Local().Format("15:04 MST"), session.ShortDuration(left))
	}
	if s.region != "" {
		fmt.Fprintf(&b, ", region %s", display.Safe(s.region))
	}
	b.WriteString("\n")
	fmt.Fprint(d.Streams.ErrOut, b.String())
}
