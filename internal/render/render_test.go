package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// sessionCreds are temporary credentials with every field filled in. The
// expiry is given in a non-UTC zone to show that output is converted to UTC.
var sessionCreds = Credentials{
	AccessKeyID:     "ASIAIOSFODNN7EXAMPLE",
	SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	SessionToken:    "FwoGZXIvYXdzEBYaDEXAMPLE+token/with=base64==",
	Expires:         time.Date(2030, 1, 2, 5, 4, 5, 0, time.FixedZone("UTC+2", 2*60*60)),
	Region:          "eu-west-1",
	Profile:         "prod",
}

// staticCreds are long-term keys: no token, no expiry, no region.
var staticCreds = Credentials{
	AccessKeyID:     "AKIAIOSFODNN7EXAMPLE",
	SecretAccessKey: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
	Profile:         "dev-static",
}

func names(vars []Var) []string {
	var out []string
	for _, v := range vars {
		out = append(out, v.Name)
	}
	return out
}

func TestEnvForSession(t *testing.T) {
	env := EnvFor(sessionCreds)
	want := []Var{
		{"AWS_ACCESS_KEY_ID", "ASIAIOSFODNN7EXAMPLE"},
		{"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
		{"AWS_SESSION_TOKEN", "FwoGZXIvYXdzEBYaDEXAMPLE+token/with=base64=="},
		{"AWS_CREDENTIAL_EXPIRATION", "2030-01-02T03:04:05Z"},
		{"AWS_REGION", "eu-west-1"},
		{"AWS_DEFAULT_REGION", "eu-west-1"},
		{"ASSUME_PROFILE", "prod"},
		{"AWSUME_PROFILE", "prod"},
	}
	if !reflect.DeepEqual(env.Set, want) {
		t.Errorf("Set =\n%q\nwant\n%q", env.Set, want)
	}
	wantUnset := []string{"AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_VAULT", "AWSU_PROFILE", "AWS_SSO_PROFILE"}
	if !reflect.DeepEqual(env.Unset, wantUnset) {
		t.Errorf("Unset = %q, want %q", env.Unset, wantUnset)
	}
}

func TestEnvForStatic(t *testing.T) {
	env := EnvFor(staticCreds)
	wantSet := []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ASSUME_PROFILE", "AWSUME_PROFILE"}
	if got := names(env.Set); !reflect.DeepEqual(got, wantSet) {
		t.Errorf("Set names = %q, want %q (no token, expiry or region)", got, wantSet)
	}
	wantUnset := []string{"AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CREDENTIAL_EXPIRATION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_VAULT", "AWSU_PROFILE", "AWS_SSO_PROFILE"}
	if !reflect.DeepEqual(env.Unset, wantUnset) {
		t.Errorf("Unset = %q, want %q", env.Unset, wantUnset)
	}
}

func TestEnvForPartial(t *testing.T) {
	// A token without a known expiry still unsets a stale expiry, and a
	// region is exported under both names.
	c := staticCreds
	c.SessionToken = "tok"
	c.Region = "us-east-2"
	env := EnvFor(c)
	wantSet := []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "ASSUME_PROFILE", "AWSUME_PROFILE"}
	if got := names(env.Set); !reflect.DeepEqual(got, wantSet) {
		t.Errorf("Set names = %q, want %q", got, wantSet)
	}
	wantUnset := []string{"AWS_SECURITY_TOKEN", "AWS_CREDENTIAL_EXPIRATION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_VAULT", "AWSU_PROFILE", "AWS_SSO_PROFILE"}
	if !reflect.DeepEqual(env.Unset, wantUnset) {
		t.Errorf("Unset = %q, want %q", env.Unset, wantUnset)
	}
}

func TestEnvForNeverSetsAndUnsetsTheSameName(t *testing.T) {
	for _, c := range []Credentials{sessionCreds, staticCreds} {
		env := EnvFor(c)
		set := map[string]bool{}
		for _, v := range env.Set {
			set[v.Name] = true
		}
		for _, n := range env.Unset {
			if set[n] {
				t.Errorf("%s is both set and unset", n)
			}
		}
	}
}

func TestUnsetEnvCoversEverythingSet(t *testing.T) {
	u := UnsetEnv()
	if len(u.Set) != 0 {
		t.Errorf("UnsetEnv sets %q", u.Set)
	}
	clears := map[string]bool{}
	for _, n := range u.Unset {
		clears[n] = true
	}
	// docs/cli.md: --unset clears every variable an export sets and every one it removes.
	for _, c := range []Credentials{sessionCreds, staticCreds} {
		env := EnvFor(c)
		for _, v := range env.Set {
			if !clears[v.Name] {
				t.Errorf("UnsetEnv leaves %s, which EnvFor sets", v.Name)
			}
		}
		for _, n := range env.Unset {
			if !clears[n] {
				t.Errorf("UnsetEnv leaves %s, which EnvFor removes", n)
			}
		}
	}
	if !reflect.DeepEqual(UnsetEnv(), u) {
		t.Error("UnsetEnv order is not fixed")
	}
}

func TestParseFormat(t *testing.T) {
	for _, name := range Formats() {
		f, err := ParseFormat(name)
		if err != nil || string(f) != name {
			t.Errorf("ParseFormat(%q) = %q, %v", name, f, err)
		}
	}
	if f, err := ParseFormat("pwsh"); err == nil {
		t.Errorf("ParseFormat(pwsh) = %q: aliases belong to package shell", f)
	}
	for _, bad := range []string{"", "dash", "Bash", "cmd", "powershell ", "json\n"} {
		f, err := ParseFormat(bad)
		if err == nil {
			t.Errorf("ParseFormat(%q) = %q, want an error", bad, f)
			continue
		}
		for _, name := range Formats() {
			if !strings.Contains(err.Error(), name) {
				t.Errorf("error %q does not list %s", err, name)
			}
		}
	}
}

func TestFormats(t *testing.T) {
	want := []string{"bash", "zsh", "fish", "powershell", "sh", "dotenv", "json", "credential-process"}
	if got := Formats(); !reflect.DeepEqual(got, want) {
		t.Errorf("Formats() = %q, want %q", got, want)
	}
	shells := map[Format]bool{Bash: true, Zsh: true, Fish: true, PowerShell: true, Sh: true}
	for _, name := range want {
		if got := Format(name).IsShell(); got != shells[Format(name)] {
			t.Errorf("%s.IsShell() = %v", name, got)
		}
	}
}

func TestInvalidVariableNames(t *testing.T) {
	bad := []string{"", "1A", "A-B", "A B", "A=B", "A;B", "$A", "A\n", "Ä", "A\x00", "A.B", "`x`"}
	for _, f := range append(shellFormats(), Dotenv) {
		for _, name := range bad {
			var out bytes.Buffer
			err := WriteEnv(&out, f, Env{Set: []Var{{"OK", "v"}, {name, "v"}}})
			if err == nil {
				t.Errorf("%s: set %q: no error", f, name)
			}
			if out.Len() != 0 {
				t.Errorf("%s: set %q: wrote %q despite the error", f, name, out.String())
			}
			out.Reset()
			err = WriteEnv(&out, f, Env{Set: []Var{{"OK", "v"}}, Unset: []string{name}})
			if err == nil {
				t.Errorf("%s: unset %q: no error", f, name)
			}
			if out.Len() != 0 {
				t.Errorf("%s: unset %q: wrote %q despite the error", f, name, out.String())
			}
		}
		for _, good := range []string{"A", "_", "a_1", "_9", "AWS_ACCESS_KEY_ID"} {
			if err := WriteEnv(new(bytes.Buffer), f, Env{Set: []Var{{good, "v"}}, Unset: []string{good}}); err != nil {
				t.Errorf("%s: name %q: %v", f, good, err)
			}
		}
	}
}

func TestNULIsAnErrorWithoutTheValue(t *testing.T) {
	const secret = "SECRETPART"
	for _, f := range append(shellFormats(), Dotenv) {
		var out bytes.Buffer
		err := WriteEnv(&out, f, Env{Set: []Var{{"A", "fine"}, {"B", secret + "\x00tail"}}})
		if err == nil {
			t.Fatalf("%s: a NUL byte gave no error", f)
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("%s: error %q shows the value", f, err)
		}
		if !strings.Contains(err.Error(), "B") {
			t.Errorf("%s: error %q does not name the variable", f, err)
		}
		if out.Len() != 0 {
			t.Errorf("%s: wrote %q despite the error", f, out.String())
		}
	}
	c := sessionCreds
	c.SessionToken = "a\x00b"
	var out bytes.Buffer
	if err := Export(&out, Bash, c); err == nil || out.Len() != 0 {
		t.Errorf("Export with a NUL in the token: err %v, output %q", err, out.String())
	}
}

func TestInvalidUTF8(t *testing.T) {
	// PowerShell strings and JSON cannot hold invalid UTF-8: an error, and
	// nothing written. The other formats carry the bytes as they are.
	const secret = "SECRETPART\xff"
	var out bytes.Buffer
	err := WriteEnv(&out, PowerShell, Env{Set: []Var{{"A", "ok"}, {"B", secret}}})
	if err == nil || out.Len() != 0 || strings.Contains(err.Error(), "SECRETPART") {
		t.Errorf("powershell: err %v, output %q", err, out.String())
	}
	c := sessionCreds
	c.SecretAccessKey = secret
	for _, f := range []Format{JSON, CredentialProcess, PowerShell} {
		out.Reset()
		err := Export(&out, f, c)
		if err == nil || out.Len() != 0 || strings.Contains(err.Error(), "SECRETPART") {
			t.Errorf("%s: err %v, output %q", f, err, out.String())
		}
	}
	for _, f := range []Format{Bash, Zsh, Fish, Sh, Dotenv} {
		out.Reset()
		if err := Export(&out, f, c); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestMissingKeysAreAnError(t *testing.T) {
	for _, c := range []Credentials{{SecretAccessKey: "s"}, {AccessKeyID: "a"}} {
		for _, name := range Formats() {
			var out bytes.Buffer
			if err := Export(&out, Format(name), c); err == nil || out.Len() != 0 {
				t.Errorf("%s: err %v, output %q", name, err, out.String())
			}
		}
	}
}

func TestUnknownFormat(t *testing.T) {
	var out bytes.Buffer
	if err := Export(&out, Format("tcsh"), sessionCreds); err == nil || out.Len() != 0 {
		t.Errorf("Export: err %v, output %q", err, out.String())
	}
	if err := WriteEnv(&out, Format("tcsh"), EnvFor(sessionCreds)); err == nil || out.Len() != 0 {
		t.Errorf("WriteEnv: err %v, output %q", err, out.String())
	}
}

func TestUnsetOnlyForShells(t *testing.T) {
	for _, name := range Formats() {
		f := Format(name)
		var out bytes.Buffer
		err := Unset(&out, f)
		if f.IsShell() {
			if err != nil || out.Len() == 0 {
				t.Errorf("%s: err %v, output %q", f, err, out.String())
			}
			continue
		}
		if err == nil || out.Len() != 0 {
			t.Errorf("%s: err %v, output %q; want an error and no output", f, err, out.String())
		}
	}
}

func TestWriteEnvRejectsJSON(t *testing.T) {
	for _, f := range []Format{JSON, CredentialProcess} {
		var out bytes.Buffer
		if err := WriteEnv(&out, f, EnvFor(sessionCreds)); err == nil || out.Len() != 0 {
			t.Errorf("%s: err %v, output %q", f, err, out.String())
		}
	}
}

// failingWriter fails every write, to show that Export reports it.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrorIsReported(t *testing.T) {
	for _, name := range Formats() {
		if err := Export(failingWriter{}, Format(name), sessionCreds); err == nil {
			t.Errorf("%s: a failing writer gave no error", name)
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	c := sessionCreds
	c.Profile = "it's \"odd\" <&> \u2018x\u2019 \n\t\x01 é 💥 \u2028"
	var out bytes.Buffer
	if err := Export(&out, JSON, c); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	if strings.Count(s, "\n") != 1 || !strings.HasSuffix(s, "\n") {
		t.Errorf("not one line and a newline: %q", s)
	}
	var got map[string]string
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Profile": c.Profile, "AccessKeyId": c.AccessKeyID, "SecretAccessKey": c.SecretAccessKey,
		"SessionToken": c.SessionToken, "Expiration": "2030-01-02T03:04:05Z", "Region": "eu-west-1",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %q\nwant %q", got, want)
	}

	out.Reset()
	if err := Export(&out, JSON, staticCreds); err != nil {
		t.Fatal(err)
	}
	got = nil
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want = map[string]string{"Profile": "dev-static", "AccessKeyId": staticCreds.AccessKeyID, "SecretAccessKey": staticCreds.SecretAccessKey}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("static: decoded %q\nwant %q (empty fields left out)", got, want)
	}
}

func TestCredentialProcessRoundTrip(t *testing.T) {
	type process struct {
		Version         int
		AccessKeyId     string
		SecretAccessKey string
		SessionToken    *string
		Expiration      *string
	}
	var out bytes.Buffer
	if err := Export(&out, CredentialProcess, sessionCreds); err != nil {
		t.Fatal(err)
	}
	var got process
	dec := json.NewDecoder(bytes.NewReader(out.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Version != 1 || got.AccessKeyId != sessionCreds.AccessKeyID || got.SecretAccessKey != sessionCreds.SecretAccessKey ||
		got.SessionToken == nil || *got.SessionToken != sessionCreds.SessionToken ||
		got.Expiration == nil || *got.Expiration != "2030-01-02T03:04:05Z" {
		t.Errorf("decoded %+v from %s", got, out.String())
	}
	exp, err := time.Parse(time.RFC3339, *got.Expiration)
	if err != nil || !exp.Equal(sessionCreds.Expires) {
		t.Errorf("Expiration %q is not the same instant as %v (%v)", *got.Expiration, sessionCreds.Expires, err)
	}

	out.Reset()
	if err := Export(&out, CredentialProcess, staticCreds); err != nil {
		t.Fatal(err)
	}
	got = process{}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Version != 1 || got.SessionToken != nil || got.Expiration != nil || got.AccessKeyId != staticCreds.AccessKeyID {
		t.Errorf("static: decoded %+v from %s", got, out.String())
	}
}

// shellFormats are the formats with their own statements.
func shellFormats() []Format { return []Format{Bash, Zsh, Fish, PowerShell, Sh} }

func TestEveryStatementEndsWithANewline(t *testing.T) {
	for _, f := range append(shellFormats(), Dotenv) {
		var out bytes.Buffer
		if err := Export(&out, f, sessionCreds); err != nil {
			t.Fatal(err)
		}
		env := EnvFor(sessionCreds)
		lines := strings.SplitAfter(out.String(), "\n")
		if last := lines[len(lines)-1]; last != "" {
			t.Errorf("%s: output does not end with a newline: %q", f, last)
		}
		want := len(env.Set) + len(env.Unset)
		if f == Dotenv {
			want = len(env.Set)
		}
		if n := len(lines) - 1; n != want {
			t.Errorf("%s: %d lines, want one per statement (%d):\n%s", f, n, want, out.String())
		}
	}
}
