package provider

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/assume-cli/assume/internal/session"
)

// ExpiryMargin: credentials that expire within it are refused from every
// source, as good as expired: a clock a little off from AWS's, or the
// command that runs next, would find them dead.
const ExpiryMargin = time.Minute

// skewHint is how far this computer's clock may be from AWS's before assume
// blames it (a TOTP code lives 30 seconds).
const skewHint = 30 * time.Second

// usable reports whether c may be handed out at now.
func usable(c aws.Credentials, now time.Time) bool {
	return !c.CanExpire || c.Expires.After(now.Add(ExpiryMargin))
}

// ExpiredError: a source handed out credentials that are expired, or expire
// within ExpiryMargin.
type ExpiredError struct {
	What    string // "STS GetSessionToken", "its credential_process"
	Expires time.Time
	Now     time.Time
	// ClockSkew is how far this computer's clock is from the server's Date
	// header, when known.
	ClockSkew time.Duration
	// Advice replaces the general advice when the clock is not to blame.
	Advice string
}

func (e *ExpiredError) Error() string {
	when := "expired at"
	if e.Expires.After(e.Now) {
		when = "expire within a minute, at"
	}
	msg := fmt.Sprintf("%s returned credentials that %s %s", e.What, when, e.Expires.UTC().Format(time.RFC3339))
	if skew := e.ClockSkew.Round(time.Second); skew > skewHint || skew < -skewHint {
		side := "ahead of"
		if skew < 0 {
			side = "behind"
		}
		return msg + fmt.Sprintf(", because this computer's clock is %s %s AWS's (by the Date of its answer); sync the clock and try again", skewText(absDuration(skew)), side)
	}
	if e.Advice != "" {
		return msg + "; " + e.Advice
	}
	return msg + fmt.Sprintf(" (this computer's clock says %s); try again, and if it persists check the clock and the endpoint settings", e.Now.UTC().Format(time.RFC3339))
}

// skewText is a clock difference as a person reads it: 45s, 3m, 227146h.
func skewText(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%ds", int64(d/time.Second))
	}
	return session.ShortDuration(d)
}
