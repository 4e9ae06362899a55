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
// quotes, escaping \ " $ newline and CR as \\ \" \$ \n \r. Other bytes (tabs,
// controls, non-ASCII, invalid UTF-8) are written raw inside the quotes,
// where the readers below keep them (python-dotenv reads text, so invalid
// UTF-8 is lost on it); only newline and CR end a line, so a statement never
// spans lines.
//
// There is no dotenv standard, and no quoting reads back exactly everywhere;
// this is the common ground. $ is escaped because readers that expand
// variables would substitute it inside double quotes. How the usual readers
// take it:
//   - python-dotenv (1.2, checked by TestDotenvWithPythonDotenv): exact, but
//     it keeps \$ as written, and misreads a value that ends in a backslash
//     when a later line holds a double quote (it takes the final \" for an
//     escaped quote).
//   - godotenv (1.5, from reading its parser): decodes all five escapes, but
//     misreads a value that ends in a backslash or a double quote.
//   - Node's dotenv: decodes only \n and \r; \\ \" \$ stay as written.
//
// Access keys, secret keys, session tokens, regions and times are plain, so
// only an unusual profile name can meet these differences.
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
