// Package cli is assume's command line: the options struct kong fills, and
// Run, which tests call directly with test streams.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/alecthomas/kong"

	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/display"
	"github.com/assume-cli/assume/internal/iostreams"
	"github.com/assume-cli/assume/internal/prompt"
	"github.com/assume-cli/assume/internal/session"
)

// Version is set at build time (-ldflags "-X …cli.Version=…").
var Version = "dev"

// Options is the whole command line (docs/cli.md). Flags are flat so that no
// profile name can collide with a command word. Which flags go with which
// mode is in modes (modes.go); every flag names itself with a name tag, which
// that table uses.
type Options struct {
	Profile string `arg:"" optional:"" help:"Profile from your AWS config or credentials file (a picker on the terminal when omitted)."`

	MFAToken        string `short:"m" name:"mfa-token" placeholder:"CODE" help:"The 6-digit MFA code ($ASSUME_MFA_TOKEN)."`
	MFAProcess      string `name:"mfa-process" placeholder:"CMD" help:"Command whose stdout holds the MFA code (overrides the profile's mfa_process)."`
	Format          string `name:"format" placeholder:"F" help:"Output: bash, zsh, fish, powershell (pwsh), sh (any POSIX shell: dash, ksh, busybox sh), dotenv, json, credential-process. Default: the calling shell."`
	Duration        string `short:"d" name:"duration" placeholder:"D" help:"Lifetime of the credentials handed out (1h, 90m, 3600)."`
	SessionDuration string `name:"session-duration" placeholder:"D" help:"Lifetime of the cached MFA session (default 12h, at most 36h)."`
	Region          string `short:"r" name:"region" placeholder:"R" help:"Region to export and to call STS in."`
	RoleARN         string `name:"role-arn" placeholder:"ARN" help:"Assume this role with PROFILE as the source."`
	ExternalID      string `name:"external-id" placeholder:"ID" help:"External ID for --role-arn."`
	SessionName     string `name:"session-name" placeholder:"NAME" help:"Role session name for --role-arn or the profile's role."`
	NoSession       bool   `name:"no-session" help:"For a role with MFA, call AssumeRole with the code straight from the long-term keys."`
	Refresh         bool   `name:"refresh" help:"Ignore cached credentials for this profile and ask STS again."`
	Unset           bool   `short:"u" name:"unset" help:"Print the statements that clear every variable assume sets or removes."`
	List            bool   `short:"l" name:"list" help:"Show a table of profiles."`
	ListProfiles    bool   `name:"list-profiles" hidden:"" help:"Profile names only, one a line (for completion)."`
	Init            string `name:"init" placeholder:"SHELL" help:"Print the shell integration for bash, zsh, fish or powershell."`
	WriteProfile    string `name:"write-profile" placeholder:"NAME" help:"Also write the credentials to the shared credentials file under [NAME]."`
	ClearCache      bool   `name:"clear-cache" help:"Delete every cached session and role credential."`
	Version         bool   `name:"version" help:"Print the version."`

	// Credentials that never go stale: see server.go and shell/autorefresh.*.
	Server         bool `name:"server" help:"With -- COMMAND: serve renewing credentials to COMMAND over a local container-credentials endpoint instead of key variables."`
	NonInteractive bool `name:"non-interactive" help:"Never ask for anything: fail with one line when an MFA code (or a profile choice) would be needed."`
	AutoRefresh    bool `name:"auto-refresh" help:"With --init: renew the exported credentials at the prompt before they expire (margin: ASSUME_REFRESH_MARGIN)."`

	SetupOptions   `embed:""`
	ConsoleOptions `embed:""`
	KeyringOptions `embed:""`

	// Command is what follows "--": run it with the credentials instead of printing them.
	Command []string `kong:"-"`
	// Exec is true when "--" was given, even with nothing after it.
	Exec bool `kong:"-"`
}

// Deps are what Run needs from the world; tests replace them. The process
// environment comes in here only: nothing below cli reads os.Getenv, except
// DetectShell's default ($SHELL) and the AWS SDK's own providers for SSO, web
// identity and credential_process, which read the variables the SDK documents.
type Deps struct {
	Streams  *iostreams.IOStreams
	Prompter prompt.Prompter
	// Getenv reads one variable; nil: an empty environment.
	Getenv func(string) string
	// Environ is the whole environment, for a command run with -- COMMAND;
	// nil: an empty one.
	Environ func() []string
	Now     func() time.Time
	// HTTPClient for STS; nil: the SDK's.
	HTTPClient *http.Client
	// Paths are the AWS config and credentials files; zero: the AWS CLI's
	// defaults for Getenv (awsfile.DefaultPaths) and the home folder.
	Paths awsfile.Paths
	// CacheDir; empty: the user cache folder (credcache.DefaultDir).
	CacheDir string
	// DetectShell names the calling shell: the parent process, else $SHELL.
	DetectShell func() string
	// ParentShell names the shell that is the parent process, "" when it is none.
	ParentShell func() string
	// Browser opens the console sign-in URL; nil: $BROWSER, else the system's opener.
	Browser Browser
}

// Exit codes (docs/cli.md).
const (
	ExitOK      = 0
	ExitFailure = 1
	ExitUsage   = 2
)

// ExitError carries an exit code; its message (if any) is the one sentence on stderr.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return ""
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

func usageErr(format string, a ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, a...)}
}

// ExitCode maps an error from Parse or Run to the process exit code.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	var ue *session.UsageError
	if errors.As(err, &ue) {
		return ExitUsage
	}
	return ExitFailure
}

// NewParser builds the kong parser for opts. Help and version go to out.
func NewParser(opts *Options, out io.Writer, exit func(int)) (*kong.Kong, error) {
	return kong.New(opts,
		kong.Name("assume"),
		kong.Description("Export AWS credentials for a profile, with MFA and cached sessions.\n\nUse through the shell integration: eval \"$(assume --init bash)\" in ~/.bashrc, then `assume PROFILE`.\nRun a command instead: assume PROFILE -- COMMAND [ARG...]"),
		kong.Writers(out, io.Discard),
		kong.Exit(exit),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true, NoExpandSubcommands: true}),
	)
}

// Parse fills Options from args (without the program name). Everything after
// the first "--" is the command to run.
func Parse(args []string, out io.Writer) (*Options, error) {
	opts := &Options{}
	for i, a := range args {
		if a == "--" {
			opts.Exec, opts.Command = true, append([]string(nil), args[i+1:]...)
			args = args[:i]
			break
		}
	}
	helped := false
	parser, err := NewParser(opts, out, func(int) { helped = true })
	if err != nil {
		return nil, err
	}
	_, err = parser.Parse(args)
	if helped {
		return nil, &ExitError{Code: ExitOK}
	}
	if err != nil {
		if name := profileWordTyped(err, args); name != "" {
			return nil, usageErr("the profile is named %s, without the word profile (the config file's [profile %s] header): run assume %s", name, name, name)
		}
		return nil, usageErr("%s; see assume --help", strings.TrimSuffix(err.Error(), "."))
	}
	return opts, nil
}

// profileWordTyped returns X when the command line was "assume profile X …", the config
// file's header typed as two words, which kong reports as X being unexpected; "" otherwise.
func profileWordTyped(err error, args []string) string {
	for i := 1; i < len(args); i++ {
		if args[i-1] == "profile" && err.Error() == "unexpected argument "+args[i] {
			return args[i]
		}
	}
	return ""
}

// parseDuration accepts Go durations (1h, 90m, 1h30m) and plain seconds.
func parseDuration(flag, s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	if n, err := strconv.Atoi(s); err == nil {
		if n <= 0 {
			return 0, usageErr("%s %s must be positive", flag, s)
		}
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, usageErr("%s %q is not a duration: use forms like 1h, 90m or 3600", flag, s)
	}
	return d, nil
}

// Main parses os.Args, runs, prints an error as one line on stderr, and returns the exit code.
func Main(ctx context.Context, args []string, deps Deps) int {
	opts, ok := parseEveryday(args)
	var err error
	if !ok {
		opts, err = Parse(args, deps.Streams.Out)
	}
	if err == nil {
		err = Run(ctx, opts, deps)
	}
	if err != nil && err.Error() != "" {
		fmt.Fprintf(deps.Streams.ErrOut, "assume: %s\n", sentence(err.Error()))
	}
	return ExitCode(err)
}

// sentence makes an error message one line that ends with a full stop, with any control
// character from a name or a server's answer made visible.
func sentence(s string) string {
	s = display.Safe(strings.Join(strings.Fields(s), " "))
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") {
		s += "."
	}
	return s
}

// SystemDeps are the real process's dependencies.
func SystemDeps() Deps {
	streams := iostreams.System()
	home, _ := os.UserHomeDir()
	return Deps{
		Streams:  streams,
		Prompter: prompt.Terminal(streams),
		Getenv:   os.Getenv,
		Environ:  os.Environ,
		Now:      time.Now,
		Paths:    awsfile.DefaultPaths(os.Getenv, home),
	}
}
