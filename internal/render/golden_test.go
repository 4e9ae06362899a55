package render

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// hostileCreds carry a profile name with every kind of quote, expansions,
// controls and non-ASCII, so the goldens show each format's quoting.
var hostileCreds = Credentials{
	AccessKeyID:     "ASIAIOSFODNN7EXAMPLE",
	SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	SessionToken:    "FwoGZXIvYXdzEBYaDEXAMPLE+token/with=base64==",
	Expires:         sessionCreds.Expires,
	Region:          "us-east-1",
	Profile:         "it's \"q\" \u2018a\u2019 \u201ab\u201b `id` $(touch canary) ${HOME} \\ ; ! #\ttab\nline\r\x01\x7f é 💥",
}

func TestGolden(t *testing.T) {
	cases := []struct {
		name  string
		write func(*bytes.Buffer, Format) error
		skip  func(Format) bool
	}{
		{"session", func(b *bytes.Buffer, f Format) error { return Export(b, f, sessionCreds) }, nil},
		{"static", func(b *bytes.Buffer, f Format) error { return Export(b, f, staticCreds) }, nil},
		{"hostile", func(b *bytes.Buffer, f Format) error { return Export(b, f, hostileCreds) }, nil},
		{"unset", func(b *bytes.Buffer, f Format) error { return Unset(b, f) }, func(f Format) bool { return !f.IsShell() }},
	}
	for _, c := range cases {
		for _, name := range Formats() {
			f := Format(name)
			if c.skip != nil && c.skip(f) {
				continue
			}
			t.Run(c.name+"/"+name, func(t *testing.T) {
				var out bytes.Buffer
				if err := c.write(&out, f); err != nil {
					t.Fatal(err)
				}
				path := filepath.Join("testdata", "golden", c.name+"."+name)
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test -update to create it)", err)
				}
				if !bytes.Equal(out.Bytes(), want) {
					t.Errorf("output differs from %s (go test -update rewrites it)\ngot:\n%s\nwant:\n%s", path, out.Bytes(), want)
				}
			})
		}
	}
}
