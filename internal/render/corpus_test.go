package render

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// corpusValues makes a fixed pseudo-random corpus: random bytes (all of
// 0x01–0xFF), strings drawn from the characters that matter to quoting,
// random valid UTF-8 (typographic quotes, fish's private-use byte range,
// noncharacters, astral), medium and ~64 KiB values.
func corpusValues() []string {
	rng := rand.New(rand.NewPCG(20240601, 7))
	special := []string{"'", "\"", "`", "$", "\\", ";", "!", "(", ")", "{", "}", "\n", "\r", "\t", " ", "#", "&", "|", "<", ">",
		"\u2018", "\u2019", "\u201a", "\u201b", "x", "A", "0", "f", "\x01", "\x7f", "\x80", "\xff", "\xe2\x80", "@", "%", "~", "*", "="}
	runes := []rune{'a', '\'', '$', '\\', '\n', 0x7f, 0x85, 0xa0, 0xe9, 0x2018, 0x2019, 0x201a, 0x201b, 0x2028, 0xf600, 0xf6ff,
		0xfdd0, 0xfeff, 0xfffd, 0xffff, 0x1f4a5, 0x10ffff}
	randomBytes := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(1 + rng.IntN(255))
		}
		return string(b)
	}
	var values []string
	for i := 0; i < 4000; i++ {
		switch k := i % 5; {
		case k == 0 || k == 1:
			values = append(values, randomBytes(rng.IntN(48)))
		case k == 2:
			var b strings.Builder
			for n := rng.IntN(40); n > 0; n-- {
				b.WriteString(special[rng.IntN(len(special))])
			}
			values = append(values, b.String())
		case k == 3:
			var b strings.Builder
			for n := rng.IntN(24); n > 0; n-- {
				if rng.IntN(2) == 0 {
					b.WriteRune(runes[rng.IntN(len(runes))])
				} else {
					r := rune(1 + rng.IntN(0x10ffff))
					if !utf8.ValidRune(r) {
						r = 0xfffd
					}
					b.WriteRune(r)
				}
			}
			values = append(values, b.String())
		default:
			values = append(values, randomBytes(200+rng.IntN(4000)))
		}
	}
	for i := 0; i < 12; i++ {
		values = append(values, randomBytes(60_000+rng.IntN(6_000)))
	}
	return values
}

// batches splits values so that one shell's environment stays well within
// Linux's limits on a new process (128 KiB a variable, 2 MiB in all).
func batches(values []string) [][]string {
	var out [][]string
	var cur []string
	size := 0
	for _, v := range values {
		if len(cur) > 0 && (size+len(v) > 400_000 || len(cur) >= 1500) {
			out = append(out, cur)
			cur, size = nil, 0
		}
		cur = append(cur, v)
		size += len(v)
	}
	return append(out, cur)
}

func TestCorpusRoundTrip(t *testing.T) {
	values := corpusValues()
	total, invalid := 0, 0
	for _, v := range values {
		total += len(v)
		if !utf8.ValidString(v) {
			invalid++
		}
	}
	t.Logf("corpus: %d values, %d bytes, %d not valid UTF-8", len(values), total, invalid)
	bs := batches(values)
	for _, run := range shellRuns {
		t.Run(run.String(), func(t *testing.T) {
			for i, batch := range bs {
				// Alternate locales: the output must not depend on them.
				locale := "C.UTF-8"
				if i%2 == 1 {
					locale = "C"
				}
				shellRoundTrip(t, run, locale, batch)
				if t.Failed() {
					t.Fatalf("stopped after batch %d", i)
				}
			}
			t.Logf("%s: %d values in %d shell runs", run, len(values), len(bs))
		})
	}
	t.Run("powershell", func(t *testing.T) {
		n := psRoundTrip(t, values)
		t.Logf("powershell: %d values decoded, %d refused as invalid UTF-8", n, len(values)-n)
		// Most random byte strings are invalid UTF-8; their repaired forms
		// give PowerShell as many valid values to decode.
		repaired := make([]string, len(values))
		for i, v := range values {
			repaired[i] = strings.ToValidUTF8(v, "\u2019")
		}
		t.Logf("powershell: %d repaired values decoded", psRoundTrip(t, repaired))
	})
	t.Run("dotenv", func(t *testing.T) {
		t.Logf("dotenv: %d values decoded", dotenvRoundTrip(t, values))
	})
}
