package render

import "bytes"

// bashShell writes `export NAME=VALUE` and `unset NAME`.
type bashShell struct{}

func (bashShell) export(b *bytes.Buffer, name, value string) error {
	b.WriteString("export ")
	b.WriteString(name)
	b.WriteByte('=')
	writePOSIXWord(b, value)
	b.WriteByte('\n')
	return nil
}

func (bashShell) unset(b *bytes.Buffer, name string) {
	b.WriteString("unset ")
	b.WriteString(name)
	b.WriteByte('\n')
}

// writePOSIXWord quotes value as one word for bash and zsh.
//
// A plain value goes in single quotes, where nothing is special. Anything
// else becomes an ANSI-C string $'…': printable ASCII stays as it is except
// \ and ', written \\ and \'; every other byte (controls, DEL, and all bytes
// from 0x80 up, so invalid UTF-8 too) becomes \xHH with exactly two hex
// digits. bash and zsh read at most two hex digits after \x (checked against
// bash 5.2 and zsh 5.9: $'\x41B' is "AB", $'\x4142' is "A42"), so a hex
// digit that follows can never extend the escape. \x produces the raw byte
// whatever the locale, so every byte round-trips; the output is pure ASCII.
// No statement spans lines: a newline in the value is \x0a.
func writePOSIXWord(b *bytes.Buffer, value string) {
	if isPlain(value) {
		b.WriteByte('\'')
		b.WriteString(value)
		b.WriteByte('\'')
		return
	}
	b.WriteString("$'")
	for i := 0; i < len(value); i++ {
		c := value[i]
		switch {
		case c == '\\' || c == '\'':
			b.WriteByte('\\')
			b.WriteByte(c)
		case 0x20 <= c && c < 0x7f:
			b.WriteByte(c)
		default:
			b.WriteString(`\x`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xf])
		}
	}
	b.WriteByte('\'')
}
