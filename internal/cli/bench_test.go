package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/fakests"
	"github.com/assume-cli/assume/internal/iostreams"
	"github.com/assume-cli/assume/internal/render"
	"github.com/assume-cli/assume/internal/session"
	"github.com/assume-cli/assume/internal/testkit"
)

// The in-process parts of a run, at 5 and 5,000 profiles. scripts/bench.sh times whole runs
// (process start included) on the same kind of configuration; see docs/performance.md.
//
//	go test -run '^$' -bench . -benchmem ./internal/cli/

var benchSizes = []int{5, 5000}

const (
	benchUserKey    = "AKIABENCHUSER0000001"
	benchUserSecret = "benchUserSecretKey0000000000000000000001"
	benchSerial     = "arn:aws:iam::111111111111:mfa/bench"
	benchCode       = "123456"
)

// benchConfig is what scripts/bench.sh generates: n profiles, default, the MFA user "base",
// every tenth one a static-key user, the others roles from base; the last role and the last
// static profile are the ones used (the worst case for anything that walks the files).
type benchConfig struct {
	config, credentials string
	role, roleARN       string
	static              string
}

func newBenchConfig(n int) benchConfig {
	var cfg, creds strings.Builder
	cfg.WriteString("[default]\nregion = eu-west-1\n\n")
	fmt.Fprintf(&cfg, "[profile base]\nregion = eu-west-1\nmfa_serial = %s\n\n", benchSerial)
	fmt.Fprintf(&creds, "[base]\naws_access_key_id = %s\naws_secret_access_key = %s\n\n", benchUserKey, benchUserSecret)
	var c benchConfig
	for i := 1; i <= n-2; i++ {
		if i%10 == 1 {
			c.static = fmt.Sprintf("static-%04d", i)
			fmt.Fprintf(&creds, "[%s]\naws_access_key_id = AKIASTATIC%010d\naws_secret_access_key = staticSecret%028d\n\n", c.static, i, i)
			continue
		}
		c.role = fmt.Sprintf("acct-%04d-admin", i)
		c.roleARN = fmt.Sprintf("arn:aws:iam::%012d:role/Admin", 100000000000+i)
		fmt.Fprintf(&cfg, "[profile %s]\nrole_arn = %s\nsource_profile = base\nregion = us-east-1\n\n", c.role, c.roleARN)
	}
	c.config, c.credentials = cfg.String(), creds.String()
	return c
}

// benchEnv writes the configuration into a folder of its own.
func benchEnv(b *testing.B, n int) (benchConfig, string) {
	b.Helper()
	c := newBenchConfig(n)
	dir := b.TempDir()
	testkit.WriteAWSFiles(b, dir, c.config, c.credentials)
	return c, dir
}

func benchPaths(dir string) awsfile.Paths {
	return awsfile.Paths{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
}

// benchDeps runs on dir's files and cache, with env as the environment.
func benchDeps(streams *iostreams.TestStreams, dir string, env map[string]string) Deps {
	return Deps{
		Streams:     streams.IOStreams,
		Getenv:      func(k string) string { return env[k] },
		Now:         time.Now,
		Paths:       benchPaths(dir),
		CacheDir:    filepath.Join(dir, "cache"),
		DetectShell: func() string { return "bash" },
	}
}

// runMain is one invocation as main makes it, flag parsing included.
func runMain(b *testing.B, streams *iostreams.TestStreams, deps Deps, args ...string) {
	streams.OutBuf.Reset()
	streams.ErrBuf.Reset()
	if code := Main(context.Background(), args, deps); code != 0 {
		b.Fatalf("assume %s: exit %d: %s", strings.Join(args, " "), code, streams.ErrBuf.String())
	}
}

func BenchmarkListProfiles(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			_, dir := benchEnv(b, n)
			streams := iostreams.Test()
			deps := benchDeps(streams, dir, nil)
			b.ReportAllocs()
			for b.Loop() {
				runMain(b, streams, deps, "--list-profiles")
			}
			if got := strings.Count(streams.OutBuf.String(), "\n"); got != n {
				b.Fatalf("%d names listed, want %d", got, n)
			}
		})
	}
}

// BenchmarkExportCachedRole is `assume ROLE --format bash` once the role's credentials are
// cached: a first run against the fake STS fills the cache, and the count of STS calls after
// the loop shows that no timed run made one.
func BenchmarkExportCachedRole(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			c, dir := benchEnv(b, n)
			sts := fakests.New(
				[]fakests.User{{Name: "bench", AccessKeyID: benchUserKey, SecretAccessKey: benchUserSecret, MFASerial: benchSerial, Code: benchCode}},
				[]fakests.Role{{ARN: c.roleARN, RequireMFA: true}},
			)
			defer sts.Close()
			streams := iostreams.Test()
			deps := benchDeps(streams, dir, map[string]string{"AWS_ENDPOINT_URL_STS": sts.URL})
			runMain(b, streams, deps, c.role, "-m", benchCode, "--format", "bash")
			calls := sts.CallCount("")
			b.ReportAllocs()
			for b.Loop() {
				runMain(b, streams, deps, c.role, "--format", "bash")
			}
			if sts.CallCount("") != calls || !strings.Contains(streams.ErrBuf.String(), "cached") {
				b.Fatalf("the timed runs called STS (%d calls, %d before): %s", sts.CallCount(""), calls, streams.ErrBuf.String())
			}
		})
	}
}

func BenchmarkExportStatic(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			c, dir := benchEnv(b, n)
			streams := iostreams.Test()
			deps := benchDeps(streams, dir, nil)
			b.ReportAllocs()
			for b.Loop() {
				runMain(b, streams, deps, c.static, "--format", "bash")
			}
			if !strings.Contains(streams.OutBuf.String(), "AKIASTATIC") {
				b.Fatalf("stdout = %q", streams.OutBuf.String())
			}
		})
	}
}

// BenchmarkLoadResolve is the file work of an export: index both files, resolve one chain.
func BenchmarkLoadResolve(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			c, dir := benchEnv(b, n)
			paths := benchPaths(dir)
			b.ReportAllocs()
			for b.Loop() {
				files, err := awsfile.Load(paths)
				if err != nil {
					b.Fatal(err)
				}
				p, err := session.Resolve(files, c.role)
				if err != nil || p.Source == nil || p.Source.Name != "base" {
					b.Fatalf("resolve %s: %v", c.role, err)
				}
			}
		})
	}
}

// BenchmarkParse is kong building its model and parsing a typical command line.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse([]string{"prod", "--format", "bash"}, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	creds := render.Credentials{
		AccessKeyID: "ASIAEXAMPLE000000001", SecretAccessKey: strings.Repeat("s", 40),
		SessionToken: strings.Repeat("t", 800), Region: "us-east-1", Profile: "acct-4998-admin",
		Expires: time.Date(2025, 3, 4, 13, 0, 0, 0, time.UTC),
	}
	var out strings.Builder
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		if err := render.Export(&out, render.Bash, creds); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkListTable(b *testing.B) {
	_, dir := benchEnv(b, 5000)
	streams := iostreams.Test()
	deps := benchDeps(streams, dir, nil)
	b.ReportAllocs()
	for b.Loop() {
		runMain(b, streams, deps, "-l")
	}
}

func BenchmarkSuggest(b *testing.B) {
	c, dir := benchEnv(b, 5000)
	files, err := awsfile.Load(benchPaths(dir))
	if err != nil {
		b.Fatal(err)
	}
	names := files.Names()
	typo := strings.Replace(c.role, "admin", "admn", 1)
	b.ReportAllocs()
	for b.Loop() {
		if s := suggest(typo, names, 3); len(s) == 0 || s[0] != c.role {
			b.Fatalf("suggest(%q) = %q", typo, s)
		}
	}
}

// BenchmarkParseEveryday is the same command line through the fast parser Main tries first.
func BenchmarkParseEveryday(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := parseEveryday([]string{"prod", "--format", "bash"}); !ok {
			b.Fatal("not taken")
		}
	}
}
