package render

// Reference decoders for the formats no real interpreter on this machine
// reads: PowerShell (written from about_Quoting_Rules and the PowerShell
// language specification) and dotenv (the escapes godotenv and Docker
// Compose decode). They parse the statements the renderers emit and give
// back the values, so tests can compare them byte for byte.

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// isPSSingleQuote reports whether PowerShell takes r as a single quote: the
// apostrophe and the typographic U+2018 to U+201B.
func isPSSingleQuote(r rune) bool {
	return r == '\'' || 0x2018 <= r && r <= 0x201B
}

// psStatement is one decoded PowerShell statement.
type psStatement struct {
	name  string
	value string
	null  bool // $env:NAME = $null: removes the variable
}

// decodePowerShell reads the lines of a script of the form
//
//	$env:NAME = EXPR;   or   $env:NAME = $null;
//
// where EXPR is operands joined by " + ", each a verbatim string '…' or
// [char]0xHEX. Inside '…' nothing is special but the five single-quote
// characters: one ends the string, two in a row stand for the second one.
// The first operand must be a string, else + would add numbers. Any raw
// control character is an error, since the wrapper reads the output line by
// line.
func decodePowerShell(script string) ([]psStatement, error) {
	if !strings.HasSuffix(script, "\n") && script != "" {
		return nil, errors.New("script does not end with a newline")
	}
	var out []psStatement
	for _, line := range strings.SplitAfter(script, "\n") {
		if line == "" {
			continue
		}
		line = strings.TrimSuffix(line, "\n")
		for _, r := range line {
			if r < 0x20 || r == 0x7f || 0x80 <= r && r < 0xa0 {
				return nil, fmt.Errorf("raw control character %U in %q", r, line)
			}
		}
		st, err := decodePSStatement(line)
		if err != nil {
			return nil, fmt.Errorf("%v in %q", err, line)
		}
		out = append(out, st)
	}
	return out, nil
}

func decodePSStatement(line string) (psStatement, error) {
	rest, ok := strings.CutPrefix(line, "$env:")
	if !ok {
		return psStatement{}, errors.New("not an $env: assignment")
	}
	name, expr, ok := strings.Cut(rest, " = ")
	if !ok || checkName(name) != nil {
		return psStatement{}, errors.New("bad variable name")
	}
	expr, ok = strings.CutSuffix(expr, ";")
	if !ok {
		return psStatement{}, errors.New("no terminating semicolon")
	}
	if expr == "$null" {
		return psStatement{name: name, null: true}, nil
	}
	var units []uint16
	for i := 0; ; i++ {
		if i > 0 {
			if expr == "" {
				break
			}
			var ok bool
			if expr, ok = strings.CutPrefix(expr, " + "); !ok {
				return psStatement{}, errors.New("operands not joined by +")
			}
		}
		r, _ := utf8.DecodeRuneInString(expr)
		switch {
		case isPSSingleQuote(r):
			s, n, err := decodePSVerbatim(expr)
			if err != nil {
				return psStatement{}, err
			}
			units = append(units, utf16.Encode([]rune(s))...)
			expr = expr[n:]
		case strings.HasPrefix(expr, "[char]0x"):
			if i == 0 {
				return psStatement{}, errors.New("expression starts with a [char], so + would add numbers")
			}
			hex := expr[len("[char]0x"):]
			n := 0
			for n < len(hex) && n < 4 && strings.IndexByte("0123456789abcdefABCDEF", hex[n]) >= 0 {
				n++
			}
			if n == 0 || n < len(hex) && hex[n] != ' ' {
				return psStatement{}, errors.New("bad [char] code")
			}
			u, err := strconv.ParseUint(hex[:n], 16, 16)
			if err != nil {
				return psStatement{}, err
			}
			units = append(units, uint16(u))
			expr = hex[n:]
		default:
			return psStatement{}, fmt.Errorf("unexpected operand at %q", expr)
		}
	}
	for i := 0; i < len(units); i++ {
		// A lone surrogate cannot become UTF-8: the value would be lost.
		switch u := units[i]; {
		case 0xD800 <= u && u < 0xDC00:
			if i+1 == len(units) || units[i+1] < 0xDC00 || units[i+1] >= 0xE000 {
				return psStatement{}, errors.New("lone high surrogate")
			}
			i++
		case 0xDC00 <= u && u < 0xE000:
			return psStatement{}, errors.New("lone low surrogate")
		}
	}
	return psStatement{name: name, value: string(utf16.Decode(units))}, nil
}

// decodePSVerbatim reads a single-quoted string at the start of s and
// returns its value and the number of bytes it took.
func decodePSVerbatim(s string) (string, int, error) {
	_, size := utf8.DecodeRuneInString(s)
	var b strings.Builder
	for i := size; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return "", 0, errors.New("invalid UTF-8 in a string")
		}
		i += n
		if !isPSSingleQuote(r) {
			b.WriteRune(r)
			continue
		}
		next, m := utf8.DecodeRuneInString(s[i:])
		if i < len(s) && isPSSingleQuote(next) {
			b.WriteRune(next)
			i += m
			continue
		}
		return b.String(), i, nil
	}
	return "", 0, errors.New("unterminated string")
}

// decodeDotenv reads NAME=VALUE lines: VALUE is [A-Za-z0-9+/=._:@,-]*
// unquoted, or "…" where \\ \" \$ \n \r are the only escapes and a raw $ is
// refused (readers that expand variables would substitute it).
func decodeDotenv(script string) ([]Var, error) {
	if !strings.HasSuffix(script, "\n") && script != "" {
		return nil, errors.New("file does not end with a newline")
	}
	var out []Var
	for _, line := range strings.SplitAfter(script, "\n") {
		if line == "" {
			continue
		}
		line = strings.TrimSuffix(line, "\n")
		if strings.ContainsRune(line, '\r') {
			return nil, fmt.Errorf("raw CR in %q", line)
		}
		name, value, ok := strings.Cut(line, "=")
		if !ok || checkName(name) != nil {
			return nil, fmt.Errorf("bad assignment %q", line)
		}
		if !strings.HasPrefix(value, `"`) {
			if !isPlain(value) {
				return nil, fmt.Errorf("unquoted value needs quotes in %q", line)
			}
			out = append(out, Var{name, value})
			continue
		}
		if len(value) < 2 || !strings.HasSuffix(value, `"`) {
			return nil, fmt.Errorf("unterminated quote in %q", line)
		}
		inner := value[1 : len(value)-1]
		var b strings.Builder
		for i := 0; i < len(inner); i++ {
			switch c := inner[i]; c {
			case '"', '$':
				return nil, fmt.Errorf("raw %c inside quotes in %q", c, line)
			case '\\':
				if i+1 == len(inner) {
					return nil, fmt.Errorf("dangling backslash in %q", line)
				}
				i++
				switch e := inner[i]; e {
				case '\\', '"', '$':
					b.WriteByte(e)
				case 'n':
					b.WriteByte('\n')
				case 'r':
					b.WriteByte('\r')
				default:
					return nil, fmt.Errorf("unknown escape \\%c in %q", e, line)
				}
			default:
				b.WriteByte(c)
			}
		}
		out = append(out, Var{name, b.String()})
	}
	return out, nil
}

// The decoders must themselves be right, or the tests built on them prove
// nothing: check them against hand-written PowerShell and dotenv.
func TestDecodePowerShellItself(t *testing.T) {
	good := map[string]string{
		`$env:A = 'plain';`:                          "plain",
		`$env:A = '';`:                               "",
		`$env:A = 'it''s';`:                          "it's",
		"$env:A = 'it\u2019\u2019s';":                "it\u2019s",
		"$env:A = 'a\u2018\u2019b';":                 "a\u2019b", // a doubled quote stands for the second
		"$env:A = \u201aq\u201b;":                    "q",        // typographic quotes delimit too
		"$env:A = 'x' + [char]0x000A + 'y';":         "x\ny",
		"$env:A = '' + [char]0xD83D + [char]0xDCA5;": "💥",
		"$env:A = '$(x) `n \\ \"';":                  "$(x) `n \\ \"",
	}
	for line, want := range good {
		sts, err := decodePowerShell(line + "\n")
		if err != nil || len(sts) != 1 || sts[0].value != want || sts[0].name != "A" {
			t.Errorf("%s: got %+v, %v; want %q", line, sts, err, want)
		}
	}
	bad := []string{
		`$env:A = 'it's';`,                  // an undoubled quote ends the string
		"$env:A = 'it\u2019s';",             // so does a typographic one
		`$env:A = 'open;`,                   // unterminated
		`$env:A = [char]0x0041 + 'b';`,      // starts with a char: + adds numbers
		"$env:A = 'a\tb';",                  // raw control
		`$env:A = 'a' + [char]0xD83D;`,      // lone surrogate
		`$env:A = "double";`,                // not the verbatim form
		`$env:A = 'a' 'b';`,                 // not joined by +
		`$env:A = 'a'`,                      // no semicolon
		`$env:1A = 'a';`,                    // bad name
		`$env:A = 'a'; Remove-Item canary;`, // trailing code
	}
	for _, line := range bad {
		if sts, err := decodePowerShell(line + "\n"); err == nil {
			t.Errorf("%s: decoded to %+v, want an error", line, sts)
		}
	}
	if sts, err := decodePowerShell("$env:A = $null;\n"); err != nil || len(sts) != 1 || !sts[0].null {
		t.Errorf("$null: %+v, %v", sts, err)
	}
}

func TestDecodeDotenvItself(t *testing.T) {
	good := map[string]string{
		"A=plain/+=":               "plain/+=",
		"A=":                       "",
		`A="a b"`:                  "a b",
		`A="\\ \" \$ \n \r"`:       "\\ \" $ \n \r",
		"A=\"tab\there \xff\x01\"": "tab\there \xff\x01",
	}
	for line, want := range good {
		vars, err := decodeDotenv(line + "\n")
		if err != nil || len(vars) != 1 || vars[0].Value != want {
			t.Errorf("%s: got %q, %v; want %q", line, vars, err, want)
		}
	}
	for _, line := range []string{`A=a b`, `A="$HOME"`, `A="a\tb"`, `A="open`, `A="a"b"`, `A=#c`, "A=\"a\rb\"", `1A=x`} {
		if vars, err := decodeDotenv(line + "\n"); err == nil {
			t.Errorf("%s: decoded to %q, want an error", line, vars)
		}
	}
}

func utf8Valid(s string) bool { return utf8.ValidString(s) }
