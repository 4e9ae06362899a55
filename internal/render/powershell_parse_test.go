package render

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/assume-cli/assume/shell/shelltest"
)

// TestPowerShellIndependentParser has the tree-sitter PowerShell grammar read the PowerShell
// output (the hostile values, the corpus's valid UTF-8 and every golden file), and decodes the
// values from its tokens: each statement must be `$env:NAME = OPERAND (+ OPERAND)*;` or
// `$env:NAME = $null;`, and each value must come back exactly. A broken quote or a syntax
// error cannot pass unseen, as it could in a golden file compared only with itself.
func TestPowerShellIndependentParser(t *testing.T) {
	var values []string
	for _, v := range append(hostileValues(), corpusValues()...) {
		if utf8Valid(v) && !strings.Contains(v, "\x00") {
			values = append(values, v)
		}
	}
	var scripts []string
	for _, batch := range batches(values) {
		env := Env{Unset: []string{"GONE"}}
		for i, v := range batch {
			env.Set = append(env.Set, Var{varName(i), v})
		}
		var b bytes.Buffer
		if err := WriteEnv(&b, PowerShell, env); err != nil {
			t.Fatal(err)
		}
		scripts = append(scripts, b.String())
	}
	goldens, err := filepath.Glob(filepath.Join("testdata", "golden", "*.powershell"))
	if err != nil || len(goldens) == 0 {
		t.Fatalf("no PowerShell golden files (%v)", err)
	}
	for _, g := range goldens {
		src, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		scripts = append(scripts, string(src))
	}

	parsed := shelltest.ParsePowerShell(t, scripts...)
	n := 0
	for i, batch := range batches(values) {
		got := psStatementsFromTokens(t, parsed[i])
		if len(got) != len(batch)+1 {
			t.Fatalf("batch %d: %d statements for %d values and an unset", i, len(got), len(batch))
		}
		for j, want := range batch {
			if got[j].name != varName(j) || got[j].null || got[j].value != want {
				t.Errorf("%s: the parser read %+v; want %s", varName(j), got[j], describe(want))
			}
			n++
		}
		if last := got[len(got)-1]; last.name != "GONE" || !last.null {
			t.Errorf("batch %d: the unset reads as %+v", i, last)
		}
	}
	for i, g := range goldens {
		sts := psStatementsFromTokens(t, parsed[len(parsed)-len(goldens)+i])
		if len(sts) == 0 {
			t.Errorf("%s: no statement", g)
		}
		if strings.HasPrefix(filepath.Base(g), "hostile.") {
			for _, st := range sts {
				if st.name == "ASSUME_PROFILE" && st.value != hostileCreds.Profile {
					t.Errorf("%s: ASSUME_PROFILE reads %q, want %q", g, st.value, hostileCreds.Profile)
				}
			}
		}
	}
	t.Logf("%d values and %d golden files read back through the tree-sitter PowerShell grammar", n, len(goldens))
}

// psStatementsFromTokens reads statements from the parser's tokens, failing on anything else.
func psStatementsFromTokens(t *testing.T, p shelltest.PSParse) []psStatement {
	t.Helper()
	if len(p.Errors) > 0 {
		t.Fatalf("the parser found errors: %q", p.Errors)
	}
	toks := p.Tokens
	next := func(typ string) string {
		t.Helper()
		if len(toks) == 0 || toks[0].Type != typ {
			t.Fatalf("want a %s token, got %v", typ, toks[:min(3, len(toks))])
		}
		text := toks[0].Text
		toks = toks[1:]
		return text
	}
	var out []psStatement
	for len(toks) > 0 {
		name, ok := strings.CutPrefix(next("variable"), "$env:")
		if !ok {
			t.Fatalf("an assignment to something other than $env:")
		}
		next("=")
		if toks[0].Type == "variable" {
			if v := next("variable"); v != "$null" {
				t.Fatalf("%s = %s", name, v)
			}
			next(";")
			out = append(out, psStatement{name: name, null: true})
			continue
		}
		var units []uint16
		var value strings.Builder
		flush := func() {
			value.WriteString(string(utf16.Decode(units)))
			units = units[:0]
		}
		for first := true; ; first = false {
			if !first {
				if toks[0].Type == ";" {
					next(";")
					break
				}
				next("+")
			}
			switch toks[0].Type {
			case "string_literal":
				flush()
				s := next("string_literal")
				if len(s) < 2 || s[0] != '\'' || s[len(s)-1] != '\'' {
					t.Fatalf("not a verbatim string: %q", s)
				}
				value.WriteString(strings.ReplaceAll(s[1:len(s)-1], "''", "'"))
			case "type_literal":
				if ty := next("type_literal"); ty != "[char]" {
					t.Fatalf("a cast to %s", ty)
				}
				n, err := strconv.ParseUint(strings.TrimPrefix(next("integer_literal"), "0x"), 16, 16)
				if err != nil {
					t.Fatal(err)
				}
				units = append(units, uint16(n))
			default:
				t.Fatalf("an operand of type %s", toks[0].Type)
			}
		}
		flush()
		out = append(out, psStatement{name: name, value: value.String()})
	}
	return out
}
