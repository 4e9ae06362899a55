package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/cli"
	"github.com/assume-cli/assume/internal/credcache"
	"github.com/assume-cli/assume/internal/fakests"
	"github.com/assume-cli/assume/internal/fastpath"
	"github.com/assume-cli/assume/internal/iostreams"
	"github.com/assume-cli/assume/internal/session"
	"github.com/assume-cli/assume/internal/testkit"
)

// The front (cmd/assume, internal/fastpath) answers the everyday runs without the SDK and hands
// the rest to the full program. Whatever it answers must be exactly what the full program says,
// and it must answer the runs it is there for. These tests run both, in-process, on one world: a
// config of every common kind, a cache filled by real runs against the fake STS, and entries for
// SSO profiles stored under the keys of their plans.

// fastConfig adds profiles of every other common kind to the cli tests' configFile.
const fastConfig = configFile + `
[profile prod-long]
role_arn = arn:aws:iam::222222222222:role/prod
source_profile = alice
duration_seconds = 7200

[profile chained]
role_arn = arn:aws:iam::222222222222:role/plain
source_profile = prod

[profile plainrole]
role_arn = arn:aws:iam::222222222222:role/plain
source_profile = static
region = ap-south-1

[profile envrole]
role_arn = arn:aws:iam::222222222222:role/plain
credential_source = Environment

[profile sso]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
sso_account_id = 111111111111
sso_role_name = Admin
region = us-west-2

[profile ssorole]
role_arn = arn:aws:iam::222222222222:role/plain
source_profile = sso

[profile badregion]
role_arn = arn:aws:iam::222222222222:role/prod
source_profile = alice
region = eu west 1

[profile kr]
keyring = file
keyring_access_key_id = AKIAKEYRING000000001

[profile krrole]
role_arn = arn:aws:iam::222222222222:role/plain
source_profile = kr

[profile prod-uncached]
role_arn = arn:aws:iam::222222222222:role/prod
source_profile = alice
role_session_name = other
`

const fastCredentials = credentialsFile + `
[temp]
aws_access_key_id = ASIATEMP000000000001
aws_secret_access_key = tEmPsEcReT
aws_session_token = tEmP/ToKeN==
`

// fastWorld is the files and a filled cache folder, shared read-only by the cases.
type fastWorld struct {
	files    testkit.AWSFiles
	cacheDir string
	sts      *fakests.Server
	now      time.Time
}

func newFastWorld(t *testing.T) *fastWorld {
	t.Helper()
	dir := t.TempDir()
	w := &fastWorld{files: testkit.WriteAWSFiles(t, dir, fastConfig, fastCredentials), cacheDir: filepath.Join(dir, "cache"), now: time.Now()}
	w.sts = fakests.New(
		[]fakests.User{
			{Name: "alice", AccessKeyID: userKey, SecretAccessKey: userSecret, MFASerial: serial, Code: "123456"},
			{Name: "static", AccessKeyID: staticKey, SecretAccessKey: staticSec},
		},
		[]fakests.Role{
			{ARN: roleARN, RequireMFA: true, MaxDuration: 4 * time.Hour},
			{ARN: "arn:aws:iam::222222222222:role/plain"},
		},
	)
	t.Cleanup(w.sts.Close)
	// Fill the cache as users do: one run each, with a code where one is needed.
	for _, run := range []struct {
		args []string
		vars map[string]string
	}{
		{args: []string{"prod", "-m", "123456"}},
		{args: []string{"alice"}},
		{args: []string{"prod-long", "-m", "123456"}},
		{args: []string{"chained"}},
		{args: []string{"plainrole"}},
		{args: []string{"envrole"}, vars: map[string]string{"AWS_ACCESS_KEY_ID": staticKey, "AWS_SECRET_ACCESS_KEY": staticSec}},
	} {
		full := w.full(t, w.cacheDir, run.args, run.vars, w.now, terminal{})
		if full.code != 0 {
			t.Fatalf("filling the cache: assume %s: exit %d: %s", strings.Join(run.args, " "), full.code, full.stderr)
		}
	}
	// SSO sign-in and the keyring are not what is tested here: store what a run would have
	// stored, under the key of each profile's plan.
	files, err := awsfile.Load(awsfile.Paths{Config: w.files.Config, Credentials: w.files.Credentials})
	if err != nil {
		t.Fatal(err)
	}
	store := credcache.Store{Dir: w.cacheDir}
	for _, name := range []string{"sso", "ssorole", "krrole"} {
		p, err := session.Resolve(files, name)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := session.NewPlan(p, session.PlanOptions{})
		if err != nil {
			t.Fatal(err)
		}
		err = store.Put(plan.Top.Key, session.Entry{Profile: name, Kind: plan.Top.CacheKind, Credentials: session.Credentials{
			AccessKeyID: "ASIASSO" + strings.ToUpper(name), SecretAccessKey: "ssoSecret/" + name, SessionToken: "ssoToken+" + name,
			CanExpire: true, Expires: w.now.Add(50 * time.Minute), Source: "test",
		}})
		if err != nil {
			t.Fatal(err)
		}
	}
	return w
}

type fastResult struct {
	handled        bool
	code           int
	stdout, stderr string
}

func (w *fastWorld) getenv(vars map[string]string) func(string) string {
	env := w.files.Env()
	env["AWS_ENDPOINT_URL_STS"] = w.sts.URL
	return func(k string) string {
		if v, ok := vars[k]; ok {
			return v
		}
		return env[k]
	}
}

// terminal is where stdout goes and which shell started assume.
type terminal struct {
	tty, pipe bool
	parent    string // the parent process's shell
}

// full runs the whole program, as assume-full does.
func (w *fastWorld) full(t *testing.T, cacheDir string, args []string, vars map[string]string, now time.Time, term terminal) fastResult {
	t.Helper()
	streams := iostreams.Test()
	streams.SetStdoutTTY(term.tty)
	streams.SetStdoutPipe(term.pipe)
	code := cli.Main(context.Background(), args, cli.Deps{
		Streams:     streams.IOStreams,
		Prompter:    &testkit.Prompter{},
		Getenv:      w.getenv(vars),
		Now:         func() time.Time { return now },
		CacheDir:    cacheDir,
		DetectShell: func() string { return "bash" },
		ParentShell: func() string { return term.parent },
	})
	return fastResult{handled: true, code: code, stdout: streams.OutBuf.String(), stderr: streams.ErrBuf.String()}
}

// fast runs the front alone.
func (w *fastWorld) fast(cacheDir string, args []string, vars map[string]string, now time.Time, term terminal) fastResult {
	streams := iostreams.Test()
	code, handled := fastpath.Run(args, fastpath.Env{
		Stdout: streams.OutBuf, Stderr: streams.ErrBuf, StdoutTTY: term.tty, StdoutPipe: term.pipe,
		ParentShell: func() string { return term.parent },
		Getenv:      w.getenv(vars), Now: func() time.Time { return now },
		Paths:    awsfile.Paths{Config: w.files.Config, Credentials: w.files.Credentials},
		CacheDir: cacheDir, DetectShell: func() string { return "bash" },
	})
	return fastResult{handled: handled, code: code, stdout: streams.OutBuf.String(), stderr: streams.ErrBuf.String()}
}

// copyDir copies the cache folder, so that a full run that calls STS and fills an entry
// changes no other case.
func copyDir(t *testing.T, from string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "cache")
	if err := os.MkdirAll(to, 0o700); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		testkit.WriteFile(t, filepath.Join(to, e.Name()), string(data))
		if err := os.Chmod(filepath.Join(to, e.Name()), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return to
}

func TestFastpathSaysWhatTheFullProgramSays(t *testing.T) {
	t.Parallel()
	w := newFastWorld(t)
	envKeys := map[string]string{"AWS_ACCESS_KEY_ID": staticKey, "AWS_SECRET_ACCESS_KEY": staticSec}
	cases := []struct {
		name  string
		args  []string
		vars  map[string]string
		later time.Duration // the clock this long after the cache was filled
		term  terminal
		// fast: the front answers this run itself.
		fast bool
	}{
		{name: "static keys", args: []string{"static"}, fast: true},
		{name: "static keys, fish", args: []string{"static", "--format", "fish"}, fast: true},
		{name: "static keys, powershell first", args: []string{"--format", "powershell", "static"}, fast: true},
		{name: "static keys, pwsh alias", args: []string{"static", "--format=pwsh"}, fast: true},
		{name: "static keys, sh", args: []string{"static", "--format", "sh"}, fast: true},
		{name: "static keys, json", args: []string{"static", "--format", "json"}, fast: true},
		{name: "static keys, dotenv", args: []string{"static", "--format", "dotenv"}, fast: true},
		{name: "static keys, credential-process", args: []string{"static", "--format", "credential-process"}, fast: true},
		{name: "keys with a session token", args: []string{"temp"}, fast: true},
		{name: "cached MFA session", args: []string{"alice"}, fast: true},
		{name: "cached role via the MFA session", args: []string{"prod"}, fast: true},
		{name: "cached role, zsh", args: []string{"prod", "--format", "zsh"}, fast: true},
		{name: "cached role half an hour on", args: []string{"prod"}, later: 30 * time.Minute, fast: true},
		{name: "cached role inside the margin", args: []string{"prod"}, later: 56 * time.Minute},
		{name: "cached role expired", args: []string{"prod"}, later: 2 * time.Hour},
		{name: "cached role with MFA from long-term keys", args: []string{"prod-long"}, fast: true},
		{name: "cached chained role", args: []string{"chained"}, fast: true},
		{name: "cached role from static keys", args: []string{"plainrole"}, fast: true},
		{name: "cached role from the environment", args: []string{"envrole"}, vars: envKeys, fast: true},
		{name: "role from an empty environment", args: []string{"envrole"}},
		{name: "cached SSO profile", args: []string{"sso"}, fast: true},
		{name: "cached role over SSO", args: []string{"ssorole"}, fast: true},
		{name: "role never cached", args: []string{"prod-uncached"}},
		{name: "region from AWS_REGION", args: []string{"static"}, vars: map[string]string{"AWS_REGION": "sa-east-1"}, fast: true},
		{name: "region from AWS_DEFAULT_REGION", args: []string{"plainrole"}, vars: map[string]string{"AWS_DEFAULT_REGION": "sa-east-1"}, fast: true},
		{name: "bad region in the profile", args: []string{"badregion"}},
		{name: "bad AWS_REGION", args: []string{"static"}, vars: map[string]string{"AWS_REGION": "us east;1"}},
		{name: "keys in the keyring", args: []string{"kr"}},
		{name: "cached role over keys in the keyring", args: []string{"krrole"}, fast: true},
		{name: "source missing", args: []string{"orphan"}},
		{name: "unknown profile", args: []string{"prdo"}},
		{name: "terminal without --format", args: []string{"prod"}, term: terminal{tty: true}},
		{name: "terminal with --format", args: []string{"prod", "--format", "bash"}, term: terminal{tty: true}, fast: true},
		{name: "unknown format", args: []string{"prod", "--format", "tcsh"}},
		{name: "ASSUME_TIMEOUT set", args: []string{"prod"}, vars: map[string]string{"ASSUME_TIMEOUT": "45s"}, fast: true},
		{name: "ASSUME_TIMEOUT wrong", args: []string{"prod"}, vars: map[string]string{"ASSUME_TIMEOUT": "soon"}},
		{name: "ASSUME_MFA_TOKEN set", args: []string{"prod"}, vars: map[string]string{"ASSUME_MFA_TOKEN": "12345"}},
		{name: "ASSUME_LOCK_TIMEOUT set", args: []string{"prod"}, vars: map[string]string{"ASSUME_LOCK_TIMEOUT": "0"}},
		{name: "ASSUME_LOCK_TIMEOUT good", args: []string{"prod"}, vars: map[string]string{"ASSUME_LOCK_TIMEOUT": "90s"}, fast: true},
		{name: "other flags", args: []string{"prod", "-r", "eu-west-3"}},
		{name: "refresh", args: []string{"prod", "--refresh"}},
		{name: "profile list", args: []string{"--list-profiles"}, fast: true},
		{name: "help", args: []string{"--help"}},
		{name: "init bash", args: []string{"--init", "bash"}, term: terminal{pipe: true, parent: "bash"}, fast: true},
		{name: "init zsh to a file", args: []string{"--init=zsh"}, term: terminal{parent: "bash"}, fast: true},
		{name: "init fish with auto-refresh", args: []string{"--init", "fish", "--auto-refresh"}, term: terminal{pipe: true, parent: "fish"}, fast: true},
		{name: "init pwsh alias", args: []string{"--auto-refresh", "--init=pwsh"}, term: terminal{pipe: true, parent: "pwsh"}, fast: true},
		{name: "init for the wrong shell", args: []string{"--init", "bash"}, term: terminal{pipe: true, parent: "zsh"}},
		{name: "init for a shell without one", args: []string{"--init", "sh"}},
		{name: "init for an unknown shell", args: []string{"--init", "tcsh", "--auto-refresh"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			now := w.now.Add(c.later)
			fast := w.fast(copyDir(t, w.cacheDir), c.args, c.vars, now, c.term)
			if fast.handled != c.fast {
				t.Fatalf("assume %s: the front answered: %v, want %v (stderr %q)", strings.Join(c.args, " "), fast.handled, c.fast, fast.stderr)
			}
			if !fast.handled {
				if fast.stdout != "" || fast.stderr != "" {
					t.Fatalf("the front wrote before handing over: stdout %q, stderr %q", fast.stdout, fast.stderr)
				}
				return
			}
			full := w.full(t, copyDir(t, w.cacheDir), c.args, c.vars, now, c.term)
			if fast != full {
				t.Fatalf("assume %s:\nfront: exit %d\n  stdout %q\n  stderr %q\nfull:  exit %d\n  stdout %q\n  stderr %q",
					strings.Join(c.args, " "), fast.code, fast.stdout, fast.stderr, full.code, full.stdout, full.stderr)
			}
			if full.code != 0 || full.stdout == "" {
				t.Fatalf("an answered run must succeed with output: exit %d, stdout %q, stderr %q", full.code, full.stdout, full.stderr)
			}
		})
	}
}
