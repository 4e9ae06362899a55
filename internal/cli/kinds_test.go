package cli

import (
	"github.com/assume-cli/assume/internal/testkit"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The listing, the table, the picker and the export agree on every profile's name and kind, for profiles that
// could be read several ways.
func TestListingPickerAndExportAgreeOnKinds(t *testing.T) {
	dir := t.TempDir()
	proc := filepath.Join(dir, "proc.sh")
	testkit.WriteFile(t, proc, "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIAFROMPROCESS00001\", \"SecretAccessKey\": \"procsecret\"}'\n")
	if err := os.Chmod(proc, 0o700); err != nil {
		t.Fatal(err)
	}
	config := `[profile sso-keys]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = Dev
aws_access_key_id = AKIALEFTOVER00000001
aws_secret_access_key = leftover
[profile proc-config-keys]
credential_process = ` + proc + `
aws_access_key_id = AKIALEFTOVER00000002
aws_secret_access_key = leftover
[profile proc-cred-keys]
credential_process = ` + proc + `
[profile login]
login_session = arn:aws:iam::123456789012:user/me
[profile "personal"]
aws_access_key_id = AKIAPERSONAL00000001
aws_secret_access_key = personalsecret
[profile sso-half]
sso_account_id = 123456789012
sso_role_name = Dev
[profile settings]
region = eu-west-1
`
	credentials := `[proc-cred-keys]
aws_access_key_id = AKIACREDFILE00000001
aws_secret_access_key = credsecret
[team;dev]
aws_access_key_id = AKIATEAMDEV000000001
aws_secret_access_key = teamsecret
`
	e := newProfilesEnv(t, config, credentials)
	want := []struct{ name, kind string }{
		{"sso-keys", "sso"}, {"proc-config-keys", "process"}, {"proc-cred-keys", "static"}, {"login", "login"},
		{"personal", "static"}, {"sso-half", "invalid"}, {"settings", "none"}, {"team;dev", "static"},
	}

	if code := e.run("--list-profiles"); code != 0 {
		t.Fatalf("--list-profiles: exit %d, %s", code, e.stderr())
	}
	var names []string
	for _, w := range want {
		names = append(names, w.name)
	}
	if got := strings.Fields(e.stdout()); strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("--list-profiles = %q, want %q", got, names)
	}

	if code := e.run("-l"); code != 0 {
		t.Fatalf("-l: exit %d, %s", code, e.stderr())
	}
	kinds := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(e.stdout()), "\n")[1:] {
		f := strings.Fields(line)
		kinds[f[0]] = f[1]
	}
	for _, w := range want {
		if kinds[w.name] != w.kind {
			t.Errorf("-l shows %s as %q, want %q", w.name, kinds[w.name], w.kind)
		}
	}

	e.prompter.Answers = testkit.Replies("proc-config-keys")
	if code := e.run("--format", "bash"); code != 0 {
		t.Fatalf("picker: exit %d, %s", code, e.stderr())
	}
	for i, n := range e.prompter.Options {
		if kind, _, _ := strings.Cut(e.prompter.Notes[i], ","); kind != kinds[n] {
			t.Errorf("the picker describes %s as %q, -l as %q", n, e.prompter.Notes[i], kinds[n])
		}
	}
	if !strings.Contains(e.stdout(), "AKIAFROMPROCESS00001") || strings.Contains(e.stdout(), "LEFTOVER") {
		t.Errorf("the process profile exported %q, want the process's key", e.stdout())
	}

	for name, key := range map[string]string{"proc-cred-keys": "AKIACREDFILE00000001", "personal": "AKIAPERSONAL00000001", "team;dev": "AKIATEAMDEV000000001"} {
		if code := e.run(name, "--format", "bash"); code != 0 || !strings.Contains(e.stdout(), key) {
			t.Errorf("assume %s: exit %d, stdout %q, stderr %q; want %s exported", name, code, e.stdout(), e.stderr(), key)
		}
	}
	e.noSTSCalls()
}
