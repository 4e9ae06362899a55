package cli

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/credcache"
	"github.com/assume-cli/assume/internal/fakests"
	"github.com/assume-cli/assume/internal/iostreams"
	"github.com/assume-cli/assume/internal/session"
	"github.com/assume-cli/assume/internal/testkit"
)

// profilesEnv is a temp AWS config, credentials file and cache folder, with STS pointed at a
// fake that counts calls: listing and picking must make none.
type profilesEnv struct {
	t        *testing.T
	dir      string
	cacheDir string
	sts      *fakests.Server
	streams  *iostreams.TestStreams
	prompter *testkit.Prompter
	now      time.Time
	env      map[string]string // what assume sees through Deps
}

func newProfilesEnv(t *testing.T, config, credentials string) *profilesEnv {
	t.Helper()
	dir := t.TempDir()
	files := testkit.WriteAWSFiles(t, dir, config, credentials)
	sts := fakests.New(nil, nil)
	t.Cleanup(sts.Close)
	env := files.Env()
	env["AWS_ENDPOINT_URL_STS"] = sts.URL
	return &profilesEnv{env: env,
		t: t, dir: dir, cacheDir: filepath.Join(dir, "cache"), sts: sts,
		streams: iostreams.Test(), prompter: &testkit.Prompter{},
		now: time.Date(2025, 3, 4, 12, 0, 0, 0, time.UTC),
	}
}

// run is main without the process: it returns the exit code.
func (e *profilesEnv) run(args ...string) int {
	e.t.Helper()
	e.streams.OutBuf.Reset()
	e.streams.ErrBuf.Reset()
	return Main(context.Background(), args, Deps{
		Streams:     e.streams.IOStreams,
		Prompter:    e.prompter,
		Getenv:      func(k string) string { return e.env[k] },
		Now:         func() time.Time { return e.now },
		CacheDir:    e.cacheDir,
		DetectShell: func() string { return "bash" },
	})
}

func (e *profilesEnv) stdout() string { return e.streams.OutBuf.String() }
func (e *profilesEnv) stderr() string { return e.streams.ErrBuf.String() }

// cache stores an entry the way a run after STS would.
func (e *profilesEnv) cache(key, profile, kind string, left time.Duration) {
	e.t.Helper()
	store := credcache.Store{Dir: e.cacheDir}
	err := store.Put(key, session.Entry{Profile: profile, Kind: kind, Credentials: session.Credentials{
		AccessKeyID: "ASIACACHED" + kind, SecretAccessKey: "cachedSecret/" + key, SessionToken: "token-" + key,
		CanExpire: true, Expires: e.now.Add(left),
	}})
	if err != nil {
		e.t.Fatal(err)
	}
}

func (e *profilesEnv) noSTSCalls() {
	e.t.Helper()
	if n := e.sts.CallCount(""); n != 0 {
		e.t.Fatalf("%d STS calls: %+v", n, e.sts.Calls())
	}
}

const kindsConfig = `[default]
region = us-east-2

[profile alice]
mfa_serial = arn:aws:iam::111111111111:mfa/alice
region = eu-west-1

[profile prod]
role_arn = arn:aws:iam::222222222222:role/prod
source_profile = alice
region = eu-central-1

[profile prod-admin]
role_arn = arn:aws:iam::222222222222:role/admin
source_profile = alice

[profile stage]
role_arn = arn:aws:iam::333333333333:role/stage
source_profile = static

[profile ci]
role_arn = arn:aws:iam::444444444444:role/ci
credential_source = Environment

[profile tool]
credential_process = /bin/false

[profile corp]
sso_session = corp
sso_account_id = 555555555555
sso_role_name = Reader

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile orphan]
role_arn = arn:aws:iam::222222222222:role/prod
source_profile = nobody
region = ap-south-1

[profile regional]
region = sa-east-1
output = json
`

const kindsCredentials = `[default]
aws_access_key_id = AKIADEFAULT000000001
aws_secret_access_key = defaultSecret

[alice]
aws_access_key_id = AKIAALICE00000000001
aws_secret_access_key = aliceSecret

[static]
aws_access_key_id = AKIASTATIC0000000001
aws_secret_access_key = staticSecret
`

// table splits `assume -l` output into cells by the header's column offsets, failing unless
// every cell of every row starts exactly there (after at least two spaces).
func table(t *testing.T, out string) (header []string, rows map[string][]string, order []string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	header = strings.Fields(lines[0])
	want := []string{"PROFILE", "KIND", "SOURCE", "MFA", "REGION", "SESSION"}
	if !slices.Equal(header, want) {
		t.Fatalf("header %q, want %q", lines[0], want)
	}
	offsets := make([]int, len(header))
	for i, h := range header {
		offsets[i] = strings.Index(lines[0], h)
	}
	rows = map[string][]string{}
	for _, line := range lines[1:] {
		if len(line) <= offsets[len(offsets)-1] {
			t.Fatalf("row %q ends before the SESSION column", line)
		}
		cells := make([]string, len(offsets))
		for i, off := range offsets {
			end := len(line)
			if i+1 < len(offsets) {
				end = offsets[i+1]
			}
			if i > 0 && (line[off-1] != ' ' || line[off-2] != ' ' || line[off] == ' ') {
				t.Fatalf("column %s is not aligned in row %q", header[i], line)
			}
			cells[i] = strings.TrimSpace(line[off:end])
		}
		rows[cells[0]] = cells
		order = append(order, cells[0])
	}
	return header, rows, order
}

func TestListTableShowsEveryKindAndCachedTimeLeft(t *testing.T) {
	t.Parallel()
	e := newProfilesEnv(t, kindsConfig, kindsCredentials)
	e.cache("session-alice", "alice", "session", 11*time.Hour+30*time.Minute)
	e.cache("role-prod", "prod", "role", 45*time.Minute)
	e.cache("role-prod-old", "prod", "role", 10*time.Minute) // the later expiry wins
	e.cache("role-prod-admin", "prod-admin", "role", -time.Minute)
	e.cache("role-stage", "stage", "role", 3*time.Minute) // inside the 5-minute margin
	// A --role-arn role assumed from alice is cached under her name, but it is not her session.
	e.cache("role-adhoc", "alice", "role", 50*time.Minute)

	if code := e.run("-l"); code != 0 {
		t.Fatalf("exit %d: %s", code, e.stderr())
	}
	_, rows, order := table(t, e.stdout())
	wantOrder := []string{"default", "alice", "prod", "prod-admin", "stage", "ci", "tool", "corp", "orphan", "regional", "static"}
	if !slices.Equal(order, wantOrder) {
		t.Fatalf("profiles %q, want %q (file order, config file first)", order, wantOrder)
	}
	want := map[string][]string{
		"default":    {"default", "static", "-", "-", "us-east-2", "-"},
		"alice":      {"alice", "mfa-user", "-", "yes", "eu-west-1", "11h30m left"},
		"prod":       {"prod", "role", "alice", "yes", "eu-central-1", "45m left"},
		"prod-admin": {"prod-admin", "role", "alice", "yes", "eu-west-1", "expired"},
		"stage":      {"stage", "role", "static", "-", "-", "expiring"},
		"ci":         {"ci", "role", "Environment", "-", "-", "-"},
		"tool":       {"tool", "process", "-", "-", "-", "-"},
		"corp":       {"corp", "sso", "sso-session corp", "-", "-", "-"},
		"orphan":     {"orphan", "invalid", "nobody", "-", "ap-south-1", "-"},
		"regional":   {"regional", "none", "-", "-", "sa-east-1", "-"}, // settings, no credentials
		"static":     {"static", "static", "-", "-", "-", "-"},
	}
	for name, cells := range want {
		if !slices.Equal(rows[name], cells) {
			t.Errorf("row %s = %q, want %q", name, rows[name], cells)
		}
	}
	for _, secret := range []string{"aliceSecret", "staticSecret", "defaultSecret", "cachedSecret", "token-"} {
		if strings.Contains(e.stdout()+e.stderr(), secret) {
			t.Fatalf("a secret (%s) is in the output:\n%s%s", secret, e.stdout(), e.stderr())
		}
	}
	if e.stderr() != "" {
		t.Errorf("stderr = %q", e.stderr())
	}
	e.noSTSCalls()
}

func TestListTableWithoutCacheFolder(t *testing.T) {
	t.Parallel()
	e := newProfilesEnv(t, kindsConfig, kindsCredentials)
	if code := e.run("--list"); code != 0 {
		t.Fatalf("exit %d: %s", code, e.stderr())
	}
	if _, err := os.Stat(e.cacheDir); !os.IsNotExist(err) {
		t.Errorf("listing created the cache folder (stat: %v)", err)
	}
	_, rows, _ := table(t, e.stdout())
	if got := rows["alice"][5]; got != "-" {
		t.Errorf("alice's SESSION with nothing cached = %q", got)
	}
}

// manyProfiles returns config and credentials files with n profiles: the MFA user "base", every
// tenth one a static-key user, the others roles from base, plus their names in file order.
func manyProfiles(n int) (config, credentials string, names []string) {
	var cfg, creds strings.Builder
	cfg.WriteString("[profile base]\nregion = eu-west-1\nmfa_serial = arn:aws:iam::111111111111:mfa/base\n\n")
	creds.WriteString("[base]\naws_access_key_id = AKIABASE000000000001\naws_secret_access_key = baseSecret\n\n")
	names = append(names, "base")
	var staticNames []string
	for i := 1; i < n; i++ {
		if i%10 == 0 {
			name := fmt.Sprintf("static-%04d", i)
			fmt.Fprintf(&creds, "[%s]\naws_access_key_id = AKIASTATIC%010d\naws_secret_access_key = s%d\n\n", name, i, i)
			staticNames = append(staticNames, name)
			continue
		}
		kind := []string{"admin", "readonly", "billing"}[i%3]
		name := fmt.Sprintf("acct-%04d-%s", i, kind)
		fmt.Fprintf(&cfg, "[profile %s]\nrole_arn = arn:aws:iam::%012d:role/%s\nsource_profile = base\nregion = us-east-%d\n\n", name, 100000000000+i, kind, 1+i%2)
		names = append(names, name)
	}
	return cfg.String(), creds.String(), append(names, staticNames...)
}

func TestListTableWith5000Profiles(t *testing.T) {
	t.Parallel()
	config, credentials, names := manyProfiles(5000)
	e := newProfilesEnv(t, config, credentials)
	e.cache("role-2504", "acct-2504-billing", "role", 59*time.Minute)
	e.cache("session-base", "base", "session", 8*time.Hour)
	if code := e.run("-l"); code != 0 {
		t.Fatalf("exit %d: %s", code, e.stderr())
	}
	_, rows, order := table(t, e.stdout()) // checks every row's alignment
	if !slices.Equal(order, names) {
		t.Fatalf("%d rows; want the %d profiles in file order", len(order), len(names))
	}
	// Readable: columns as narrow as their longest cell allows, so a row fits a common terminal.
	for _, line := range strings.Split(strings.TrimSpace(e.stdout()), "\n") {
		if len(line) > 100 {
			t.Fatalf("row of %d columns: %q", len(line), line)
		}
	}
	checks := map[string][]string{
		"base":              {"base", "mfa-user", "-", "yes", "eu-west-1", "8h left"},
		"acct-2504-billing": {"acct-2504-billing", "role", "base", "yes", "us-east-1", "59m left"},
		"acct-2507-billing": {"acct-2507-billing", "role", "base", "yes", "us-east-2", "-"},
		"static-4990":       {"static-4990", "static", "-", "-", "-", "-"},
	}
	for name, want := range checks {
		if !slices.Equal(rows[name], want) {
			t.Errorf("row %s = %q, want %q", name, rows[name], want)
		}
	}
	e.noSTSCalls()
}

func TestPickerOffersKindAndRegionThenExports(t *testing.T) {
	t.Parallel()
	e := newProfilesEnv(t, kindsConfig, kindsCredentials)
	e.prompter.Answers = testkit.Replies("static")
	if code := e.run("--format", "bash"); code != 0 {
		t.Fatalf("exit %d: %s", code, e.stderr())
	}
	wantOptions := []string{"default", "alice", "prod", "prod-admin", "stage", "ci", "tool", "corp", "orphan", "regional", "static"}
	if !slices.Equal(e.prompter.Options, wantOptions) {
		t.Fatalf("picker offered %q, want %q", e.prompter.Options, wantOptions)
	}
	wantNotes := []string{"static, us-east-2", "mfa-user, eu-west-1", "role, eu-central-1", "role, eu-west-1", "role", "role", "process", "sso", "invalid, ap-south-1", "none, sa-east-1", "static"}
	if !slices.Equal(e.prompter.Notes, wantNotes) {
		t.Fatalf("picker notes %q, want %q", e.prompter.Notes, wantNotes)
	}
	// The choice proceeds as if typed: static keys exported, no STS call.
	if !strings.Contains(e.stdout(), "export AWS_ACCESS_KEY_ID='AKIASTATIC0000000001'") ||
		!strings.Contains(e.stdout(), "export ASSUME_PROFILE='static'") {
		t.Fatalf("stdout = %q", e.stdout())
	}
	e.noSTSCalls()
}

func TestPickerWithoutTerminalIsUsageError(t *testing.T) {
	t.Parallel()
	e := newProfilesEnv(t, kindsConfig, kindsCredentials)
	e.prompter.Answers = nil // no terminal: the picker cannot ask
	code := e.run("--format", "bash")
	if code != ExitUsage || e.stdout() != "" {
		t.Fatalf("exit %d, stdout %q", code, e.stdout())
	}
	if want := "assume: name a profile: assume PROFILE (assume -l lists them).\n"; e.stderr() != want {
		t.Fatalf("stderr = %q, want %q", e.stderr(), want)
	}
}

func TestPickerWithNoProfiles(t *testing.T) {
	t.Parallel()
	e := newProfilesEnv(t, "", "# nothing yet\n")
	code := e.run("--format", "bash")
	if code != ExitFailure || e.stdout() != "" || !strings.Contains(e.stderr(), "no profiles found in") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, e.stdout(), e.stderr())
	}
	if e.prompter.Options != nil {
		t.Fatalf("the picker opened with no profiles")
	}
}

func TestUnknownProfileSuggestsClosestNames(t *testing.T) {
	t.Parallel()
	e := newProfilesEnv(t, kindsConfig, kindsCredentials)
	cases := []struct{ typed, suggestion string }{
		{"prod-admn", "did you mean prod-admin?"},
		{"PROD", "did you mean prod?"},
		{"stat", "did you mean static?"}, // contained in it: closer than stage, two edits away
		{"alcie", "did you mean alice?"}, // a swap is two edits
		{"admin", "did you mean prod-admin?"},
		{"nothing-like-it", "assume -l lists the profiles"},
	}
	for _, c := range cases {
		code := e.run(c.typed, "--format", "bash")
		want := fmt.Sprintf("assume: profile %q is not in your AWS config or credentials file; %s", c.typed, c.suggestion)
		if !strings.HasSuffix(want, "?") {
			want += "."
		}
		if code != ExitFailure || e.stdout() != "" || e.stderr() != want+"\n" {
			t.Errorf("assume %s: exit %d, stdout %q, stderr %q; want stderr %q", c.typed, code, e.stdout(), e.stderr(), want)
		}
	}
	e.noSTSCalls()
}

func TestUnknownProfileAmong5000(t *testing.T) {
	t.Parallel()
	config, credentials, _ := manyProfiles(5000)
	e := newProfilesEnv(t, config, credentials)
	cases := map[string]string{
		// One name is one edit away; the many two edits away are not worth listing.
		"acct-2504-biling": "did you mean acct-2504-billing?",
		// A tie: the first three in file order.
		"acct-250-admin": "did you mean acct-2502-admin, acct-2505-admin or acct-2508-admin?",
		"zz-top":         "assume -l lists the profiles.",
	}
	for typed, suggestion := range cases {
		code := e.run(typed, "--format", "bash")
		want := fmt.Sprintf("assume: profile %q is not in your AWS config or credentials file; %s\n", typed, suggestion)
		if code != ExitFailure || e.stdout() != "" || e.stderr() != want {
			t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, e.stdout(), e.stderr(), want)
		}
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	names := []string{"default", "d", "dev", "prod", "prod-admin", "prod-readonly", "staging-admin", "PROD-EU"}
	cases := []struct {
		typed string
		want  []string
	}{
		{"prod-admn", []string{"prod-admin"}},              // one edit beats "prod", which it contains
		{"prd", []string{"prod"}},                          // one edit beats "d", two edits away
		{"Prod-Admin", []string{"prod-admin"}},             // case is ignored
		{"prod-eu", []string{"PROD-EU"}},                   // ... and the name keeps its own
		{"admin", []string{"prod-admin", "staging-admin"}}, // both contain it: the nearer length first
		{"prod-admin-old", []string{"prod-admin", "prod"}}, // names inside the typed one
		{"xd-prod-adminx", []string{"prod-admin", "prod"}}, // "d" is inside it too, but too short to count
		{"devv", []string{"dev"}},
		{"zzzzzzzzzz", nil},
	}
	for _, c := range cases {
		got := suggest(c.typed, names, 3)
		if !slices.Equal(got, c.want) {
			t.Errorf("suggest(%q) = %q, want %q", c.typed, got, c.want)
		}
	}
	if got := suggest("admin", names, 1); !slices.Equal(got, []string{"prod-admin"}) {
		t.Errorf("suggest with n = 1 returned %q", got)
	}
}

func TestSuggestAmong5000Names(t *testing.T) {
	t.Parallel()
	_, _, names := manyProfiles(5000)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		target := names[rng.IntN(len(names))]
		typo := []byte(target)
		switch i := rng.IntN(len(typo)); rng.IntN(3) {
		case 0: // a letter dropped
			typo = append(typo[:i:i], typo[i+1:]...)
		case 1: // two letters swapped
			if i+1 < len(typo) {
				typo[i], typo[i+1] = typo[i+1], typo[i]
			}
		default: // a wrong letter
			typo[i] = 'q'
		}
		got := suggest(string(typo), names, 3)
		if len(got) == 0 || len(got) > 3 {
			t.Fatalf("suggest(%q) = %q: want one to three names", typo, got)
		}
		// Nothing suggested is farther than the intended name, which is left out only for names
		// that are closer, or as close and three already.
		var rows editRows
		want := closeness(string(typo), target, &rows)
		best := noMatch
		for _, g := range got {
			c := closeness(strings.ToLower(string(typo)), strings.ToLower(g), &rows)
			if c > want {
				t.Fatalf("suggest(%q) = %q: %q (score %d) is farther than %q (score %d)", typo, got, g, c, target, want)
			}
			best = min(best, c)
		}
		if !slices.Contains(got, target) && best == want && len(got) < 3 {
			t.Fatalf("suggest(%q) = %q leaves out %q, as close", typo, got, target)
		}
	}
}

func TestEditDistance(t *testing.T) {
	t.Parallel()
	cases := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"", "abc", 3}, {"abc", "", 3}, {"same", "same", 0},
		{"kitten", "sitting", 3}, {"prod-admin", "prod-admn", 1}, {"ab", "ba", 2}, {"flaw", "lawn", 2},
	}
	for _, c := range cases {
		if got := editDistance(c.a, c.b); got != c.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
	// Reused rows give what a fresh full table gives, whatever the lengths before.
	rng := rand.New(rand.NewPCG(3, 4))
	word := func() string {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = "abc-"[rng.IntN(4)]
		}
		return string(b)
	}
	var rows editRows
	for range 2000 {
		a, b := word(), word()
		if got, want := rows.distance(a, b), fullTableDistance(a, b); got != want {
			t.Fatalf("distance(%q, %q) = %d, full table says %d", a, b, got, want)
		}
	}
}

// fullTableDistance is the textbook Levenshtein table, to check the two-row version against.
func fullTableDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			sub := d[i-1][j-1]
			if a[i-1] != b[j-1] {
				sub++
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, sub)
		}
	}
	return d[len(a)][len(b)]
}

func TestListProfilesIsOnlyNames(t *testing.T) {
	t.Parallel()
	// A line Load would reject does not stop completion, and the cache folder is never created.
	config := "[profile b]\nregion = x\nthis line is not a setting\n[default]\n[profile a]\n"
	credentials := "[c]\naws_access_key_id = K\n[b]\n[profile skipped]\n"
	e := newProfilesEnv(t, config, credentials)
	if code := e.run("--list-profiles"); code != 0 {
		t.Fatalf("exit %d: %s", code, e.stderr())
	}
	if got, want := e.stdout(), "b\ndefault\na\nc\n"; got != want {
		t.Fatalf("stdout %q, want %q", got, want)
	}
	if _, err := os.Stat(e.cacheDir); !os.IsNotExist(err) {
		t.Errorf("--list-profiles touched the cache folder (stat: %v)", err)
	}
	e.noSTSCalls()
}
