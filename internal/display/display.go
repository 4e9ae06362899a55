// Package display makes text from files, flags, the environment and servers safe to show to a
// person. A terminal obeys control characters and escape sequences: a profile name holding
// ESC [2J clears the screen, one holding a carriage return hides what came before it on the
// line, and a bidirectional override (U+202E) shows a name backwards. Every such character is
// written out visibly instead, the way Go spells it in a string literal (\x1b, \r, \u202e),
// so what a person reads names exactly the bytes there are.
package display

import (
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Safe returns s as it is when every character in it prints as itself, and otherwise with each
// character that does not (controls, C1 controls, format characters such as bidirectional
// overrides, separators other than the space, unassigned code points, and bytes that are not
// UTF-8) written as its escape. In that second case backslashes are doubled too, so that the
// result reads back unambiguously; names people write keep their look.
func Safe(s string) string {
	if printable(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(s[i])|0x100, 16)[1:])
		case r == '\\':
			b.WriteString(`\\`)
		case isPrint(r):
			b.WriteString(s[i : i+size])
		default:
			q := strconv.QuoteRuneToASCII(r) // '\x1b', '\u202e', '\n'
			b.WriteString(q[1 : len(q)-1])
		}
		i += size
	}
	return b.String()
}

// Quote returns s in double quotes with Go's escapes (as %q does): for error messages, where the
// quotes show where a name starts and ends.
func Quote(s string) string { return strconv.Quote(s) }

// Lines applies Safe to each of values, for tables and lists.
func Lines(values []string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = Safe(v)
	}
	return out
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '\\' {
			// The slow path decides: non-ASCII is mostly fine, and a backslash is
			// only doubled when something else needs escaping.
			return slowPrintable(s)
		}
	}
	return true
}

func slowPrintable(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || !isPrint(r) {
			return false
		}
		i += size
	}
	return true
}

// isPrint is unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
// Tabs, newlines, U+00A0 and U+2028 are not, so a value never breaks a line or a column.
func isPrint(r rune) bool { return unicode.IsPrint(r) }

// Writer returns a writer that passes what is written through Safe line by line, keeping the
// newlines: for progress messages built from values (set-up's log). Each write should hold
// whole lines; a character split across two writes is shown as its bytes.
func Writer(w io.Writer) io.Writer { return lineWriter{w} }

type lineWriter struct{ w io.Writer }

func (l lineWriter) Write(p []byte) (int, error) {
	lines := strings.Split(string(p), "\n")
	for i, line := range lines {
		lines[i] = Safe(line)
	}
	if _, err := io.WriteString(l.w, strings.Join(lines, "\n")); err != nil {
		return 0, err
	}
	return len(p), nil
}
