package display

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

func TestSafe(t *testing.T) {
	for in, want := range map[string]string{
		"prod":                 "prod",
		"prod:readonly@corp":   "prod:readonly@corp",
		"sp ace":               "sp ace",
		"é日本💥":                 "é日本💥",
		`back\slash`:           `back\slash`, // nothing else to escape: kept as people write it
		"\x1b[2Jgone":          `\x1b[2Jgone`,
		"a\\b\x1b":             `a\\b\x1b`,
		"line\nbreak\r\ttab":   `line\nbreak\r\ttab`,
		"\x00\x07\x7f":         `\x00\a\x7f`,
		"c1\u0085\u009b31m":    `c1\u0085\u009b31m`,
		"\u202eevil\u2066":     `\u202eevil\u2066`,
		"nbsp\u00a0\u2028":     `nbsp\u00a0\u2028`,
		"bad\xff\xfeutf8\xe2":  `bad\xff\xfeutf8\xe2`,
		"\ufffd is a real one": "\ufffd is a real one",
	} {
		if got := Safe(in); got != want {
			t.Errorf("Safe(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSafeLeavesNoControl checks every byte and a range of runes: nothing the terminal acts on
// survives, and the escaped form reads back to the input.
func TestSafeLeavesNoControl(t *testing.T) {
	var inputs []string
	for c := 0; c < 256; c++ {
		inputs = append(inputs, "x"+string([]byte{byte(c)})+"y\\")
	}
	for r := rune(0); r < 0x3000; r++ {
		inputs = append(inputs, string(r)+"\\")
	}
	for _, in := range inputs {
		got := Safe(in)
		for _, r := range got {
			if r < 0x20 || r == 0x7f || 0x80 <= r && r < 0xa0 || r == 0x2028 || r == 0x2029 || 0x202a <= r && r <= 0x202e || 0x2066 <= r && r <= 0x2069 {
				t.Errorf("Safe(%q) = %q keeps %U", in, got, r)
			}
		}
		if got != in {
			back, err := strconv.Unquote(`"` + got + `"`)
			if err != nil && !containsQuote(got) {
				t.Errorf("Safe(%q) = %q does not read back: %v", in, got, err)
			} else if err == nil && back != in {
				t.Errorf("Safe(%q) = %q reads back as %q", in, got, back)
			}
		}
	}
}

func containsQuote(s string) bool {
	for _, r := range s {
		if r == '"' {
			return true
		}
	}
	return false
}

func TestWriter(t *testing.T) {
	var b strings.Builder
	w := Writer(&b)
	fmt.Fprintf(w, "assume: wrote [%s]\n", "x\x1b[2J")
	fmt.Fprintf(w, "next: %s\n", "plain")
	if want := "assume: wrote [x\\x1b[2J]\nnext: plain\n"; b.String() != want {
		t.Errorf("wrote %q, want %q", b.String(), want)
	}
}

func TestQuote(t *testing.T) {
	if got := Quote("a\x1b[2J\"b"); got != `"a\x1b[2J\"b"` {
		t.Errorf("Quote = %s", got)
	}
}
