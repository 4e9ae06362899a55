package provider

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/assume-cli/assume/internal/deadline"
	"github.com/assume-cli/assume/internal/mfa"
	"github.com/assume-cli/assume/internal/prompt"
	"github.com/assume-cli/assume/internal/session"
)

// ValidateCode checks a code given with -m or ASSUME_MFA_TOKEN against the
// one rule (mfa.Parse), before any STS call; a code that breaks it is a
// usage error.
func ValidateCode(code string) error {
	if _, err := mfa.Parse(code); err != nil {
		return &session.UsageError{Msg: err.Error()}
	}
	return nil
}

// MFACodes supplies MFA codes, trying in order: the code given (-m or
// ASSUME_MFA_TOKEN), a command (--mfa-process, else the profile's
// mfa_process), then a prompt on the terminal.
type MFACodes struct {
	Code     string // already validated
	Process  string // --mfa-process; overrides ProfileProcess
	Prompter prompt.Prompter
	Profile  string // named in the prompt and in errors
	// Stdin and Stderr are mfa_process's own: it may prompt, or say
	// "Touch your YubiKey"; nil: none.
	Stdin  io.Reader
	Stderr io.Writer
	// Timeout is mfa_process's deadline; zero: deadline.DefaultProcess.
	Timeout time.Duration
	// NonInteractive (--non-interactive): only Code may serve; no command runs
	// and nobody is asked, so a renewal from a prompt hook or a credential
	// server never waits for a person.
	NonInteractive bool
}

// CodeNeededError: an MFA code is needed and NonInteractive forbids getting one.
type CodeNeededError struct{ Profile string }

func (e *CodeNeededError) Error() string {
	return fmt.Sprintf("the MFA session for profile %q is over (or none is cached) and a new code is needed; run `assume %s` to enter one", e.Profile, e.Profile)
}

// For returns the TokenFunc for a profile with the given mfa_process.
func (m *MFACodes) For(profileProcess string) TokenFunc {
	return func(ctx context.Context, serial string) (string, error) {
		if m.Code != "" {
			code, err := mfa.Parse(m.Code)
			// A TOTP code is good for one STS call; a second call in the same
			// run must not resend it.
			m.Code = ""
			if err != nil {
				return "", &session.UsageError{Msg: err.Error()}
			}
			return code, nil
		}
		if m.NonInteractive {
			return "", &CodeNeededError{Profile: m.Profile}
		}
		if m.Process != "" {
			return m.run(ctx, m.Process, "the --mfa-process command")
		}
		if profileProcess != "" {
			return m.run(ctx, profileProcess, fmt.Sprintf("the mfa_process command for profile %q", m.Profile))
		}
		return m.ask(serial)
	}
}

func (m *MFACodes) run(ctx context.Context, command, what string) (string, error) {
	return mfa.Process{
		Command: command, What: what,
		Timeout: deadline.Limits{Process: m.Timeout}.ProcessOrDefault(), TimeoutVar: deadline.ProcessVar,
		Stdin: m.Stdin, Stderr: m.Stderr,
	}.Code(ctx)
}

func (m *MFACodes) ask(serial string) (string, error) {
	code, err := mfa.Ask(m.Prompter, fmt.Sprintf("MFA code for %s (%s):", m.Profile, serial), 3, nil)
	switch {
	case errors.Is(err, mfa.ErrNoTerminal):
		return "", fmt.Errorf("profile %q needs an MFA code and there is no terminal to ask on; pass it with -m CODE or ASSUME_MFA_TOKEN, or set mfa_process in the profile", m.Profile)
	case errors.Is(err, mfa.ErrNotACode):
		return "", &session.UsageError{Msg: err.Error()}
	}
	return code, err
}
