package render

import (
	"bytes"
	"strings"
	"testing"
)

// fuzzSeeds start every fuzz target: a few values from each family of
// trouble. go test without -fuzz runs just these and testdata/fuzz.
var fuzzSeeds = []string{
	"", "plain", "it's", "\u2018\u2019\u201a\u201b", "$(touch canary)", "`touch canary`", "\\", "a\nb", "\r\n",
	"\x01AB", "\x7fff", "\xff\xfe", "\xed\xa0\x80", "é💥", "\uf600", "!!", "; touch canary", "'; touch canary; '",
	"\x00", "a\x00b",
}

// fuzzShell checks that any value without NUL renders without error for
// the shell of the eval run named name (as shellRun.String gives it) and comes
// back from it unchanged, and that a NUL is refused.
func fuzzShell(f *testing.F, name string) {
	var run shellRun
	for _, r := range shellRuns {
		if r.String() == name {
			run = r
		}
	}
	if run.bin == "" {
		f.Fatalf("no shell run %s", name)
	}
	format := run.format
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if strings.IndexByte(v, 0) >= 0 {
			var b bytes.Buffer
			if err := WriteEnv(&b, format, Env{Set: []Var{{"V", v}}}); err == nil || b.Len() != 0 {
				t.Fatalf("a NUL byte: err %v, output %q", err, b.String())
			}
			return
		}
		shellRoundTrip(t, run, "C.UTF-8", []string{v})
	})
}

func FuzzBash(f *testing.F)      { fuzzShell(f, "bash-eval") }
func FuzzZsh(f *testing.F)       { fuzzShell(f, "zsh-eval") }
func FuzzFish(f *testing.F)      { fuzzShell(f, "fish-eval") }
func FuzzDash(f *testing.F)      { fuzzShell(f, "dash-eval") }
func FuzzBusyboxSh(f *testing.F) { fuzzShell(f, "busybox-sh-eval") }
func FuzzKsh(f *testing.F)       { fuzzShell(f, "ksh-eval") }
func FuzzMksh(f *testing.F)      { fuzzShell(f, "mksh-eval") }

func FuzzPowerShell(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if strings.IndexByte(v, 0) >= 0 {
			var b bytes.Buffer
			if err := WriteEnv(&b, PowerShell, Env{Set: []Var{{"V", v}}}); err == nil || b.Len() != 0 {
				t.Fatalf("a NUL byte: err %v, output %q", err, b.String())
			}
			return
		}
		// psRoundTrip also requires invalid UTF-8 to be refused.
		psRoundTrip(t, []string{v})
	})
}

func FuzzDotenv(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		if strings.IndexByte(v, 0) >= 0 {
			var b bytes.Buffer
			if err := WriteEnv(&b, Dotenv, Env{Set: []Var{{"V", v}}}); err == nil || b.Len() != 0 {
				t.Fatalf("a NUL byte: err %v, output %q", err, b.String())
			}
			return
		}
		dotenvRoundTrip(t, []string{v})
	})
}
