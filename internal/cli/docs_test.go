package cli

import (
	"bytes"
	"context"
	"os"
	"reflect"
	"regexp"
	"slices"
	"testing"

	"github.com/assume-cli/assume/internal/iostreams"
)

// TestDocsMatchHelp: docs/cli.md is the command-line contract. Every flag `assume --help` shows
// has a row in its flags table, and every row there is a flag of --help, except hidden flags,
// which only the document describes.
func TestDocsMatchHelp(t *testing.T) {
	t.Parallel()
	streams := iostreams.Test()
	if code := Main(context.Background(), []string{"--help"}, Deps{Streams: streams.IOStreams}); code != 0 {
		t.Fatalf("--help: exit %d: %s", code, streams.ErrBuf.String())
	}
	help := flagsOf(t, regexp.MustCompile(`(?m)^\s+(?:(-[a-zA-Z]), )?(--[a-z][a-z0-9-]*)`), streams.OutBuf.String())

	doc, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := bytes.Cut(doc, []byte("\n## Flags\n"))
	if !ok {
		t.Fatal("docs/cli.md has no Flags section")
	}
	table, _, _ = bytes.Cut(table, []byte("\n## "))
	documented := flagsOf(t, regexp.MustCompile("(?m)^\\| `(?:(-[a-zA-Z]), )?(--[a-z][a-z0-9-]*)"), string(table))

	var hidden []string
	for _, f := range optionFields() {
		if _, ok := reflect.TypeFor[Options]().FieldByIndex(f.index).Tag.Lookup("hidden"); ok {
			hidden = append(hidden, "--"+f.name)
		}
	}
	for _, f := range help {
		if !slices.Contains(documented, f) {
			t.Errorf("--help shows %s, which docs/cli.md's flags table does not describe", f)
		}
	}
	for _, f := range documented {
		if !slices.Contains(help, f) && !slices.Contains(hidden, f) {
			t.Errorf("docs/cli.md describes %s, which --help does not show (and it is not hidden)", f)
		}
	}
	if len(help) < 20 {
		t.Errorf("found only %d flags in --help: %q", len(help), help)
	}
}

// flagsOf lists the "-x" and "--name" flags re finds in text (groups 1 and 2).
func flagsOf(t *testing.T, re *regexp.Regexp, text string) []string {
	t.Helper()
	var flags []string
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		if m[1] != "" {
			flags = append(flags, m[1])
		}
		flags = append(flags, m[2])
	}
	return flags
}
