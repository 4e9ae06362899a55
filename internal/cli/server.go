package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/credserver"
	"github.com/assume-cli/assume/internal/display"
	"github.com/assume-cli/assume/internal/prompt"
	"github.com/assume-cli/assume/internal/provider"
	"github.com/assume-cli/assume/internal/render"
	"github.com/assume-cli/assume/internal/session"
)

// refreshMarginVar sets how long before expiry credentials are renewed, by the
// shell's prompt hook and by --server alike: seconds, or a duration (15m).
const refreshMarginVar = "ASSUME_REFRESH_MARGIN"

// Variables the child of --server must not get: any of them would win over
// the container endpoint in the SDKs' default chain, or point it elsewhere.
var serverChildUnset = []string{
	"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
	"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
	"AWS_WEB_IDENTITY_TOKEN_FILE",
	"AWS_ROLE_ARN",
	"AWS_ROLE_SESSION_NAME",
}

// runServer is `assume PROFILE --server -- COMMAND`: credentials got as an export gets them,
// served to COMMAND by a loopback endpoint that renews them.
func runServer(ctx context.Context, o *Options, d Deps) error {
	if !o.Exec {
		return usageErr("--server serves credentials to a command: add -- COMMAND, as in assume PROFILE --server -- terraform apply")
	}
	c, err := prepare(o, d, false)
	if err != nil {
		return err
	}
	return serveCommand(ctx, d, c.v.command, c.p, c.sopts, c.region, c.files)
}

// serveCommand is `assume PROFILE --server -- COMMAND`: COMMAND gets a
// loopback container-credentials endpoint that renews p's credentials from
// the cache before they expire, and lives exactly as long as COMMAND.
func serveCommand(ctx context.Context, d Deps, cmd *command, p *session.Profile, sopts provider.Options, region string, files *awsfile.Files) error {
	margin := credserver.DefaultMargin
	if v := d.Getenv(refreshMarginVar); v != "" {
		m, err := parseDuration(refreshMarginVar, v)
		if err != nil {
			return err
		}
		margin = m
	}
	// The first credentials are got before COMMAND starts, so a code is asked
	// for (or an error shown) while nothing else writes to the terminal.
	res, err := provider.Get(ctx, p, sopts)
	if err != nil {
		return err
	}
	creds := render.Credentials{Region: region, Profile: p.Name}
	if res.Credentials.CanExpire {
		creds.Expires = res.Credentials.Expires.UTC()
	}
	notice(d, p, res, creds, "")
	// A code given with -m served the start; at a renewal it would be stale.
	if sopts.Tokens != nil {
		sopts.Tokens.Code = ""
	}

	src := &renewingSource{profile: p, opts: sopts, first: &res.Credentials, canPrompt: d.Streams.CanPrompt}
	srv, err := credserver.Start(src, credserver.Options{
		Margin:       margin,
		Now:          d.Now,
		OnRenewError: onceEach(d),
	})
	if err != nil {
		return err
	}
	defer srv.Close()
	fmt.Fprintf(d.Streams.ErrOut, "assume: serving %s's credentials to %s on %s, renewed %s before they expire\n",
		display.Safe(p.Name), display.Safe(cmd.argv[0]), srv.URL(), session.AsTyped(margin))
	if defaultHasCredentials(files) {
		fmt.Fprintf(d.Streams.ErrOut, "assume: warning: profile \"default\" in your AWS files has credentials of its own, which the AWS CLI and SDKs use before the credential server\n")
	}
	env := render.Env{Unset: serverChildUnset, Set: []render.Var{
		{Name: "AWS_CONTAINER_CREDENTIALS_FULL_URI", Value: srv.URL()},
		{Name: "AWS_CONTAINER_AUTHORIZATION_TOKEN", Value: srv.Token()},
	}}
	for _, v := range render.EnvFor(creds).Set {
		// The region and the profile's name; never keys, and no expiry,
		// which renewal would make stale.
		switch v.Name {
		case "AWS_REGION", "AWS_DEFAULT_REGION", "ASSUME_PROFILE", "AWSUME_PROFILE":
			env.Set = append(env.Set, v)
		}
	}
	return runWithEnv(ctx, d, cmd, commandEnv(d.Environ(), env))
}

// renewingSource is the server's credentials: first the ones got at start,
// then, at each renewal, new ones from STS signed by the cached MFA session
// (asking for a code when that session is over, as assume always does).
type renewingSource struct {
	profile *session.Profile
	opts    provider.Options
	mu      sync.Mutex
	first   *aws.Credentials
	// canPrompt tells, at each renewal, whether a person can be asked for a
	// code; without a terminal the renewal fails at once and says what to run.
	canPrompt func() bool
}

func (s *renewingSource) Retrieve(ctx context.Context) (aws.Credentials, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.first != nil {
		c := *s.first
		s.first = nil
		return c, nil
	}
	o := s.opts
	o.Refresh = true
	if o.Tokens != nil {
		tokens := *o.Tokens
		if !s.canPrompt() {
			tokens.NonInteractive = true
		} else if tokens.Prompter != nil {
			tokens.Prompter = askingPrompter{Prompter: tokens.Prompter, ctx: ctx}
		}
		o.Tokens = &tokens
	}
	res, err := provider.Get(ctx, s.profile, o)
	return res.Credentials, err
}

// askingPrompter tells the server before it asks for anything, so that
// requests with valid credentials do not wait for the person.
type askingPrompter struct {
	prompt.Prompter
	ctx context.Context
}

func (p askingPrompter) Input(message, defaultValue string) (string, error) {
	credserver.AskingPerson(p.ctx)
	return p.Prompter.Input(message, defaultValue)
}

func (p askingPrompter) Secret(message string) (string, error) {
	credserver.AskingPerson(p.ctx)
	return p.Prompter.Secret(message)
}

// onceEach says each distinct renewal failure once on stderr, with what to do.
func onceEach(d Deps) func(error) {
	var mu sync.Mutex
	said := map[string]bool{}
	return func(err error) {
		msg := sentence(err.Error())
		mu.Lock()
		defer mu.Unlock()
		if said[msg] {
			return
		}
		said[msg] = true
		var needed *provider.CodeNeededError
		if errors.As(err, &needed) {
			msg = strings.TrimSuffix(msg, ".") + " (in another terminal: the next request then renews from that session)."
		}
		fmt.Fprintf(d.Streams.ErrOut, "\nassume: could not renew the credentials: %s\n", display.Safe(msg))
	}
}

// defaultHasCredentials reports whether the default profile gives
// credentials itself: the SDKs then never reach the container endpoint.
func defaultHasCredentials(files *awsfile.Files) bool {
	p, ok := files.Profile("default")
	if !ok {
		return false
	}
	for _, k := range []string{"aws_access_key_id", "role_arn", "credential_process", "sso_session", "sso_start_url", "web_identity_token_file", "credential_source"} {
		if p.Values[k] != "" {
			return true
		}
	}
	return false
}
