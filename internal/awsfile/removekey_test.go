package awsfile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A credentials file as people keep them: comments everywhere, CRLF in one place, other sections before and after.
const busyCredentials = "# my keys\r\n" +
	"[default]\n" +
	"aws_access_key_id = AKIADEFAULT0000000001\n" +
	"aws_secret_access_key = default-secret\n" +
	"\n" +
	"; work account, rotated 2026-01\n" +
	"[work]  # the IAM user alice\n" +
	"region = eu-west-1\n" +
	"aws_access_key_id=AKIAWORK000000000001 ; keep\n" +
	"# the secret follows\n" +
	"aws_secret_access_key   =   work-secret\n" +
	"output = json\n" +
	"\n" +
	"[temp]\n" +
	"aws_access_key_id = ASIATEMP000000000001\n" +
	"aws_secret_access_key = temp-secret\n" +
	"aws_session_token = token\n" +
	"# trailing comment without newline"

func TestRemoveAccessKeyKeepsEveryOtherByte(t *testing.T) {
	path := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(path, []byte(busyCredentials), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := RemoveAccessKey(path, "work", "AKIAWORK000000000001", "work-secret"); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	want := strings.Replace(busyCredentials, "aws_access_key_id=AKIAWORK000000000001 ; keep\n", "", 1)
	want = strings.Replace(want, "aws_secret_access_key   =   work-secret\n", "", 1)
	if string(got) != want {
		t.Fatalf("after removal:\n%q\nwant:\n%q", got, want)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Fatalf("mode %v, want 0640 kept", fi.Mode().Perm())
	}
}

func TestRemoveAccessKeyRefuses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(path, []byte(busyCredentials), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ section, id, secret, want string }{
		{"temp", "ASIATEMP000000000001", "temp-secret", "temporary credentials"},
		{"work", "AKIAOTHER00000000001", "work-secret", "changed while"},
		{"work", "AKIAWORK000000000001", "other-secret", "changed while"},
		{"nobody", "AKIAWORK000000000001", "work-secret", "no aws_access_key_id"},
	} {
		err := RemoveAccessKey(path, c.section, c.id, c.secret)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s/%s: err = %v, want %q", c.section, c.id, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "secret") && strings.Contains(err.Error(), c.secret) {
			t.Errorf("error names the secret: %v", err)
		}
	}
	if got, _ := os.ReadFile(path); string(got) != busyCredentials {
		t.Fatal("a refused removal changed the file")
	}
}
