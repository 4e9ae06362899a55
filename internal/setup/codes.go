package setup

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/assume-cli/assume/internal/mfa"
	"github.com/assume-cli/assume/internal/prompt"
	"github.com/assume-cli/assume/internal/session"
)

// totpStep is the period of the codes every virtual MFA app shows (RFC 6238's default).
const totpStep = 30 * time.Second

// codes hands out MFA codes from, in order: the code given with -m (once), a command (--mfa-process or the
// profile's mfa_process), or the person at the terminal. A code is never handed out twice, since AWS accepts each
// code only once.
type codes struct {
	given    string
	process  func(ctx context.Context) (string, error)
	prompter prompt.Prompter // nil: nobody to ask
	now      func() time.Time
	sleep    func(ctx context.Context, d time.Duration) error
	notify   func(format string, a ...any)
	used     map[string]bool
	// lastWindow is the TOTP window (Unix time / 30 s) in which the command last gave a code; a command shows a
	// new code only in a later window.
	lastWindow int64
}

// errNoCodeSource: no -m, no command and no terminal.
var errNoCodeSource = errors.New("no MFA code source")

func (c *codes) available() bool { return c.given != "" || c.process != nil || c.prompter != nil }

// canPair reports whether two consecutive codes of a new device can be had: -m gives only one, and it was chosen
// before the device existed.
func (c *codes) canPair() bool { return c.process != nil || c.prompter != nil }

// pair returns two consecutive codes for EnableMFADevice. A command is run, then run again once the next 30-second
// window has begun; the person is asked for the code shown now and for the one after it.
func (c *codes) pair(ctx context.Context, device string) (string, string, error) {
	if c.process != nil {
		first, err := c.freshFromProcess(ctx)
		if err != nil {
			return "", "", err
		}
		c.used[first] = true
		second, err := c.freshFromProcess(ctx)
		if err != nil {
			return "", "", err
		}
		c.used[second] = true
		return first, second, nil
	}
	if c.prompter == nil {
		return "", "", errNoCodeSource
	}
	first, err := c.ask(fmt.Sprintf("Code shown by the app now for %s:", device))
	if err != nil {
		return "", "", err
	}
	c.used[first] = true
	second, err := c.ask("Wait until the app shows the next code, and type it:")
	if err != nil {
		return "", "", err
	}
	c.used[second] = true
	return first, second, nil
}

// fresh returns a code that was not used yet in this run.
func (c *codes) fresh(ctx context.Context, device string) (string, error) {
	if c.given != "" {
		code, err := mfa.Parse(c.given)
		c.given = ""
		if err != nil {
			return "", &session.UsageError{Msg: err.Error()}
		}
		if !c.used[code] {
			c.used[code] = true
			return code, nil
		}
	}
	if c.process != nil {
		code, err := c.freshFromProcess(ctx)
		if err == nil {
			c.used[code] = true
		}
		return code, err
	}
	if c.prompter == nil {
		return "", errNoCodeSource
	}
	code, err := c.ask(fmt.Sprintf("A new code from %s, to check that it all works:", device))
	if err == nil {
		c.used[code] = true
	}
	return code, err
}

// freshFromProcess runs the command once a window has begun in which it has not given a code yet, and when it
// still repeats a used code (its clock may differ from ours), waits for the next window and runs it again.
func (c *codes) freshFromProcess(ctx context.Context) (string, error) {
	for attempt := 0; attempt < 3; attempt++ {
		if window(c.now()) <= c.lastWindow {
			c.notify("waiting for the next MFA code (up to 30 seconds)")
			if err := c.sleep(ctx, untilNextWindow(c.now())); err != nil {
				return "", err
			}
		}
		code, err := c.fromProcess(ctx)
		if err != nil {
			return "", err
		}
		c.lastWindow = window(c.now())
		if !c.used[code] {
			return code, nil
		}
	}
	return "", errors.New("the --mfa-process command printed the same code for over a minute; check that it prints the current code of the right device")
}

func (c *codes) fromProcess(ctx context.Context) (string, error) {
	out, err := c.process(ctx)
	if err != nil {
		return "", err
	}
	code, ok := mfa.FromOutput([]byte(out))
	if !ok {
		return "", errors.New("the --mfa-process command printed no 6-digit code on stdout; check that it prints only the code")
	}
	return code, nil
}

// ask prompts until the answer is a code (mfa.Parse's rule) that was not used before.
func (c *codes) ask(message string) (string, error) {
	code, err := mfa.Ask(c.prompter, message, 5, func(code string) string {
		if c.used[code] {
			return "That code was used already; wait for the next one"
		}
		return ""
	})
	if errors.Is(err, mfa.ErrNotACode) {
		return "", &session.UsageError{Msg: "the MFA code must be the 6 digits the app shows now"}
	}
	return code, err
}

// window is the number of the TOTP window that holds t.
func window(t time.Time) int64 { return t.Unix() / int64(totpStep/time.Second) }

// untilNextWindow is how long until the next 30-second TOTP window begins, plus a second for clocks that differ a
// little.
func untilNextWindow(now time.Time) time.Duration {
	step := int64(totpStep / time.Second)
	next := time.Unix((now.Unix()/step+1)*step, 0)
	return next.Sub(now) + time.Second
}

// sleepContext waits for d or until ctx ends.
func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
