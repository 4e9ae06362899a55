package render

import "bytes"

// dotenvFile writes NAME=VALUE lines. A dotenv file can only assign, so
// unset writes nothing.
type dotenvFile struct{}

func (dotenvFile) export(b *bytes.Buffer, name, value string) error {
	b.WriteString(name)
	b.WriteByte('=')
	writeDotenvValue(b, value)
	b.WriteByte('\n')
	return nil
}

func (dotenvFile) unset(*bytes.Buffer, string) {}

// writeDotenvValue writes a plain value as it is and anything else in double
// quotes, escaping \ " $ newline and CR as \\ \" \$ \n \r.
//
// There is no dotenv standard; this is the common ground of the usual
// readers. godotenv and Docker Compose decode all five escapes exactly. Node's
// dotenv turns \n and \r into line breaks but keeps \\ and \" as written, and
// leaves \$ to dotenv-expand; python-dotenv decodes \\ \" \n \r but keeps \$
// as written. $ is escaped because readers that expand variables (godotenv,
// Compose, dotenv-expand) would otherwise substitute inside double quotes.
// Real credentials, regions and times are plain, so these differences only
// touch unusual profile names. One more: python-dotenv misreads a value that
// ends in a backslash when a later line holds a double quote (it takes the
// final \" for an escaped quote); dotenv has no other way to write a
// backslash, so that is left as it is. Other bytes, tabs, controls and non-ASCII
// (invalid UTF-8 included) are written raw inside the quotes: every reader
// above keeps them, and none has an escape for them. Only \n and \r end a
// line, so a statement never spans lines.
func writeDotenvValue(b *bytes.Buffer, value string) {
	if isPlain(value) {
		b.WriteString(value)
		return
	}
	b.WriteByte('"')
	for i := 0; i < len(value); i++ {
		switch c := value[i]; c {
		case '\\', '"', '$':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}
