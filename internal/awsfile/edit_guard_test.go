package awsfile

import (
	"errors"
	"os"
	"reflect"
	"testing"

	"github.com/assume-cli/assume/internal/atomicfile"
)

// TestGuardSeesEachOccurrence: a duplicate section does not hide the first one's settings from the guard (merged,
// a leftover token in the second [keep] made the first one's long-term keys look like a session).
func TestGuardSeesEachOccurrence(t *testing.T) {
	before := "[keep]\naws_access_key_id = AKIA\naws_secret_access_key = s\n\n[other]\nx = 1\n\n[keep]\naws_session_token = old\n"
	path := writeFile(t, before, 0o600)
	var seen []map[string]string
	err := SetKeys(path, "keep", []KV{{"aws_access_key_id", "ASIA"}}, func(occurrences []map[string]string) error {
		seen = occurrences
		return errors.New("refused")
	})
	if err == nil {
		t.Fatal("the guard's refusal was not returned")
	}
	want := []map[string]string{
		{"aws_access_key_id": "AKIA", "aws_secret_access_key": "s"},
		{"aws_session_token": "old"},
	}
	if !reflect.DeepEqual(seen, want) {
		t.Errorf("guard saw %q, want %q", seen, want)
	}
	assertContent(t, path, before)

	got, err := SectionSettings(path, "keep")
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("SectionSettings = %q, %v; want %q", got, err, want)
	}
	if got, err := SectionSettings(path, "missing"); err != nil || got != nil {
		t.Errorf("SectionSettings of a missing section = %q, %v", got, err)
	}
	if got, err := SectionSettings(path+".absent", "keep"); err != nil || got != nil {
		t.Errorf("SectionSettings of a missing file = %q, %v", got, err)
	}
}

// TestEditRefusesOversizedFile: a 4 GiB sparse credentials file is refused before it is read, and left alone.
func TestEditRefusesOversizedFile(t *testing.T) {
	path := writeFile(t, "", 0o600)
	if err := os.Truncate(path, 4<<30); err != nil {
		t.Fatal(err)
	}
	var big *atomicfile.TooLargeError
	if err := SetKeys(path, "s", []KV{{"x", "1"}}, nil); !errors.As(err, &big) || big.Limit != maxEditSize {
		t.Errorf("SetKeys error = %v, want a TooLargeError at %d bytes", err, maxEditSize)
	}
	if _, err := SectionSettings(path, "s"); !errors.As(err, &big) {
		t.Errorf("SectionSettings error = %v, want a TooLargeError", err)
	}
	if info, _ := os.Stat(path); info.Size() != 4<<30 {
		t.Errorf("size = %d, want the file left alone", info.Size())
	}
}
