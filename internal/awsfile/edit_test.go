package awsfile

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// A child process started by TestParallelProcessesWriteOwnSections writes one section and exits.
const (
	envChildFile    = "AWSFILE_TEST_CHILD_FILE"
	envChildSection = "AWSFILE_TEST_CHILD_SECTION"
)

func TestMain(m *testing.M) {
	if path := os.Getenv(envChildFile); path != "" {
		section := os.Getenv(envChildSection)
		err := SetKeys(path, section, []KV{{"aws_access_key_id", "AKIA" + section}, {"region", "r-" + section}}, nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func writeFile(t *testing.T, content string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func fileContent(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func assertContent(t *testing.T, path, want string) {
	t.Helper()
	if got := fileContent(t, path); got != want {
		t.Errorf("file content:\n%s\nwant:\n%s\n(quoted: got %q\n want %q)", got, want, got, want)
	}
}

// crlf turns a readable "\n" fixture into a CRLF file.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

func TestSetKeysChangesOnlyTheIntendedLines(t *testing.T) {
	before := crlf(`# AWS credentials — hand-maintained
; second comment style

[default]
aws_access_key_id = AKIADEFAULT
aws_secret_access_key = default-secret

# prod keys rotate monthly
[prod]
AWS_Access_Key_ID  =  AKIAOLD   # rotated 2024-01
aws_secret_access_key=old-secret
  ; indented comment stays

region = eu-west-1

# staging below
[staging]
aws_access_key_id = AKIASTAGING
`)
	want := crlf(`# AWS credentials — hand-maintained
; second comment style

[default]
aws_access_key_id = AKIADEFAULT
aws_secret_access_key = default-secret

# prod keys rotate monthly
[prod]
AWS_Access_Key_ID  =  AKIANEW   # rotated 2024-01
aws_secret_access_key=new-secret
  ; indented comment stays

region = eu-west-1
aws_session_token = FwoGZXIvYXdzEJr//token==
expiration = 2030-01-01T00:00:00Z

# staging below
[staging]
aws_access_key_id = AKIASTAGING
`)
	path := writeFile(t, before, 0o600)
	err := SetKeys(path, "prod", []KV{
		{"aws_access_key_id", "AKIANEW"},
		{"aws_secret_access_key", "new-secret"},
		{"aws_session_token", "FwoGZXIvYXdzEJr//token=="},
		{"expiration", "2030-01-01T00:00:00Z"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	assertContent(t, path, want)
}

func TestSetKeysPlacement(t *testing.T) {
	tests := []struct {
		name, before, section string
		kv                    []KV
		want                  string
	}{
		{
			name:    "a new section after a blank line",
			before:  "[a]\nx = 1\n",
			section: "b",
			kv:      []KV{{"y", "2"}},
			want:    "[a]\nx = 1\n\n[b]\ny = 2\n",
		},
		{
			name:    "no extra blank line when the file ends with one",
			before:  "[a]\nx = 1\n\n",
			section: "b",
			kv:      []KV{{"y", "2"}},
			want:    "[a]\nx = 1\n\n[b]\ny = 2\n",
		},
		{
			name:    "a file without a final newline gets one first",
			before:  "[a]\nx = 1",
			section: "b",
			kv:      []KV{{"y", "2"}},
			want:    "[a]\nx = 1\n\n[b]\ny = 2\n",
		},
		{
			name:    "an empty file gets no leading blank line",
			before:  "",
			section: "b",
			kv:      []KV{{"y", "2"}},
			want:    "[b]\ny = 2\n",
		},
		{
			name:    "a new section in a CRLF file uses CRLF",
			before:  "[a]\r\nx = 1\r\n",
			section: "profile b",
			kv:      []KV{{"y", "2"}, {"z", "3"}},
			want:    "[a]\r\nx = 1\r\n\r\n[profile b]\r\ny = 2\r\nz = 3\r\n",
		},
		{
			name:    "a new key in a section without keys goes right after the header",
			before:  "[a]\n# note\n\n[b]\n",
			section: "a",
			kv:      []KV{{"k", "v"}},
			want:    "[a]\nk = v\n# note\n\n[b]\n",
		},
		{
			name:    "a new key in the last section of a file without a final newline",
			before:  "[a]\nx = 1",
			section: "a",
			kv:      []KV{{"k", "v"}},
			want:    "[a]\nx = 1\nk = v\n",
		},
		{
			name:    "new keys go after the last setting, before trailing comments",
			before:  "[a]\nx = 1\n# about b\n\n[b]\n",
			section: "a",
			kv:      []KV{{"k", "v"}},
			want:    "[a]\nx = 1\nk = v\n# about b\n\n[b]\n",
		},
		{
			name:    "new keys go after a sub-section's indented lines",
			before:  "[profile a]\ns3 =\n  max_concurrent_requests = 10\n\n[profile b]\n",
			section: "profile a",
			kv:      []KV{{"region", "r"}},
			want:    "[profile a]\ns3 =\n  max_concurrent_requests = 10\nregion = r\n\n[profile b]\n",
		},
		{
			name:    "a duplicated section: every occurrence of the key is updated, new keys go to the last one",
			before:  "[a]\nx = 1\ny = 1\n[b]\n[a]\nx = 2\n[c]\n",
			section: "a",
			kv:      []KV{{"x", "9"}, {"k", "v"}},
			want:    "[a]\nx = 9\ny = 1\n[b]\n[a]\nx = 9\nk = v\n[c]\n",
		},
		{
			name:    "header white space and key case do not matter; the file's spelling stays",
			before:  "[ profile   prod ]\nRegion=us-east-1\n",
			section: "profile prod",
			kv:      []KV{{"REGION", "eu-west-1"}},
			want:    "[ profile   prod ]\nRegion=eu-west-1\n",
		},
		{
			name:    "a multi-line value is replaced whole",
			before:  "[a]\ncredential_process = /bin/old\n  --flag\n# kept\n  --more\nregion = r\n",
			section: "a",
			kv:      []KV{{"credential_process", "/bin/new"}},
			want:    "[a]\ncredential_process = /bin/new\n# kept\nregion = r\n",
		},
		{
			name:    "a key with sub-settings is replaced whole",
			before:  "[a]\ns3 =\n  x = 1\nregion = r\n",
			section: "a",
			kv:      []KV{{"s3", "flat"}},
			want:    "[a]\ns3 = flat\nregion = r\n",
		},
		{
			name:    "an empty value is filled in spaced like its key",
			before:  "[a]\nx =\ny=\nz = # note\n",
			section: "a",
			kv:      []KV{{"x", "1"}, {"y", "2"}, {"z", "3"}},
			want:    "[a]\nx = 1\ny=2\nz = 3 # note\n",
		},
		{
			name:    "a quoted value loses its quotes, an indented key keeps its indentation",
			before:  "[a]\n  x = \"old\"\n\ty = 'old' ; c\n",
			section: "a",
			kv:      []KV{{"x", "new"}, {"y", "new"}},
			want:    "[a]\n  x = new\n\ty = new ; c\n",
		},
		{
			name:    "a byte order mark stays",
			before:  "\uFEFF[a]\nx = 1\n",
			section: "a",
			kv:      []KV{{"x", "2"}},
			want:    "\uFEFF[a]\nx = 2\n",
		},
		{
			name:    "the same key twice in one call: the last value wins",
			before:  "[a]\n",
			section: "a",
			kv:      []KV{{"x", "1"}, {"X", "2"}},
			want:    "[a]\nx = 2\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, tt.before, 0o600)
			if err := SetKeys(path, tt.section, tt.kv, nil); err != nil {
				t.Fatal(err)
			}
			assertContent(t, path, tt.want)
		})
	}
}

func TestSetKeysNewFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "aws", "credentials")
	if err := SetKeys(path, "prod", []KV{{"aws_access_key_id", "AKIA"}}, nil); err != nil {
		t.Fatal(err)
	}
	assertContent(t, path, "[prod]\naws_access_key_id = AKIA\n")
	if runtime.GOOS != "windows" {
		if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
			t.Errorf("new file mode = %o, want 600", info.Mode().Perm())
		}
		if info, _ := os.Stat(filepath.Dir(path)); info.Mode().Perm() != 0o700 {
			t.Errorf("new folder mode = %o, want 700", info.Mode().Perm())
		}
	}
}

func TestSetKeysKeepsMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permission bits")
	}
	path := writeFile(t, "[a]\nx = 1\n", 0o640)
	if err := SetKeys(path, "a", []KV{{"x", "2"}}, nil); err != nil {
		t.Fatal(err)
	}
	assertContent(t, path, "[a]\nx = 2\n")
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o640 {
		t.Errorf("mode = %o, want it kept at 640", info.Mode().Perm())
	}
}

func TestSetKeysGuard(t *testing.T) {
	before := "# keep\n[prod]\naws_access_key_id = AKIALONGTERM\naws_secret_access_key = s # c\n"
	path := writeFile(t, before, 0o600)
	beforeInfo, _ := os.Stat(path)

	var seen []map[string]string
	refusal := errors.New("holds long-term keys")
	err := SetKeys(path, "prod", []KV{{"aws_access_key_id", "ASIA"}}, func(occurrences []map[string]string) error {
		seen = occurrences
		if occurrences[0]["aws_session_token"] == "" {
			return refusal
		}
		return nil
	})
	if !errors.Is(err, refusal) {
		t.Fatalf("SetKeys error = %v, want the guard's error", err)
	}
	want := []map[string]string{{"aws_access_key_id": "AKIALONGTERM", "aws_secret_access_key": "s"}}
	if !reflect.DeepEqual(seen, want) {
		t.Errorf("guard saw %q, want %q", seen, want)
	}
	assertContent(t, path, before)
	afterInfo, _ := os.Stat(path)
	if !os.SameFile(beforeInfo, afterInfo) {
		t.Error("the file was replaced although the guard refused")
	}

	var called bool
	err = SetKeys(path, "new", []KV{{"x", "1"}}, func(occurrences []map[string]string) error {
		called = true
		if occurrences != nil {
			t.Errorf("guard for a missing section saw %q, want none", occurrences)
		}
		return nil
	})
	if err != nil || !called {
		t.Fatalf("SetKeys = %v, guard called %v", err, called)
	}
}

func TestSetKeysUnchangedDoesNotWrite(t *testing.T) {
	path := writeFile(t, "[a]\nx = 1\n", 0o600)
	before, _ := os.Stat(path)
	if err := SetKeys(path, "a", []KV{{"x", "1"}}, nil); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(path)
	if !os.SameFile(before, after) {
		t.Error("the file was rewritten although nothing changed")
	}
}

func TestSetKeysRejectsWhatCannotRoundTrip(t *testing.T) {
	const secret = "s3cr3t"
	path := writeFile(t, "[a]\n", 0o600)
	for _, kv := range []KV{
		{"", "v"}, {"bad key", "v"}, {"k=v", "v"}, {"[x]", "v"}, {"k", ""},
		{"k", secret + "\n[default]"}, {"k", " " + secret}, {"k", secret + " #x"}, {"k", "\"" + secret + "\""},
		{"k", secret + "\r"}, {"k", secret + "\t;x"},
	} {
		err := SetKeys(path, "a", []KV{kv}, nil)
		if err == nil {
			t.Errorf("SetKeys(%q, %q) succeeded, want an error", kv.Key, kv.Value)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %q quotes the value", err)
		}
	}
	for _, section := range []string{"", "  ", "a]", "[a", "a#b", "a;b", "a\nb"} {
		if err := SetKeys(path, section, []KV{{"k", "v"}}, nil); err == nil {
			t.Errorf("SetKeys with section %q succeeded, want an error", section)
		}
	}
	assertContent(t, path, "[a]\n")
}

func TestEditRefusesMalformedFile(t *testing.T) {
	before := "[a]\nx = 1\nnot a setting\n"
	path := writeFile(t, before, 0o600)
	err := SetKeys(path, "b", []KV{{"k", "v"}}, nil)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 3 || pe.File != path {
		t.Fatalf("SetKeys on a malformed file = %v, want a ParseError at line 3", err)
	}
	if err := DeleteKeys(path, "a", []string{"x"}); !errors.As(err, &pe) {
		t.Fatalf("DeleteKeys on a malformed file = %v, want a ParseError", err)
	}
	assertContent(t, path, before)
}

func TestDeleteKeys(t *testing.T) {
	tests := []struct {
		name, before, section string
		keys                  []string
		want                  string
	}{
		{
			name:    "lines go, comments and blank lines stay",
			before:  crlf("# c\n[s]\naws_access_key_id = A\n# about the token\naws_session_token = T\n\nregion = r\n[t]\naws_session_token = keep\n"),
			section: "s",
			keys:    []string{"AWS_SESSION_TOKEN", "aws_access_key_id"},
			want:    crlf("# c\n[s]\n# about the token\n\nregion = r\n[t]\naws_session_token = keep\n"),
		},
		{
			name:    "continuation lines and every occurrence go",
			before:  "[s]\nx = 1\n  more\ny = 2\n[s]\nx = 3\n",
			section: "s",
			keys:    []string{"x"},
			want:    "[s]\ny = 2\n[s]\n",
		},
		{
			name:    "the header stays when the section is emptied",
			before:  "[s]\nx = 1\n",
			section: "s",
			keys:    []string{"x"},
			want:    "[s]\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, tt.before, 0o600)
			if err := DeleteKeys(path, tt.section, tt.keys); err != nil {
				t.Fatal(err)
			}
			assertContent(t, path, tt.want)
		})
	}
}

func TestDeleteKeysNothingToDo(t *testing.T) {
	path := writeFile(t, "[s]\nx = 1\n", 0o600)
	before, _ := os.Stat(path)
	if err := DeleteKeys(path, "s", []string{"missing"}); err != nil {
		t.Fatal(err)
	}
	if err := DeleteKeys(path, "other", []string{"x"}); err != nil {
		t.Fatal(err)
	}
	after, _ := os.Stat(path)
	if !os.SameFile(before, after) {
		t.Error("the file was rewritten although nothing was deleted")
	}

	missing := filepath.Join(t.TempDir(), "credentials")
	if err := DeleteKeys(missing, "s", []string{"x"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("DeleteKeys created %s", missing)
	}
}

// TestEditRefusesAmbiguousChange: removing "a" would make the indented "b" line below it a sub-setting of "s3"
// above; the edit must be refused rather than silently change what the file means.
func TestEditRefusesAmbiguousChange(t *testing.T) {
	before := "[p]\ns3 =\n  max = 10\na = 1\n  b = 2\n"
	path := writeFile(t, before, 0o600)
	err := DeleteKeys(path, "p", []string{"a"})
	if err == nil || !strings.Contains(err.Error(), "by hand") {
		t.Fatalf("DeleteKeys = %v, want a refusal", err)
	}
	assertContent(t, path, before)
}

func TestParallelProcessesWriteOwnSections(t *testing.T) {
	const processes = 20
	path := writeFile(t, "# shared credentials\n[default]\nregion = us-east-1\n", 0o600)

	var wg sync.WaitGroup
	errs := make(chan error, processes)
	for i := range processes {
		section := "p" + strconv.Itoa(i)
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), envChildFile+"="+path, envChildSection+"="+section)
		wg.Go(func() {
			if out, err := cmd.CombinedOutput(); err != nil {
				errs <- fmt.Errorf("child %s: %v: %s", section, err, out)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	f, err := Load(Paths{Credentials: path})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(f.Names()); got != processes+1 {
		t.Errorf("%d profiles after %d parallel writers, want %d: %q", got, processes, processes+1, f.Names())
	}
	for i := range processes {
		section := "p" + strconv.Itoa(i)
		p, ok := f.Profile(section)
		if !ok || p.Get("aws_access_key_id") != "AKIA"+section || p.Get("region") != "r-"+section {
			t.Errorf("section %s = %v, %v", section, p.Values, ok)
		}
	}
	if !strings.HasPrefix(fileContent(t, path), "# shared credentials\n[default]\nregion = us-east-1\n\n[p") {
		t.Errorf("the original content was not kept at the top:\n%s", fileContent(t, path))
	}
}
