package cli

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/assume-cli/assume/internal/deadline"
	"github.com/assume-cli/assume/internal/display"
	"github.com/assume-cli/assume/internal/mfa"
	"github.com/assume-cli/assume/internal/provider"
	"github.com/assume-cli/assume/internal/setup"
)

// SetupOptions are the flags of `assume --setup PROFILE`. Each answers one question of the guided set-up, so the
// whole flow also runs without a terminal. The secret access key has no flag of its own: a flag's value would
// land in the shell's history and in the process list.
type SetupOptions struct {
	Setup         bool   `name:"setup" help:"Guided set-up of PROFILE: access keys, region and the MFA device."`
	QRFile        string `name:"qr-file" placeholder:"F" help:"With --setup, also save a new MFA device's QR code as a PNG (mode 0600)."`
	AccessKeyID   string `name:"access-key-id" placeholder:"ID" help:"With --setup, the IAM user's access key ID; its secret comes from --secret-stdin, ASSUME_SECRET_ACCESS_KEY or a hidden prompt."`
	SecretStdin   bool   `name:"secret-stdin" help:"With --setup, read the secret access key from the first line of stdin."`
	MFASerial     string `name:"mfa-serial" placeholder:"ARN" help:"With --setup, use this MFA device instead of looking for one or creating one."`
	MFADeviceName string `name:"mfa-device-name" placeholder:"NAME" help:"With --setup, the name of a new virtual MFA device (default: the IAM user's name)."`
	SeedFile      string `name:"seed-file" placeholder:"F" help:"With --setup, save a new MFA device's Base32 secret to F (mode 0600), e.g. for --mfa-process 'oathtool --totp -b \"$(cat F)\"'."`
}

// secretEnv holds the secret access key for a set-up without a terminal.
const secretEnv = "ASSUME_SECRET_ACCESS_KEY"

// runSetup is --setup; modes has checked its flags.
func runSetup(ctx context.Context, o *Options, d Deps) error {
	if err := checkWrittenName("--setup", o.Profile); err != nil {
		return err
	}
	code := mfaCode(o, d)
	if code != "" {
		if err := provider.ValidateCode(code); err != nil {
			return err
		}
	}
	limits, err := deadline.FromEnv(d.Getenv)
	if err != nil {
		return usageErr("%v", err)
	}
	secret, err := setupSecret(o, d)
	if err != nil {
		return err
	}

	// An interrupt must not leave a half-made MFA device behind: the flow sees the cancelled context and cleans up.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()

	keyring, err := keyringForSetup(o, d)
	if err != nil {
		return err
	}
	env := setup.Env{
		Keyring: keyring,
		Clients: setup.NewClients(d.Getenv, d.HTTPClient),
		Store:   setup.FileStore{Paths: d.Paths},
		Log:     display.Writer(d.Streams.ErrOut),
		RunProcess: func(ctx context.Context, profile, command string) (string, error) {
			return mfa.Process{Command: command, What: fmt.Sprintf("the mfa_process command for profile %q", profile),
				Timeout: limits.ProcessOrDefault(), TimeoutVar: deadline.ProcessVar,
				Stdin: os.Stdin, Stderr: d.Streams.ErrOut}.Code(ctx)
		},
		Now:           d.Now,
		DefaultRegion: cmp.Or(d.Getenv("AWS_REGION"), d.Getenv("AWS_DEFAULT_REGION")),
	}
	if d.Prompter != nil && d.Streams.CanPrompt() {
		env.Prompter = d.Prompter
		env.Screen = terminalWriter{d}
	}
	_, err = setup.Run(ctx, setup.Options{
		Profile:         o.Profile,
		AccessKeyID:     o.AccessKeyID,
		SecretAccessKey: secret,
		Region:          o.Region,
		MFASerial:       o.MFASerial,
		DeviceName:      o.MFADeviceName,
		QRFile:          o.QRFile,
		SeedFile:        o.SeedFile,
		Code:            code,
		MFAProcess:      o.MFAProcess,
		Keyring:         keyringChoice(o, d) != "",
	}, env)
	var stopped *setup.StoppedError
	if errors.As(err, &stopped) {
		fmt.Fprintf(d.Streams.ErrOut, "assume: %s\n", sentence(stopped.Error()))
		return nil
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return errors.New("interrupted")
	}
	return err
}

// setupSecret reads the secret access key from stdin (--secret-stdin) or ASSUME_SECRET_ACCESS_KEY; empty: ask.
func setupSecret(o *Options, d Deps) (string, error) {
	if !o.SecretStdin {
		return strings.TrimSpace(d.Getenv(secretEnv)), nil
	}
	if d.Streams.IsStdinTTY() {
		return "", usageErr("--secret-stdin reads a pipe, not the terminal: leave it out to be asked for the secret without echo")
	}
	line, err := bufio.NewReader(d.Streams.In).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the secret access key from stdin: %v", err)
	}
	secret := strings.TrimSpace(line)
	if secret == "" {
		return "", usageErr("--secret-stdin found no secret access key on stdin: pipe it in, as in `printf '%%s\\n' \"$SECRET\" | assume --setup PROFILE --access-key-id ID --secret-stdin`")
	}
	return secret, nil
}

// terminalWriter writes to the terminal that prompts use (/dev/tty), never to stdout or a redirected stderr: it
// carries the MFA secret.
type terminalWriter struct{ d Deps }

func (w terminalWriter) Write(p []byte) (int, error) {
	t, err := w.d.Streams.Terminal()
	if err != nil {
		return 0, err
	}
	defer t.Close()
	return t.Out.Write(p)
}
