package fastpath

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/assume-cli/assume/internal/display"
	"github.com/assume-cli/assume/internal/render"
	"github.com/assume-cli/assume/internal/session"
)

// Notice writes the one line on stderr after success, never a secret: the profile, how its
// credentials were got, when they expire, their region, and the credentials-file section they
// were written to (wrote, when not empty).
func Notice(w io.Writer, now time.Time, profile, how string, fromCache bool, c render.Credentials, wrote string) {
	var b strings.Builder
	fmt.Fprintf(&b, "assume: %s (%s)", display.Safe(profile), display.Safe(how))
	if fromCache {
		b.WriteString(", cached")
	}
	if !c.Expires.IsZero() {
		left := c.Expires.Sub(now).Round(time.Minute)
		fmt.Fprintf(&b, ", expires %s (in %s)", c.Expires.Local().Format("15:04 MST"), session.ShortDuration(left))
	}
	if c.Region != "" {
		fmt.Fprintf(&b, ", region %s", display.Safe(c.Region))
	}
	if wrote != "" {
		fmt.Fprintf(&b, ", written to [%s]", display.Safe(wrote))
	}
	b.WriteString("\n")
	fmt.Fprint(w, b.String())
}
