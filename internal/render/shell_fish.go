package render

import "bytes"

// fishShell writes `set -gx NAME VALUE;` and
// `if set -q -g NAME; set -e -g NAME; end;`. The trailing semicolon keeps the
// statements apart when `eval (assume …)` joins the lines of the command
// substitution with spaces. A bare `set -e` of an absent variable has status
// 4, which would fail `assume … | source; and aws …`; the guarded form ends
// with status 0.
type fishShell struct{}

func (fishShell) export(b *bytes.Buffer, name, value string) error {
	b.WriteString("set -gx ")
	b.WriteString(name)
	b.WriteByte(' ')
	writeFishWord(b, value)
	b.WriteString(";\n")
	return nil
}

func (fishShell) unset(b *bytes.Buffer, name string) {
	b.WriteString("if set -q -g ")
	b.WriteString(name)
	b.WriteString("; set -e -g ")
	b.WriteString(name)
	b.WriteString("; end;\n")
}

// writeFishWord quotes value as one fish word.
//
// Printable ASCII goes inside '…', where fish knows only two escapes, \\ and
// \'. Every other byte is written outside the quotes as \xHH (the quote is
// closed before and reopened after), so newlines never appear raw. In fish
// (checked with 3.6) \xHH is a byte literal: values up to 0x7f are the ASCII
// character and values from 0x80 up are kept as that exact byte, which fish
// turns back into the same byte when it exports the variable. That holds for
// invalid UTF-8 too, and it sidesteps fish's own decoding of non-ASCII input
// (which depends on the locale and on fish's private-use encoding of bytes),
// so every byte except NUL round-trips and the output is pure ASCII. \x takes
// at most two hex digits, and what follows is always a quote, a backslash or
// the end of the word, so no escape can run on.
func writeFishWord(b *bytes.Buffer, value string) {
	if value == "" {
		b.WriteString("''")
		return
	}
	quoted := false
	for i := 0; i < len(value); i++ {
		c := value[i]
		if 0x20 <= c && c < 0x7f {
			if !quoted {
				b.WriteByte('\'')
				quoted = true
			}
			if c == '\\' || c == '\'' {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
			continue
		}
		if quoted {
			b.WriteByte('\'')
			quoted = false
		}
		b.WriteString(`\x`)
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&0xf])
	}
	if quoted {
		b.WriteByte('\'')
	}
}
