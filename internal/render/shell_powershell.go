package render

import (
	"bytes"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// powerShell writes `$env:NAME = VALUE;` and `$env:NAME = $null;` (assigning
// $null removes an environment variable, without the error record that
// Remove-Item leaves in $Error when the variable is absent). The semicolon
// keeps statements apart should a caller join the lines with spaces, as
// `Invoke-Expression (assume …)` does.
type powerShell struct{}

func (powerShell) export(b *bytes.Buffer, name, value string) error {
	if !utf8.ValidString(value) {
		return fmt.Errorf("render: the value of %s is not valid UTF-8, which a PowerShell string cannot hold", name)
	}
	b.WriteString("$env:")
	b.WriteString(name)
	b.WriteString(" = ")
	writePowerShellExpr(b, value)
	b.WriteString(";\n")
	return nil
}

func (powerShell) unset(b *bytes.Buffer, name string) {
	b.WriteString("$env:")
	b.WriteString(name)
	b.WriteString(" = $null;\n")
}

// writePowerShellExpr writes value, which must be valid UTF-8, as a
// PowerShell string expression. (An empty value becomes an empty string, which
// PowerShell may take as removing the variable; no credential is empty.)
//
// Printable ASCII goes in single quotes, which PowerShell takes verbatim ($,
// backtick, " and \ mean nothing there); a ' is doubled. PowerShell also ends
// a single-quoted string on the typographic quotes U+2018, U+2019, U+201A and
// U+201B (about_Quoting_Rules), and it decodes a native command's output with
// the console's code page, which is often not UTF-8 on Windows. So no
// non-ASCII character is written raw: each one, like each control character
// (CR and LF included, as the wrapper reads the output line by line), is
// concatenated as [char]0xHHHH, one per UTF-16 code unit (a surrogate pair
// for characters beyond the BMP). The output is pure ASCII, and no
// typographic quote can end up inside the quotes. The expression always
// starts with a string, so that + concatenates rather than adds char codes:
// 'ab' + [char]0x000A + 'cd'; a value that starts with a control character
// starts with an empty string literal.
func writePowerShellExpr(b *bytes.Buffer, value string) {
	if value == "" {
		b.WriteString("''")
		return
	}
	quoted := false
	first := true
	for _, r := range value {
		if 0x20 <= r && r < 0x7f {
			if !quoted {
				if !first {
					b.WriteString(" + ")
				}
				b.WriteByte('\'')
				quoted = true
			}
			if r == '\'' {
				b.WriteByte('\'')
			}
			b.WriteRune(r)
			first = false
			continue
		}
		if quoted {
			b.WriteByte('\'')
			quoted = false
		} else if first {
			b.WriteString("''")
		}
		units := []rune{r}
		if r >= 0x10000 {
			hi, lo := utf16.EncodeRune(r)
			units = []rune{hi, lo}
		}
		for _, u := range units {
			fmt.Fprintf(b, " + [char]0x%04X", u)
		}
		first = false
	}
	if quoted {
		b.WriteByte('\'')
	}
}
