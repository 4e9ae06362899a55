package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/cli"
	"github.com/assume-cli/assume/internal/fakests"
	"github.com/assume-cli/assume/internal/iostreams"
	"github.com/assume-cli/assume/internal/testkit"
)

const (
	userKey    = "AKIAUSERKEY000000001"
	userSecret = "uSeRsEcReT/with+chars"
	staticKey  = "AKIASTATIC0000000001"
	staticSec  = "StAtIcSeCrEt'$(touch /tmp/pwned)"
	serial     = "arn:aws:iam::111111111111:mfa/alice"
	roleARN    = "arn:aws:iam::222222222222:role/prod"
)

const configFile = `[default]
region = us-east-2

[profile alice]
mfa_serial = arn:aws:iam::111111111111:mfa/alice
region = eu-west-1

[profile prod]
role_arn = arn:aws:iam::222222222222:role/prod
source_profile = alice
region = eu-central-1

[profile prod-admin]
role_arn = arn:aws:iam::222222222222:role/prod
source_profile = alice

[profile orphan]
role_arn = arn:aws:iam::222222222222:role/prod
source_profile = nobody

[profile loop1]
role_arn = arn:aws:iam::222222222222:role/prod
source_profile = loop2

[profile loop2]
role_arn = arn:aws:iam::222222222222:role/prod
source_profile = loop1

[profile badduration]
role_arn = arn:aws:iam::222222222222:role/prod
source_profile = alice
duration_seconds = soon
`

const credentialsFile = `# my keys
[alice]
aws_access_key_id = AKIAUSERKEY000000001
aws_secret_access_key = uSeRsEcReT/with+chars

[static]
aws_access_key_id = AKIASTATIC0000000001
aws_secret_access_key = StAtIcSeCrEt'$(touch /tmp/pwned)

[nokeys]
aws_access_key_id = AKIANOSECRET
`

type harness struct {
	browser  cli.Browser // for --console; nil: the system opener
	t        *testing.T
	sts      *fakests.Server
	dir      string
	streams  *iostreams.TestStreams
	prompter *testkit.Prompter
	// env is the environment assume sees, through Deps: the process's is never changed, so
	// tests run in parallel.
	env map[string]string
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	dir := t.TempDir()
	files := testkit.WriteAWSFiles(t, dir, configFile, credentialsFile)
	s := fakests.New(
		[]fakests.User{{Name: "alice", AccessKeyID: userKey, SecretAccessKey: userSecret, MFASerial: serial, Code: "123456"}},
		[]fakests.Role{{ARN: roleARN, RequireMFA: true, MaxDuration: 4 * time.Hour}},
	)
	t.Cleanup(s.Close)
	env := files.Env()
	env["AWS_ENDPOINT_URL_STS"] = s.URL
	env["PATH"] = os.Getenv("PATH")
	return &harness{t: t, sts: s, dir: dir, streams: iostreams.Test(), prompter: &testkit.Prompter{}, env: env}
}

// environ is h.env as NAME=value entries.
func (h *harness) environ() []string {
	var list []string
	for k, v := range h.env {
		list = append(list, k+"="+v)
	}
	return list
}

func write(t *testing.T, path, content string) {
	t.Helper()
	testkit.WriteFile(t, path, content)
}

// run parses args like main does and runs them; it returns the exit code.
func (h *harness) run(args ...string) int {
	h.t.Helper()
	return h.runAs("bash", nil, args...)
}

// runAs runs assume as called from shell, with vars on top of h.env for this run only.
func (h *harness) runAs(shell string, vars map[string]string, args ...string) int {
	h.t.Helper()
	h.streams.OutBuf.Reset()
	h.streams.ErrBuf.Reset()
	getenv := func(k string) string {
		if v, ok := vars[k]; ok {
			return v
		}
		return h.env[k]
	}
	return cli.Main(context.Background(), args, cli.Deps{
		Streams:  h.streams.IOStreams,
		Prompter: h.prompter,
		Getenv:   getenv,
		Environ: func() []string {
			env := h.environ()
			for k, v := range vars {
				env = append(env, k+"="+v)
			}
			return env
		},
		CacheDir:    filepath.Join(h.dir, "cache"),
		DetectShell: func() string { return shell },
		Browser:     h.browser,
	})
}

func (h *harness) stdout() string { return h.streams.OutBuf.String() }
func (h *harness) stderr() string { return h.streams.ErrBuf.String() }

// noSecrets fails if any secret reached stderr.
func (h *harness) noSecrets(extra ...string) {
	h.t.Helper()
	for _, s := range append([]string{userSecret, staticSec, "123456"}, extra...) {
		if s != "" && strings.Contains(h.stderr(), s) {
			h.t.Fatalf("a secret reached stderr: %q", h.stderr())
		}
	}
}

func TestParseFlags(t *testing.T) {
	t.Parallel()
	var opts cli.Options
	parser, err := cli.NewParser(&opts, os.Stdout, func(code int) { t.Fatalf("kong exited with %d", code) })
	if err != nil {
		t.Fatal(err)
	}
	_, err = parser.Parse([]string{"prod", "-m", "123456", "--format", "fish", "-d", "90m", "--session-duration", "8h",
		"-r", "eu-west-1", "--role-arn", "arn:x", "--external-id", "e", "--session-name", "me", "--no-session",
		"--refresh", "--write-profile", "tmp", "--mfa-process", "ykman oath accounts code --single AWS"})
	if err != nil {
		t.Fatal(err)
	}
	want := cli.Options{Profile: "prod", MFAToken: "123456", Format: "fish", Duration: "90m", SessionDuration: "8h",
		Region: "eu-west-1", RoleARN: "arn:x", ExternalID: "e", SessionName: "me", NoSession: true, Refresh: true,
		WriteProfile: "tmp", MFAProcess: "ykman oath accounts code --single AWS"}
	if opts.Profile != want.Profile || opts.MFAToken != want.MFAToken || opts.Format != want.Format || opts.Duration != want.Duration ||
		opts.SessionDuration != want.SessionDuration || opts.Region != want.Region || opts.RoleARN != want.RoleARN ||
		opts.ExternalID != want.ExternalID || opts.SessionName != want.SessionName || !opts.NoSession || !opts.Refresh ||
		opts.WriteProfile != want.WriteProfile || opts.MFAProcess != want.MFAProcess {
		t.Fatalf("parsed %+v", opts)
	}
	var short cli.Options
	p2, _ := cli.NewParser(&short, os.Stdout, func(code int) { t.Fatalf("kong exited with %d", code) })
	if _, err := p2.Parse([]string{"-u", "-l"}); err != nil || !short.Unset || !short.List {
		t.Fatalf("short flags: %v %+v", err, short)
	}
}

func TestParseSplitsCommand(t *testing.T) {
	t.Parallel()
	o, err := cli.Parse([]string{"prod", "--", "aws", "s3", "ls", "-l", "--help"}, os.Stdout)
	if err != nil {
		t.Fatal(err)
	}
	if o.Profile != "prod" || !o.Exec || strings.Join(o.Command, " ") != "aws s3 ls -l --help" {
		t.Fatalf("%+v", o)
	}
}

func TestStaticExport(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if code := h.run("static", "--format", "bash"); code != 0 {
		t.Fatalf("exit %d: %s", code, h.stderr())
	}
	out := h.stdout()
	if !strings.Contains(out, "export AWS_ACCESS_KEY_ID='"+staticKey+"'") || !strings.Contains(out, "unset AWS_SESSION_TOKEN") {
		t.Fatalf("output:\n%s", out)
	}
	if n := h.sts.CallCount(""); n != 0 {
		t.Fatalf("%d STS calls for static keys", n)
	}
	if !strings.Contains(h.stderr(), "static (static keys)") {
		t.Fatalf("notice = %q", h.stderr())
	}
	h.noSecrets()
}

func TestMFAUserWithCodeFlag(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.env["AWS_ACCESS_KEY_ID"], h.env["AWS_SECRET_ACCESS_KEY"], h.env["AWS_SESSION_TOKEN"] = "ASIASTALE", "stale", "stale"
	if code := h.run("alice", "-m", "123456", "--format", "json"); code != 0 {
		t.Fatalf("exit %d: %s", code, h.stderr())
	}
	calls := h.sts.Calls()
	if len(calls) != 1 || calls[0].Action != "GetSessionToken" || calls[0].AccessKeyID != userKey || calls[0].SerialNumber != serial || calls[0].TokenCode != "123456" {
		t.Fatalf("calls = %+v", calls)
	}
	if !strings.Contains(h.stdout(), `"Region":"eu-west-1"`) || !strings.Contains(h.stdout(), `"SessionToken":"FwoG`) {
		t.Fatalf("stdout = %s", h.stdout())
	}
	if !strings.Contains(h.stderr(), "MFA session") || !strings.Contains(h.stderr(), "expires") {
		t.Fatalf("notice = %q", h.stderr())
	}
	h.noSecrets()
}

func TestPromptNamesProfileAndDevice(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.prompter.Answers = testkit.Replies("12", "123456")
	if code := h.run("prod", "--format", "bash"); code != 0 {
		t.Fatalf("exit %d: %s", code, h.stderr())
	}
	if len(h.prompter.Asked) != 2 || !strings.Contains(h.prompter.Asked[0], "prod") || !strings.Contains(h.prompter.Asked[0], serial) {
		t.Fatalf("asked %q", h.prompter.Asked)
	}
	if !strings.Contains(h.stdout(), "export AWS_SESSION_TOKEN=") || !strings.Contains(h.stdout(), "export ASSUME_PROFILE='prod'") {
		t.Fatalf("stdout = %s", h.stdout())
	}
	// Second run: cached, no prompt, no call.
	before := h.sts.CallCount("")
	h.prompter.Asked = nil
	if code := h.run("prod", "--format", "bash"); code != 0 || len(h.prompter.Asked) != 0 || h.sts.CallCount("") != before {
		t.Fatalf("cached run: exit %d, asked %q, calls %d→%d", code, h.prompter.Asked, before, h.sts.CallCount(""))
	}
	if !strings.Contains(h.stderr(), "cached") {
		t.Fatalf("notice = %q", h.stderr())
	}
}

func TestErrorsKeepStdoutEmpty(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"prod-admn", "--format", "bash"}, 1, "did you mean prod-admin"},
		{[]string{"orphan", "--format", "bash"}, 1, `source_profile "nobody" does not exist`},
		{[]string{"loop1", "--format", "bash"}, 1, "loops: loop1 -> loop2 -> loop1"},
		{[]string{"nokeys", "--format", "bash"}, 1, "no aws_secret_access_key"},
		{[]string{"badduration", "--format", "bash"}, 1, "duration_seconds"},
		{[]string{"prod", "-d", "forever", "--format", "bash"}, 2, "not a duration"},
		{[]string{"prod", "-d", "13h", "-m", "123456", "--format", "bash"}, 2, "--duration 13h is outside STS's limits"},
		{[]string{"prod", "-d", "600", "-m", "123456", "--format", "bash"}, 2, "--duration 10m is outside STS's limits"},
		{[]string{"alice", "--session-duration", "90s", "-m", "123456", "--format", "bash"}, 2, "--session-duration 1m30s is outside STS's limits"},
		{[]string{"prod", "-m", "12345", "--format", "bash"}, 2, "6 digits"},
		{[]string{"prod", "--format", "bash"}, 1, "-m CODE"},
		{[]string{"alice", "-m", "999999", "--format", "bash"}, 1, "AccessDenied"},
		{[]string{"static", "--format", "tcsh"}, 2, "tcsh"},
		{[]string{"static", "--bogus"}, 2, "unknown flag"},
		{[]string{"static", "--", "/nonexistent/cmd"}, 127, "command not found"},
		{[]string{"--init", "csh"}, 2, "csh"},
		{[]string{"profile", "prod", "--format", "bash"}, 2, "without the word profile"},
		{[]string{"profile prod", "--format", "bash"}, 1, "so run assume prod"},
		{[]string{"--format", "bash"}, 2, "name a profile"},
	}
	for _, c := range cases {
		h := newHarness(t)
		code := h.run(c.args...)
		if code != c.code || h.stdout() != "" || !strings.Contains(h.stderr(), c.want) {
			t.Errorf("assume %q: exit %d, stdout %q, stderr %q; want exit %d and %q", c.args, code, h.stdout(), h.stderr(), c.code, c.want)
		}
		if lines := strings.Count(strings.TrimSpace(h.stderr()), "\n"); lines != 0 {
			t.Errorf("assume %q: stderr has %d lines: %q", c.args, lines+1, h.stderr())
		}
		h.noSecrets("999999")
	}
}

func TestTerminalGetsGuidanceNotSecrets(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.streams.SetStdoutTTY(true)
	if code := h.run("alice", "-m", "123456"); code != 1 {
		t.Fatalf("exit %d", code)
	}
	if h.stdout() != "" || !strings.Contains(h.stderr(), `eval "$(assume --init bash)"`) {
		t.Fatalf("stdout %q stderr %q", h.stdout(), h.stderr())
	}
	if h.sts.CallCount("") != 0 {
		t.Fatal("STS was called for output that would be refused")
	}
	// Asking for a format explicitly prints.
	if code := h.run("static", "--format", "dotenv"); code != 0 || !strings.Contains(h.stdout(), "AWS_ACCESS_KEY_ID="+staticKey) {
		t.Fatalf("exit %d stdout %q", code, h.stdout())
	}
}

func TestWriteProfile(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if code := h.run("alice", "-m", "123456", "--write-profile", "alice-mfa", "--format", "bash"); code != 0 {
		t.Fatalf("exit %d: %s", code, h.stderr())
	}
	data, err := os.ReadFile(filepath.Join(h.dir, "credentials"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	if !strings.HasPrefix(text, credentialsFile) {
		t.Fatalf("the existing bytes changed:\n%s", text)
	}
	for _, k := range []string{"[alice-mfa]", "aws_access_key_id = ASIA", "aws_session_token = FwoG", "expiration = "} {
		if !strings.Contains(text, k) {
			t.Fatalf("missing %q in:\n%s", k, text)
		}
	}
	info, _ := os.Stat(filepath.Join(h.dir, "credentials"))
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", info.Mode())
	}
	// Long-term keys are never overwritten.
	h.sts.SetCode(userKey, "234567")
	code := h.run("alice", "-m", "234567", "--refresh", "--write-profile", "static", "--format", "bash")
	if code != 1 || h.stdout() != "" || !strings.Contains(h.stderr(), "long-term keys") {
		t.Fatalf("exit %d stdout %q stderr %q", code, h.stdout(), h.stderr())
	}
	after, _ := os.ReadFile(filepath.Join(h.dir, "credentials"))
	if string(after) != text {
		t.Fatal("a refused --write-profile changed the file")
	}
}

func TestExecRunsCommandWithCredentials(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.env["AWS_PROFILE"], h.env["AWS_SESSION_TOKEN"] = "elsewhere", "stale"
	code := h.run("static", "--", "sh", "-c", `printf '%s|%s|%s|%s' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "${AWS_PROFILE-unset}" "${AWS_SESSION_TOKEN-unset}"; exit 7`)
	if code != 7 {
		t.Fatalf("exit %d: %s", code, h.stderr())
	}
	if got := h.stdout(); got != staticKey+"|"+staticSec+"|unset|unset" {
		t.Fatalf("command saw %q", got)
	}
	if code := h.run("static", "--", "no-such-command-here"); code != 127 || !strings.Contains(h.stderr(), "not found") {
		t.Fatalf("exit %d: %s", code, h.stderr())
	}
}

func TestCredentialProcessFormat(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if code := h.run("alice", "-m", "123456", "--format", "credential-process"); code != 0 {
		t.Fatalf("exit %d: %s", code, h.stderr())
	}
	out := h.stdout()
	if !strings.HasPrefix(out, `{"Version":1,"AccessKeyId":"ASIA`) || !strings.Contains(out, `"Expiration":"`) {
		t.Fatalf("stdout = %s", out)
	}
}

func TestUnsetAndInitAndList(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if code := h.run("-u", "--format", "fish"); code != 0 || !strings.Contains(h.stdout(), "set -e -g AWS_SECRET_ACCESS_KEY") {
		t.Fatalf("exit %d stdout %q", code, h.stdout())
	}
	if code := h.run("--init", "zsh"); code != 0 || !strings.Contains(h.stdout(), "assume") {
		t.Fatalf("exit %d", code)
	}
	if code := h.run("--list-profiles"); code != 0 || h.stdout() != "default\nalice\nprod\nprod-admin\norphan\nloop1\nloop2\nbadduration\nstatic\nnokeys\n" {
		t.Fatalf("exit %d stdout %q", code, h.stdout())
	}
	if code := h.run("-l"); code != 0 || !strings.Contains(h.stdout(), "PROFILE") || !strings.Contains(h.stdout(), "mfa-user") {
		t.Fatalf("exit %d stdout %q", code, h.stdout())
	}
	h.noSecrets()
}

func TestRoleARNFlag(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	if code := h.run("alice", "--role-arn", roleARN, "--session-name", "me-now", "-m", "123456", "--no-session", "--format", "bash"); code != 0 {
		t.Fatalf("exit %d: %s", code, h.stderr())
	}
	c := h.sts.Calls()
	if len(c) != 1 || c[0].RoleArn != roleARN || c[0].RoleSessionName != "me-now" || c[0].SerialNumber != serial || c[0].AccessKeyID != userKey {
		t.Fatalf("calls = %+v", c)
	}
}

func TestPickerWhenNoProfile(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.prompter.Answers = testkit.Replies("static")
	if code := h.run("--format", "bash"); code != 0 || !strings.Contains(h.stdout(), staticKey) {
		t.Fatalf("exit %d stdout %q stderr %q", code, h.stdout(), h.stderr())
	}
}

// TestProcessCredentialsAreCached: an expiring credential_process result is
// served from the cache on the second run, and an edited profile misses.
func TestProcessCredentialsAreCached(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	counter := filepath.Join(h.dir, "runs")
	script := filepath.Join(h.dir, "creds.sh")
	exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	write(t, script, "#!/bin/sh\necho run >> '"+counter+"'\nprintf '{\"Version\":1,\"AccessKeyId\":\"ASIAPROC\",\"SecretAccessKey\":\"procsecret\",\"SessionToken\":\"proctoken\",\"Expiration\":\""+exp+"\"}'\n")
	os.Chmod(script, 0o700)
	write(t, filepath.Join(h.dir, "config"), "[profile proc]\ncredential_process = "+script+"\n")
	for i := 0; i < 2; i++ {
		if code := h.run("proc", "--format", "bash"); code != 0 || !strings.Contains(h.stdout(), "ASIAPROC") {
			t.Fatalf("run %d: exit %d stdout %q stderr %q", i, code, h.stdout(), h.stderr())
		}
	}
	if runs, _ := os.ReadFile(counter); strings.Count(string(runs), "run") != 1 {
		t.Fatalf("credential_process ran %d times for two assume runs", strings.Count(string(runs), "run"))
	}
	write(t, filepath.Join(h.dir, "config"), "[profile proc]\ncredential_process = "+script+"\nregion = eu-west-3\n")
	if code := h.run("proc", "--format", "bash"); code != 0 {
		t.Fatalf("exit %d: %s", code, h.stderr())
	}
	if runs, _ := os.ReadFile(counter); strings.Count(string(runs), "run") != 2 {
		t.Fatal("an edited profile was served from the cache")
	}
}

func TestListShowsWhereSSOAndWebIdentityComeFrom(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	write(t, filepath.Join(h.dir, "config"), "[profile legacy]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\nsso_account_id = 1\nsso_role_name = r\n\n"+
		"[profile ci]\nrole_arn = arn:aws:iam::1:role/ci\nweb_identity_token_file = /var/run/secrets/token.jwt\n")
	if code := h.run("-l"); code != 0 {
		t.Fatalf("exit %d: %s", code, h.stderr())
	}
	for _, want := range []string{"https://corp.awsapps.com/start", "token token.jwt"} {
		if !strings.Contains(h.stdout(), want) {
			t.Errorf("-l lacks %q:\n%s", want, h.stdout())
		}
	}
}
