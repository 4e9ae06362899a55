package refcheck

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"

	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/deadline"
	"github.com/assume-cli/assume/internal/fakests"
	"github.com/assume-cli/assume/internal/provider"
	"github.com/assume-cli/assume/internal/session"
	"github.com/assume-cli/assume/internal/testkit"
)

// A pair is one config file and one credentials file ("" for none).
type pair struct {
	name                string
	config, credentials string // paths
}

// Outcomes are compared as strings:
//
//	keys ID/SECRET/TOKEN            the profile's own key set
//	role ARN signed K > temp        a role, with the key that signed each STS call (temp: a session's key)
//	role ARN mfa                    a role behind MFA (not called)
//	process ID/SECRET/TOKEN, sso, login, web-identity, none, error
type outcomes map[string]string // profile -> outcome

func TestAgainstReferences(t *testing.T) {
	known := readKnown(t)
	type run struct {
		pair
		paths          awsfile.Paths
		fake           *fake
		ours, sdk, bot outcomes
	}
	var runs []*run
	for _, p := range corpus(t) {
		r := &run{pair: p, paths: materialize(t, p, t.TempDir())}
		r.fake = newFake(t, r.paths)
		r.ours = assumeOutcomes(t, r.paths, r.fake)
		r.sdk = sdkOutcomes(r.paths, r.fake, r.ours)
		runs = append(runs, r)
	}
	python := botocorePython(t)
	if python != "" {
		jobs := make([]botocoreJob, len(runs))
		for i, r := range runs {
			jobs[i] = botocoreJob{paths: r.paths, fake: r.fake, names: slices.Sorted(maps.Keys(r.ours))}
		}
		for i, o := range botocoreOutcomes(t, python, jobs) {
			runs[i].bot = o
		}
	}

	seen := map[string]bool{}
	var table strings.Builder
	fmt.Fprintf(&table, "%-28s %-28s %-6s %s\n", "CASE", "PROFILE", "AGREE", "ASSUME | BOTOCORE | SDK")
	total, differ := 0, 0
	for _, r := range runs {
		names := maps.Clone(r.ours)
		maps.Copy(names, r.bot)
		for _, name := range slices.Sorted(maps.Keys(names)) {
			a := r.ours.get(name)
			total++
			agree := "yes"
			for _, ref := range []struct {
				who string
				got outcomes
			}{{"botocore", r.bot}, {"sdk", r.sdk}} {
				if ref.got == nil {
					continue
				}
				b := ref.got.get(name)
				if b == a {
					continue
				}
				agree = "no"
				key, ok := known.match(r.name, name, ref.who)
				if !ok {
					t.Errorf("%s: profile %q: assume says %q, %s says %q; fix it, or list it with its reason in "+
						"testdata/disagreements.txt as \"%s %s %s: REASON\"", r.name, name, a, ref.who, b, r.name, name, ref.who)
				}
				seen[key] = true
			}
			if agree == "no" {
				differ++
			}
			fmt.Fprintf(&table, "%-28s %-28s %-6s %s | %s | %s\n", r.name, name, agree, a, r.bot.get(name), r.sdk.get(name))
		}
	}
	t.Logf("%d profiles, %d with a listed disagreement:\n%s", total, differ, table.String())
	for key, reason := range known {
		if python == "" && strings.HasSuffix(key, " botocore") {
			continue
		}
		if !seen[key] {
			t.Errorf("testdata/disagreements.txt lists %q (%s), which no longer disagrees: remove it", key, reason)
		}
	}
	if python == "" {
		t.Skip("compared with the SDK only: python3 cannot import botocore here; install the AWS CLI to compare with it")
	}
}

func (o outcomes) get(name string) string {
	if o == nil {
		return "-"
	}
	if v, ok := o[name]; ok {
		return v
	}
	return "absent"
}

// corpus is this package's own pairs plus the shared-config test files of the SDK at the version in go.mod.
func corpus(t *testing.T) []pair {
	t.Helper()
	var pairs []pair
	own, err := filepath.Glob("testdata/corpus/*.config")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range own {
		base := strings.TrimSuffix(c, ".config")
		pairs = append(pairs, pair{name: filepath.Base(base), config: c, credentials: base + ".credentials"})
	}
	dir := sdkTestdata(t)
	for _, p := range [][2]string{
		{"shared_config", "shared_credentials"},
		{"config_source_shared", "credentials_source_shared"},
		{"load_config", "load_credentials"},
		{"load_config_secondary", "load_credentials_secondary"},
		{"shared_config_other", ""},
		{"leading_ws", ""},
		{"leading_ws_trailing_nl", ""},
		{"empty_creds_config", ""},
		{"shared_config_invalid_ini", ""},
		{"", "shared_credentials"},
	} {
		q := pair{name: "sdk:" + p[0] + "+" + p[1]}
		if p[0] != "" {
			q.config = filepath.Join(dir, p[0])
		}
		if p[1] != "" {
			q.credentials = filepath.Join(dir, p[1])
		}
		pairs = append(pairs, q)
	}
	return pairs
}

// sdkTestdata is config/testdata of the SDK's config module at the version in go.mod, in the module cache.
func sdkTestdata(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/aws/aws-sdk-go-v2/config").Output()
	if err != nil {
		t.Fatalf("go list -m github.com/aws/aws-sdk-go-v2/config: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "testdata")
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("the SDK's test files are not in the module cache (run go mod download): %v", err)
	}
	return dir
}

// materialize copies a pair into dir, with $PROC replaced by a credential_process script.
func materialize(t *testing.T, p pair, dir string) awsfile.Paths {
	t.Helper()
	proc := filepath.Join(dir, "proc.sh")
	script := "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIAPROCESS000000001\", \"SecretAccessKey\": \"processsecret\"}'\n"
	if err := os.WriteFile(proc, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	paths := awsfile.Paths{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
	for src, dst := range map[string]string{p.config: paths.Config, p.credentials: paths.Credentials} {
		text := ""
		if src != "" {
			b, err := os.ReadFile(src)
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
			text = strings.ReplaceAll(string(b), "$PROC", proc)
		}
		if err := os.WriteFile(dst, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return paths
}

var (
	keyIDRE   = regexp.MustCompile(`(?im)^\s*aws_access_key_id\s*[=:]\s*(\S+)`)
	roleARNRE = regexp.MustCompile(`(?im)^\s*role_arn\s*[=:]\s*(\S+)`)
)

// fake is a fake STS that knows every key and role in one pair of files.
type fake struct {
	*fakests.Server
	keys map[string]bool // the long-term key ids of the files
}

// newFake starts a fake STS that knows every key and role in the files.
func newFake(t *testing.T, paths awsfile.Paths) *fake {
	t.Helper()
	f := &fake{keys: map[string]bool{}}
	var users []fakests.User
	var roles []fakests.Role
	for _, path := range []string{paths.Config, paths.Credentials} {
		b, _ := os.ReadFile(path)
		for _, m := range keyIDRE.FindAllStringSubmatch(string(b), -1) {
			users = append(users, fakests.User{Name: "u-" + m[1], AccessKeyID: m[1], SecretAccessKey: "any"})
			f.keys[m[1]] = true
		}
		for _, m := range roleARNRE.FindAllStringSubmatch(string(b), -1) {
			roles = append(roles, fakests.Role{ARN: m[1]})
		}
	}
	f.Server = fakests.New(users, roles)
	t.Cleanup(f.Close)
	return f
}

// signers names the key behind each call: a long-term key by its id, any other as temp.
func (f *fake) signers(calls []fakests.Call) string {
	var out []string
	for _, c := range calls {
		if c.Action == "Marker" {
			continue
		}
		who := "temp"
		if f.keys[c.AccessKeyID] {
			who = c.AccessKeyID
		}
		out = append(out, who)
	}
	if len(out) == 0 {
		return ""
	}
	return " signed " + strings.Join(out, " > ")
}

func keysOutcome(kind, id, secret, token string) string {
	return fmt.Sprintf("%s %s/%s/%s", kind, id, secret, token)
}

// assumeOutcomes resolves every profile as `assume NAME` does, calling the fake for roles and processes.
func assumeOutcomes(t *testing.T, paths awsfile.Paths, fake *fake) outcomes {
	t.Helper()
	out := outcomes{}
	files, err := awsfile.Load(paths)
	if err != nil {
		// The whole file is refused; name it under a pseudo-profile so the table shows it.
		names, _ := awsfile.ProfileNames(paths)
		for _, n := range names {
			out[n] = "error"
		}
		return out
	}
	for _, name := range files.Names() {
		out[name] = assumeOne(files, paths, fake, name)
	}
	return out
}

func assumeOne(files *awsfile.Files, paths awsfile.Paths, fake *fake, name string) string {
	p, err := session.Resolve(files, name)
	if err != nil {
		if f, ok := files.Profile(name); ok && session.KindOf(f, false) == session.KindNone {
			return "none"
		}
		return "error"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	switch p.Kind {
	case session.KindStatic, session.KindMFAUser:
		return keysOutcome("keys", p.AccessKeyID, p.SecretAccessKey, p.SessionToken)
	case session.KindSSO, session.KindWebIdentity, session.KindLogin:
		// Loaded but not called, as botocore defers these calls; a login session is read at once by both.
		prov, err := provider.SDKProvider(paths.Config, paths.Credentials, deadline.Limits{})(ctx, name, p.Kind)
		if err == nil && p.Kind == session.KindLogin {
			_, err = prov.Retrieve(ctx)
		}
		if err != nil {
			return "error"
		}
		return string(p.Kind)
	case session.KindRole:
		if p.MFA() != "" {
			return "role " + p.RoleARN + " mfa"
		}
		if src := p.Root().CredentialSource; src == "Ec2InstanceMetadata" || src == "EcsContainer" {
			return "error" // this machine has neither; asking would only wait for time-outs
		}
	}
	before := len(fake.Calls())
	res, err := provider.Get(ctx, p, provider.Options{
		Clients:     provider.NewClientFactory("us-east-1", fake.URL, nil),
		PlanOptions: session.PlanOptions{Getenv: func(string) string { return "" }},
		Now:         time.Now,
		SDKProvider: provider.SDKProvider(paths.Config, paths.Credentials, deadline.Limits{}),
	})
	switch p.Kind {
	case session.KindRole:
		o := "role " + p.RoleARN
		if err != nil {
			o += " error"
		}
		return normalize(o + fake.signers(fake.Calls()[before:]))
	case session.KindProcess:
		if err != nil {
			return "error"
		}
		c := res.Credentials
		return keysOutcome("process", c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
	}
	return "error"
}

// sdkOutcomes resolves every profile with the SDK's default chain, the profile named explicitly.
func sdkOutcomes(paths awsfile.Paths, fake *fake, names outcomes) outcomes {
	out := outcomes{}
	for name := range names {
		out[name] = sdkOne(paths, fake, name)
	}
	return out
}

func sdkOne(paths awsfile.Paths, fake *fake, name string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cfg, err := config.LoadDefaultConfig(ctx,
		config.WithSharedConfigProfile(name),
		config.WithSharedConfigFiles([]string{paths.Config}),
		config.WithSharedCredentialsFiles([]string{paths.Credentials}),
		config.WithRegion("us-east-1"),
		config.WithBaseEndpoint(fake.URL),
		// defaults_mode = auto would ask instance metadata where it runs.
		config.WithEC2IMDSClientEnableState(imds.ClientDisabled),
	)
	if err != nil {
		return "error"
	}
	var c config.SharedConfig
	for _, s := range cfg.ConfigSources {
		if sc, ok := s.(config.SharedConfig); ok {
			c = sc
		}
	}
	retrieve := func() (aws.Credentials, error) { return cfg.Credentials.Retrieve(ctx) }
	hasKeys := c.Credentials.HasKeys()
	switch {
	case c.RoleARN != "" && (c.Source != nil || hasKeys || c.CredentialSource != ""):
		if c.MFASerial != "" {
			return "role " + c.RoleARN + " mfa"
		}
		if root := sdkRoot(&c); root.CredentialSource == "Ec2InstanceMetadata" || root.CredentialSource == "EcsContainer" {
			return "error" // this machine has neither; asking would only wait for time-outs
		}
		before := len(fake.Calls())
		o := "role " + c.RoleARN
		if _, err := retrieve(); err != nil {
			o += " error"
		}
		return normalize(o + fake.signers(fake.Calls()[before:]))
	case hasKeys:
		k := c.Credentials
		return keysOutcome("keys", k.AccessKeyID, k.SecretAccessKey, k.SessionToken)
	case c.RoleARN != "" && c.WebIdentityTokenFile != "":
		return "web-identity"
	case c.SSOSessionName != "" || c.SSORegion != "" || c.SSOAccountID != "" || c.SSOStartURL != "" || c.SSORoleName != "":
		return "sso"
	case c.LoginSession != "":
		if _, err := retrieve(); err != nil {
			return "error"
		}
		return "login"
	case c.CredentialProcess != "":
		k, err := retrieve()
		if err != nil {
			return "error"
		}
		return keysOutcome("process", k.AccessKeyID, k.SecretAccessKey, k.SessionToken)
	}
	return "none"
}

func sdkRoot(c *config.SharedConfig) *config.SharedConfig {
	for c.Source != nil {
		c = c.Source
	}
	return c
}

// botocorePython is the python3 that imports botocore, or "" (the test then compares with the SDK only).
func botocorePython(t *testing.T) string {
	t.Helper()
	if err := exec.Command("python3", "-c", "import botocore.session").Run(); err != nil {
		if testkit.InCI() {
			t.Fatalf("botocore, the reference reader, is missing in CI (it comes with the AWS CLI): %v", err)
		}
		t.Logf("python3 cannot import botocore (%v): comparing with the SDK only", err)
		return ""
	}
	// The interpreter itself, not a version manager's shim in front of it, which costs seconds per start.
	out, err := exec.Command("python3", "-c", "import sys; print(sys.executable)").Output()
	if err != nil {
		t.Fatalf("python3: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// botocoreJob is one pair of files for the botocore script.
type botocoreJob struct {
	paths awsfile.Paths
	fake  *fake
	names []string
}

// botocoreOutcomes runs the script once for every job (one python start-up costs seconds on a busy machine).
func botocoreOutcomes(t *testing.T, python string, jobs []botocoreJob) []outcomes {
	t.Helper()
	type input struct {
		Env   map[string]string `json:"env"`
		Names []string          `json:"names"`
	}
	in := make([]input, len(jobs))
	before := make([]int, len(jobs))
	for i, j := range jobs {
		before[i] = len(j.fake.Calls())
		in[i] = input{Names: j.names, Env: map[string]string{
			"AWS_CONFIG_FILE": j.paths.Config, "AWS_SHARED_CREDENTIALS_FILE": j.paths.Credentials,
			"AWS_ENDPOINT_URL_STS": j.fake.URL,
			// Nothing may leave the machine: every other service goes to the fake too, which refuses it.
			"AWS_ENDPOINT_URL": j.fake.URL,
		}}
	}
	stdin, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "testdata/botocore_resolve.py")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "PYTHONDONTWRITEBYTECODE=1",
		"AWS_DEFAULT_REGION=us-east-1", "AWS_EC2_METADATA_DISABLED=true"}
	cmd.Stdin = strings.NewReader(string(stdin))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("botocore: %v\n%s", err, stderr.String())
	}
	var got []map[string]string
	if err := json.Unmarshal(raw, &got); err != nil || len(got) != len(jobs) {
		t.Fatalf("botocore printed %q: %v", raw, err)
	}
	all := make([]outcomes, len(jobs))
	for i, j := range jobs {
		// Split the fake's calls at the markers the script sent before each profile.
		byProfile := map[string][]fakests.Call{}
		current := ""
		for _, c := range j.fake.Calls()[before[i]:] {
			if c.Action == "Marker" {
				current = c.RoleSessionName
				continue
			}
			byProfile[current] = append(byProfile[current], c)
		}
		out := outcomes{}
		for name, o := range got[i] {
			if strings.HasPrefix(o, "role ") && !strings.HasSuffix(o, " mfa") {
				o += j.fake.signers(byProfile[name])
			}
			out[name] = normalize(o)
		}
		all[i] = out
	}
	return all
}

// normalize makes failures compare equal wherever they happened: an outcome that failed before any STS call is
// "error", whatever step failed.
func normalize(o string) string {
	if strings.HasPrefix(o, "error") || (strings.Contains(o, " error") && !strings.Contains(o, " signed ")) {
		return "error"
	}
	return o
}

// knownList is testdata/disagreements.txt: "CASE PROFILE REFERENCE" to reason; PROFILE may be * for all.
type knownList map[string]string

// match returns the entry that covers a disagreement.
func (k knownList) match(pair, profile, who string) (string, bool) {
	for _, key := range []string{pair + " " + profile + " " + who, pair + " * " + who} {
		if _, ok := k[key]; ok {
			return key, true
		}
	}
	return "", false
}

// readKnown reads testdata/disagreements.txt: "CASE PROFILE REFERENCE: reason" lines; # starts a comment.
func readKnown(t *testing.T) knownList {
	t.Helper()
	f, err := os.Open("testdata/disagreements.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	known := knownList{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, reason, ok := strings.Cut(line, ": ")
		if !ok || strings.TrimSpace(reason) == "" {
			t.Fatalf("testdata/disagreements.txt: %q has no reason after \": \"", line)
		}
		known[key] = reason
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return known
}
