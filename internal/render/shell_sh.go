package render

import "bytes"

// shShell writes `export NAME='VALUE'` and `unset NAME` for any POSIX shell:
// dash (Debian's /bin/sh), busybox sh, ksh, mksh, and bash or zsh in sh mode.
// Unlike bash's format it never uses $'…', which dash and busybox read as a
// literal $ followed by a quoted string.
type shShell struct{}

func (shShell) export(b *bytes.Buffer, name, value string) error {
	b.WriteString("export ")
	b.WriteString(name)
	b.WriteByte('=')
	writeSingleQuoted(b, value)
	b.WriteByte('\n')
	return nil
}

func (shShell) unset(b *bytes.Buffer, name string) {
	b.WriteString("unset ")
	b.WriteString(name)
	b.WriteByte('\n')
}

// writeSingleQuoted quotes value as one word for a POSIX shell.
//
// Inside '…' POSIX gives no character a meaning but the closing quote
// (XCU 2.2.2): no expansion, no escape, no history, and a newline is part of
// the word, so a value with newlines spans lines and is still one word. A
// quote cannot appear inside, so each one is written as four characters:
// close the quote, a backslash-escaped quote outside it, open again. Every other byte, NUL excepted (no
// environment variable can hold it), stays as it is, so the value round-trips
// whatever the locale: the shells read quoted text byte by byte.
func writeSingleQuoted(b *bytes.Buffer, value string) {
	b.WriteByte('\'')
	for i := 0; i < len(value); i++ {
		if c := value[i]; c == '\'' {
			b.WriteString(`'\''`)
		} else {
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
}
