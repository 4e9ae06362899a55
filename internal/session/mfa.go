package session

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"github.com/assume-cli/assume/internal/iostreams"
	"github.com/assume-cli/assume/internal/prompt"
)

// ValidateCode checks that an MFA code is six digits, before any STS call.
func ValidateCode(code string) error {
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return &UsageError{Msg: "the MFA code must be the 6 digits your MFA device shows now"}
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
	Profile  string    // named in the prompt and in errors
	Stderr   io.Writer // where mfa_process's own messages go
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
			code := m.Code
			// A TOTP code is good for one STS call; a second call in the same
			// run must not resend it.
			m.Code = ""
			return code, nil
		}
		if m.NonInteractive {
			return "", &CodeNeededError{Profile: m.Profile}
		}
		if cmd := firstNonEmpty(m.Process, profileProcess); cmd != "" {
			return m.run(ctx, cmd)
		}
		return m.ask(serial)
	}
}

func (m *MFACodes) run(ctx context.Context, command string) (string, error) {
	var c *exec.Cmd
	if runtime.GOOS == "windows" {
		c = exec.CommandContext(ctx, "cmd", "/C", command)
	} else {
		c = exec.CommandContext(ctx, "/bin/sh", "-c", command)
	}
	var out bytes.Buffer
	c.Stdout = &out
	c.Stderr = m.Stderr // e.g. "Touch your YubiKey" must reach the person
	c.Stdin = os.Stdin
	if err := c.Run(); err != nil {
		return "", fmt.Errorf("the mfa_process command for profile %q failed (%v); run it yourself to see why, or pass the code with -m", m.Profile, err)
	}
	// Take the last six-digit word: tools print "AWS:alice  123456".
	fields := strings.Fields(out.String())
	for i := len(fields) - 1; i >= 0; i-- {
		if ValidateCode(fields[i]) == nil {
			return fields[i], nil
		}
	}
	return "", fmt.Errorf("the mfa_process command for profile %q printed no 6-digit code on stdout; check that it prints only the code", m.Profile)
}

func (m *MFACodes) ask(serial string) (string, error) {
	if m.Prompter == nil {
		return "", m.noTerminal()
	}
	msg := fmt.Sprintf("MFA code for %s (%s):", m.Profile, serial)
	for attempt := 0; attempt < 3; attempt++ {
		code, err := m.Prompter.Input(msg, "")
		if errors.Is(err, iostreams.ErrNoTerminal) {
			return "", m.noTerminal()
		}
		if err != nil {
			return "", err
		}
		code = strings.TrimSpace(code)
		if ValidateCode(code) == nil {
			return code, nil
		}
		msg = fmt.Sprintf("That was not 6 digits. MFA code for %s (%s):", m.Profile, serial)
	}
	return "", &UsageError{Msg: "the MFA code must be the 6 digits your MFA device shows now"}
}

func (m *MFACodes) noTerminal() error {
	return fmt.Errorf("profile %q needs an MFA code and there is no terminal to ask on; pass it with -m CODE or ASSUME_MFA_TOKEN, or set mfa_process in the profile", m.Profile)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
