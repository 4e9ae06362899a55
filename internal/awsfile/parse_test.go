package awsfile

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// noFile as file content means the file is not created.
const noFile = "\x00no file"

func writeFiles(t testing.TB, config, credentials string) Paths {
	t.Helper()
	dir := t.TempDir()
	p := Paths{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
	for path, content := range map[string]string{p.Config: config, p.Credentials: credentials} {
		if content == noFile {
			continue
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func load(t *testing.T, config, credentials string) *Files {
	t.Helper()
	f, err := Load(writeFiles(t, config, credentials))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return f
}

func TestProfileValues(t *testing.T) {
	tests := []struct {
		name        string
		config      string
		credentials string
		profile     string
		want        map[string]string // nil: the profile must not exist
	}{
		{
			name:    "spacing around the separator and a colon separator",
			config:  "[profile p]\na=1\nb = 2\nc   =    3   \nd: 4\ne:5\n",
			profile: "p",
			want:    map[string]string{"a": "1", "b": "2", "c": "3", "d": "4", "e": "5"},
		},
		{
			name:    "the first of '=' and ':' separates",
			config:  "[profile p]\nrole_arn = arn:aws:iam::1:role/x\nurl: http://h/?q=1\n",
			profile: "p",
			want:    map[string]string{"role_arn": "arn:aws:iam::1:role/x", "url": "http://h/?q=1"},
		},
		{
			name:    "keys are case-insensitive and stored lowercase",
			config:  "[profile p]\nAWS_Region = eu-west-1\nRole_ARN = r\n",
			profile: "p",
			want:    map[string]string{"aws_region": "eu-west-1", "role_arn": "r"},
		},
		{
			name: "full-line comments with # and ;, also indented",
			config: "# intro\n; more\n[profile p]\n# a = 1\n; b = 2\n  # c = 3\n\t; d = 4\n" +
				"region = r\n",
			profile: "p",
			want:    map[string]string{"region": "r"},
		},
		{
			name: "inline comments need white space before the marker",
			config: "[profile p]\na = v # comment\nb = v ; comment\nc = v\t# tab comment\nd = v#not\ne = v;not\n" +
				"f = # only a comment\n",
			profile: "p",
			want:    map[string]string{"a": "v", "b": "v", "c": "v", "d": "v#not", "e": "v;not", "f": ""},
		},
		{
			name:    "one pair of surrounding quotes is removed",
			config:  "[profile p]\na = \"x y\"\nb = 'z'\nc = \"mixed'\nd = \"\"\ne = \"\nf = say \"hi\"\n",
			profile: "p",
			want:    map[string]string{"a": "x y", "b": "z", "c": "\"mixed'", "d": "", "e": "\"", "f": "say \"hi\""},
		},
		{
			name:    "sub-settings under an empty key are stored as parent.key",
			config:  "[profile p]\ns3 =\n  max_concurrent_requests = 10\n  Multipart_Threshold = 64MB\nregion = r\n",
			profile: "p",
			want: map[string]string{"s3": "", "s3.max_concurrent_requests": "10", "s3.multipart_threshold": "64MB",
				"region": "r"},
		},
		{
			name:    "sub-settings keep inline comments and lose quotes, as in the SDK",
			config:  "[profile p]\ns3 =\n  a = 1 # note\n  b = \"2\"\n",
			profile: "p",
			want:    map[string]string{"s3": "", "s3.a": "1 # note", "s3.b": "2"},
		},
		{
			name:    "an indented key after a key with a value is an ordinary key",
			config:  "[profile p]\n  first = 1 # c\nregion = r\n  output = json ; c\n",
			profile: "p",
			want:    map[string]string{"first": "1", "region": "r", "output": "json"},
		},
		{
			name:    "indented text continues a value, across blank and comment lines",
			config:  "[profile p]\ncredential_process = /bin/tool\n  --flag # kept\n\n# between\n\t--more\nregion = r\n",
			profile: "p",
			want:    map[string]string{"credential_process": "/bin/tool\n--flag # kept\n--more", "region": "r"},
		},
		{
			name:    "continuation of an empty value is ignored",
			config:  "[profile p]\nempty =\n  just text\nregion = r\n",
			profile: "p",
			want:    map[string]string{"empty": "", "region": "r"},
		},
		{
			name:    "redefining a key replaces its sub-settings",
			config:  "[profile p]\ns3 =\n  a = 1\ns3 = flat\n",
			profile: "p",
			want:    map[string]string{"s3": "flat"},
		},
		{
			name:        "CRLF line endings never reach a value",
			config:      "[profile p]\r\nregion = r\r\ncredential_process = a\r\n  b\r\ns3 =\r\n  x = 1\r\n",
			credentials: "[p]\r\naws_access_key_id = AKIA\r\n",
			profile:     "p",
			want: map[string]string{"region": "r", "credential_process": "a\nb", "s3": "", "s3.x": "1",
				"aws_access_key_id": "AKIA"},
		},
		{
			name:        "a UTF-8 byte order mark is skipped",
			config:      "\uFEFF[default]\nregion = r\n",
			credentials: "\uFEFF[default]\naws_access_key_id = AKIA\n",
			profile:     "default",
			want:        map[string]string{"region": "r", "aws_access_key_id": "AKIA"},
		},
		{
			name:    "duplicate sections merge and a later key wins",
			config:  "[profile p]\na = 1\nb = 1\n[profile q]\na = q\n[profile p]\nb = 2\nc = 2\n[profile  p]\nc = 3\n",
			profile: "p",
			want:    map[string]string{"a": "1", "b": "2", "c": "3"},
		},
		{
			name:    "a duplicate key in one section: the later wins",
			config:  "[profile p]\nregion = a\nregion = b\n",
			profile: "p",
			want:    map[string]string{"region": "b"},
		},
		{
			name:        "the credentials file wins for the same key",
			config:      "[profile p]\nregion = from-config\noutput = json\n",
			credentials: "[p]\nregion = from-credentials\naws_access_key_id = AKIA\n",
			profile:     "p",
			want:        map[string]string{"region": "from-credentials", "output": "json", "aws_access_key_id": "AKIA"},
		},
		{
			name:    "white space inside headers",
			config:  "[ profile   spaced ]\na = 1\n[profile\ttabbed]\nb = 2\n  [profile indented]\nc = 3\n",
			profile: "spaced",
			want:    map[string]string{"a": "1"},
		},
		{
			name:    "a tab between kind and name",
			config:  "[ profile   spaced ]\na = 1\n[profile\ttabbed]\nb = 2\n",
			profile: "tabbed",
			want:    map[string]string{"b": "2"},
		},
		{
			name:    "an indented header is a header",
			config:  "[profile a]\nx = 1\n  [profile indented]\nc = 3\n",
			profile: "indented",
			want:    map[string]string{"c": "3"},
		},
		{
			name:    "only the first run of white space in a header is collapsed",
			config:  "[profile my  prod]\na = 1\n",
			profile: "my  prod",
			want:    map[string]string{"a": "1"},
		},
		{
			name:    "a comment after a header",
			config:  "[profile p] # the p profile\na = 1\n[profile q];x\nb = 2\n",
			profile: "q",
			want:    map[string]string{"b": "2"},
		},
		{
			name:    "[profile default] replaces [default] in the config file",
			config:  "[default]\na = plain\nb = plain\n[profile default]\na = prefixed\n",
			profile: "default",
			want:    map[string]string{"a": "prefixed"},
		},
		{
			name:    "a bare [name] in the config file is not a profile",
			config:  "[bare]\nregion = r\n",
			profile: "bare",
			want:    nil,
		},
		{
			name:    "sso-session and services sections are not profiles",
			config:  "[sso-session corp]\nsso_region = r\n[services corp]\ns3 =\n  endpoint_url = x\n",
			profile: "corp",
			want:    nil,
		},
		{
			name:        "[profile name] in the credentials file is dropped, as by the SDK",
			credentials: "[profile p]\naws_access_key_id = AKIA\n",
			profile:     "p",
			want:        nil,
		},
		{
			name:        "a profile with no settings exists",
			credentials: "[empty]\n",
			profile:     "empty",
			want:        map[string]string{},
		},
		{
			name:    "settings before the first header belong to no profile",
			config:  "region = global\n[default]\noutput = json\n",
			profile: "default",
			want:    map[string]string{"output": "json"},
		},
		{
			name:    "# and ; inside a header's brackets are part of the name, as the AWS CLI reads them",
			config:  "[profile ok]\nx = 1\n[profile team;dev]\ny = 2\n[profile a#b] ; comment\nz = 3\n",
			profile: "ok",
			want:    map[string]string{"x": "1"},
		},
		{
			name:        "a ; in a credentials-file header",
			credentials: "[ok]\nx = 1\n[team;dev]\ny = 2\n",
			profile:     "team;dev",
			want:        map[string]string{"y": "2"},
		},
		{
			name:    "a quoted profile name in the config file, as the AWS CLI reads it",
			config:  "[profile \"personal\"]\nx = 1\n[profile 'my prod']\ny = 2\n[profile \"half]\nz = 3\n",
			profile: "personal",
			want:    map[string]string{"x": "1"},
		},
		{
			name:    "a quoted name with a space",
			config:  "[profile 'my prod']\ny = 2\n",
			profile: "my prod",
			want:    map[string]string{"y": "2"},
		},
		{
			name:        "the credentials file takes quotes literally",
			credentials: "[\"personal\"]\nx = 1\n",
			profile:     "\"personal\"",
			want:        map[string]string{"x": "1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := load(t, tt.config, tt.credentials)
			got, ok := f.Profile(tt.profile)
			if tt.want == nil {
				if ok {
					t.Fatalf("Profile(%q) = %v, want no such profile", tt.profile, got.Values)
				}
				if slices.Contains(f.Names(), tt.profile) {
					t.Errorf("Names() = %q lists %q", f.Names(), tt.profile)
				}
				return
			}
			if !ok {
				t.Fatalf("Profile(%q) not found; names %q", tt.profile, f.Names())
			}
			if !reflect.DeepEqual(got.Values, tt.want) {
				t.Errorf("Profile(%q).Values =\n %q\nwant\n %q", tt.profile, got.Values, tt.want)
			}
			if got.Name != tt.profile {
				t.Errorf("Name = %q, want %q", got.Name, tt.profile)
			}
		})
	}
}

func TestProfileSourceFlagsAndGet(t *testing.T) {
	f := load(t, "[profile both]\nRegion = r\n[profile cfg]\n", "[both]\n[cred]\n")
	for _, tt := range []struct {
		name              string
		config, credentia bool
	}{{"both", true, true}, {"cfg", true, false}, {"cred", false, true}} {
		p, ok := f.Profile(tt.name)
		if !ok {
			t.Fatalf("Profile(%q) not found", tt.name)
		}
		if p.ConfigFile != tt.config || p.CredentialsFile != tt.credentia {
			t.Errorf("Profile(%q): ConfigFile=%v CredentialsFile=%v, want %v %v", tt.name, p.ConfigFile,
				p.CredentialsFile, tt.config, tt.credentia)
		}
	}
	p, _ := f.Profile("both")
	if got := p.Get("REGION"); got != "r" {
		t.Errorf(`Get("REGION") = %q, want "r"`, got)
	}
	if got := p.Get("missing"); got != "" {
		t.Errorf(`Get("missing") = %q, want ""`, got)
	}

	// The returned map is the caller's: changing it does not change the next lookup.
	p.Values["region"] = "changed"
	again, _ := f.Profile("both")
	if again.Get("region") != "r" {
		t.Errorf("a caller's change to Values leaked into Files: region = %q", again.Get("region"))
	}
}

func TestSSOSession(t *testing.T) {
	f := load(t, "[profile dev]\nsso_session = corp\n[sso-session corp]\nsso_start_url = https://x/start\n"+
		"sso_region = eu-west-1 # home\n[sso-session  other]\nsso_region = r\n", "[sso-session corp]\nx = y\n")
	got, ok := f.SSOSession("corp")
	want := map[string]string{"sso_start_url": "https://x/start", "sso_region": "eu-west-1"}
	if !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("SSOSession(corp) = %v, %v; want %v (the credentials file has no sso-sessions)", got, ok, want)
	}
	if got, ok := f.SSOSession("other"); !ok || got["sso_region"] != "r" {
		t.Errorf("SSOSession(other) = %v, %v", got, ok)
	}
	if _, ok := f.SSOSession("dev"); ok {
		t.Error("SSOSession(dev) found a profile")
	}
	if _, ok := f.Profile("corp"); ok {
		t.Error("Profile(corp) found an sso-session in the config file")
	}
}

const namesConfig = `# leading comment
[default]
region = us-east-1
[profile prod]
role_arn = arn:aws:iam::1:role/a
  [not-a-header-either] = 1
[sso-session corp]
sso_region = r
[ profile  dev ] ; comment
[services s]
[bare]
[profile default]
[profile prod]
# [profile commented]
; [profile commented2]
x = [profile in-a-value]
[profile a#b]
[profile c;d]
[profile spaced name]
	[profile tab-indented]
[profile unclosed
[]
[profile last]`

const namesCredentials = "[prod]\r\n[static]\r\n[profile dropped]\r\n[ dev ]\r\n[sso-session x]\r\n[default]\r\n[a b]"

func TestProfileNames(t *testing.T) {
	p := writeFiles(t, namesConfig, namesCredentials)
	want := []string{"default", "prod", "dev", "a#b", "c;d", "spaced name", "tab-indented", "last", "static",
		"sso-session x", "a b"}

	got, err := ProfileNames(p)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("ProfileNames =\n %q\nwant\n %q", got, want)
	}

	// Load refuses this config (an unclosed header), so compare Names on a copy without that line.
	fixed := strings.Replace(namesConfig, "[profile unclosed\n", "", 1)
	f, err := Load(writeFiles(t, fixed, namesCredentials))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Names(); !slices.Equal(got, want) {
		t.Errorf("Files.Names =\n %q\nwant\n %q", got, want)
	}
}

func TestMissingFilesAreEmpty(t *testing.T) {
	p := writeFiles(t, noFile, noFile)
	names, err := ProfileNames(p)
	if err != nil || len(names) != 0 {
		t.Errorf("ProfileNames with no files = %q, %v; want none, nil", names, err)
	}
	f, err := Load(p)
	if err != nil {
		t.Fatalf("Load with no files: %v", err)
	}
	if len(f.Names()) != 0 {
		t.Errorf("Names = %q, want none", f.Names())
	}
	if _, err := Load(Paths{}); err != nil {
		t.Errorf("Load with empty paths: %v", err)
	}

	onlyCredentials := writeFiles(t, noFile, "[x]\n")
	if names, err := ProfileNames(onlyCredentials); err != nil || !slices.Equal(names, []string{"x"}) {
		t.Errorf("ProfileNames with only credentials = %q, %v", names, err)
	}
}

func TestUnreadableFileIsAnError(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "config")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	p := Paths{Config: folder, Credentials: filepath.Join(dir, "credentials")}
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), folder) {
		t.Errorf("Load with a folder as config = %v, want an error naming %s", err, folder)
	}
	if _, err := ProfileNames(p); err == nil || !strings.Contains(err.Error(), folder) {
		t.Errorf("ProfileNames with a folder as config = %v, want an error naming %s", err, folder)
	}

	p = Paths{Credentials: folder}
	if _, err := Load(p); err == nil || !strings.Contains(err.Error(), "credentials file "+folder) {
		t.Errorf("Load with a folder as credentials = %v, want an error naming the credentials file", err)
	}
}

func TestMalformedLines(t *testing.T) {
	const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	tests := []struct {
		name        string
		config      string
		credentials string
		file        string // "config" or "credentials"
		line        int
	}{
		{"a bare word", "[default]\nregion = r\n" + secret + "\n", "", "config", 3},
		{"an unclosed header", "[default]\n[profile prod\nregion = r\n", "", "config", 2},
		{"in the credentials file, CRLF", "", "[a]\r\nx = 1\r\n\r\n" + secret + "\r\n", "credentials", 4},
		{"after a byte order mark", "\uFEFF[a]\n" + secret, "", "config", 2},
		{"before any header", secret + "\n[a]\n", "", "config", 1},
		{"text after a header", "[profile a]\nx = 1\n[profile b] trailing\ny = 2\n", "", "config", 3},
		{"a second ] after a header", "[a]\n[profile b] # [x]\n", "", "config", 2},
		{"a ] inside the name", "", "[a]b]\nx = 1\n", "credentials", 1},
		{"a header with a setting after it", "", "[a]\n[b]x = 1\n", "credentials", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFiles(t, tt.config, tt.credentials)
			_, err := Load(p)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Load error = %v, want a *ParseError", err)
			}
			wantFile := p.Config
			if tt.file == "credentials" {
				wantFile = p.Credentials
			}
			if pe.File != wantFile || pe.Line != tt.line {
				t.Errorf("ParseError at %s:%d, want %s:%d", pe.File, pe.Line, wantFile, tt.line)
			}
			if msg := err.Error(); strings.Contains(msg, secret[:8]) || !strings.Contains(msg, wantFile) {
				t.Errorf("error message %q must name the file and not quote the line", msg)
			}
		})
	}
}

func TestLenientLinesAreAccepted(t *testing.T) {
	// Lines the AWS CLI accepts even though they are odd; none may make Load fail.
	config := strings.Join([]string{
		"[profile a]",
		"= value without a key",
		"key-with-colon: v",
		"  indented words without a separator",
		"\v[profile c]",
		"\u00a0 odd leading space",
		"[profile d] # comment = yes",
		"   ",
		"\t",
		"[]",
		"after = empty header",
	}, "\n")
	f, err := Load(writeFiles(t, config, ""))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if got, want := f.Names(), []string{"a", "c", "d"}; !slices.Equal(got, want) {
		t.Errorf("Names = %q, want %q", got, want)
	}
}

func TestDefaultPaths(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	want := Paths{Config: filepath.Join(home, ".aws", "config"), Credentials: filepath.Join(home, ".aws", "credentials")}
	if got := DefaultPaths(getenv, home); got != want {
		t.Errorf("DefaultPaths() = %+v, want %+v", got, want)
	}

	env["AWS_CONFIG_FILE"], env["AWS_SHARED_CREDENTIALS_FILE"] = "~/custom/cfg", "/abs/creds"
	want = Paths{Config: filepath.Join(home, "custom", "cfg"), Credentials: "/abs/creds"}
	if got := DefaultPaths(getenv, home); got != want {
		t.Errorf("DefaultPaths() with variables = %+v, want %+v", got, want)
	}

	env["AWS_CONFIG_FILE"], env["AWS_SHARED_CREDENTIALS_FILE"] = "~", "~other/creds"
	want = Paths{Config: home, Credentials: "~other/creds"}
	if got := DefaultPaths(getenv, home); got != want {
		t.Errorf("DefaultPaths() with ~ forms = %+v, want %+v", got, want)
	}
}
