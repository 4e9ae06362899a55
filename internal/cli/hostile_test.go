package cli_test

import (
	"fmt"
	"github.com/assume-cli/assume/internal/testkit"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// hostileCase is a configuration that must give a clear error or a safe
// result: never a panic, never stdout on error, never more than one line.
type hostileCase struct {
	name        string
	config      string
	credentials string
	args        []string
	wantExit    int
	want        string // in stderr
}

func TestHostileConfigurations(t *testing.T) {
	t.Parallel()
	var cycle50 strings.Builder
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&cycle50, "[profile c%d]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = c%d\n\n", i, (i+1)%50)
	}
	var huge strings.Builder
	for i := 0; i < 50000; i++ {
		fmt.Fprintf(&huge, "[profile p%d]\nregion = eu-west-1\n# a comment line to make it bigger\n\n", i)
	}
	cases := []hostileCase{
		{name: "malformed header", config: "[profile a\nregion = x\n", args: []string{"a"}, wantExit: 1, want: "line 1"},
		{name: "garbage line", config: "[profile a]\nthis is not ini\n", args: []string{"a"}, wantExit: 1, want: "line 2"},
		{name: "binary junk", config: "\x00\x01\x02[\xff\xfe]\n=\n", args: []string{"a"}, wantExit: 1},
		{name: "duplicate sections merge", config: "[profile d]\nregion = eu-west-1\n[profile d]\nregion = us-west-2\n",
			credentials: "[d]\naws_access_key_id = AKIAD\naws_secret_access_key = s\n", args: []string{"d"}, wantExit: 0},
		{name: "cycle of length 1", config: "[profile self]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = self\n", args: []string{"self"}, wantExit: 1, want: "names itself"},
		{name: "cycle of length 50", config: cycle50.String(), args: []string{"c7"}, wantExit: 1, want: "loops"},
		{name: "missing source", config: "[profile m]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = gone\n", args: []string{"m"}, wantExit: 1, want: `"gone" does not exist`},
		{name: "empty keys", credentials: "[e]\naws_access_key_id =\naws_secret_access_key =\n", args: []string{"e"}, wantExit: 1, want: "no credentials"},
		{name: "huge file", config: huge.String(), credentials: "[p49999]\naws_access_key_id = AKIAHUGE\naws_secret_access_key = s\n", args: []string{"p49999"}, wantExit: 0},
		{name: "CRLF files", config: "[profile w]\r\nregion = eu-north-1\r\n", credentials: "[w]\r\naws_access_key_id = AKIACRLF\r\naws_secret_access_key = s\r\n", args: []string{"w"}, wantExit: 0},
		{name: "bad credential_source", config: "[profile b]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Magic\n", args: []string{"b"}, wantExit: 1, want: "credential_source"},
		{name: "unknown keys are ignored", config: "[profile u]\ninclude_profile = other\ncli_pager =\ns3 =\n  max_concurrent_requests = 10\n",
			credentials: "[u]\naws_access_key_id = AKIAU\naws_secret_access_key = s\n", args: []string{"u"}, wantExit: 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			testkit.WriteAWSFiles(t, h.dir, c.config, c.credentials)
			code := h.run(append(c.args, "--format", "bash")...)
			checkOutcome(t, h, code, c.wantExit, c.want)
			for _, extra := range [][]string{{"-l"}, {"--list-profiles"}} {
				code := h.run(extra...)
				if code != 0 && h.stdout() != "" {
					t.Errorf("%v failed (%d) but wrote stdout", extra, code)
				}
			}
		})
	}
}

func checkOutcome(t *testing.T, h *harness, code, wantExit int, want string) {
	t.Helper()
	if code != wantExit {
		t.Fatalf("exit %d, want %d; stderr %q", code, wantExit, h.stderr())
	}
	if code != 0 && h.stdout() != "" {
		t.Fatalf("stdout on error: %q", h.stdout())
	}
	if code == 0 && !strings.Contains(h.stdout(), "export AWS_ACCESS_KEY_ID=") {
		t.Fatalf("stdout = %q", h.stdout())
	}
	if strings.Count(strings.TrimSpace(h.stderr()), "\n") != 0 {
		t.Fatalf("stderr is not one line: %q", h.stderr())
	}
	if want != "" && !strings.Contains(h.stderr(), want) {
		t.Fatalf("stderr %q does not mention %q", h.stderr(), want)
	}
}

func TestConfigThatIsADirectoryOrUnreadable(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	dir := filepath.Join(h.dir, "config-dir")
	os.Mkdir(dir, 0o700)
	h.env["AWS_CONFIG_FILE"] = dir
	code := h.run("static", "--format", "bash")
	checkOutcome(t, h, code, 1, "config-dir")
	if code := h.run("--list-profiles"); code != 1 || h.stdout() != "" {
		t.Fatalf("--list-profiles on a directory: exit %d stdout %q", code, h.stdout())
	}

	if os.Geteuid() == 0 {
		t.Log("running as root: an unreadable file is readable, that case is not tested here")
		return
	}
	f := filepath.Join(h.dir, "config-locked")
	write(t, f, "[profile x]\n")
	os.Chmod(f, 0)
	h.env["AWS_CONFIG_FILE"] = f
	checkOutcome(t, h, h.run("static", "--format", "bash"), 1, "config-locked")
}

// TestShellSyntaxInValuesStaysData: a profile name made of shell syntax is
// exported as data; evaluating the output in real bash and in dash creates no
// file and yields the exact bytes. A region made of shell syntax is refused.
func TestShellSyntaxInValuesStaysData(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	canary := filepath.Join(h.dir, "canary")
	name := "x$(touch " + canary + ")'`id`" // no ; or #: they start INI comments
	write(t, filepath.Join(h.dir, "credentials"), "["+name+"]\naws_access_key_id = AKIAX\naws_secret_access_key = s\n")
	for _, sh := range []struct{ bin, format string }{{"bash", "bash"}, {"dash", "sh"}} {
		path, err := exec.LookPath(sh.bin)
		if err != nil {
			t.Logf("%s not installed", sh.bin)
			continue
		}
		write(t, filepath.Join(h.dir, "config"), "[profile "+name+"]\nregion = eu-west-1\n")
		if code := h.run(name, "--format", sh.format); code != 0 {
			t.Fatalf("exit %d: %s", code, h.stderr())
		}
		out, err := exec.Command(path, "-c", h.stdout()+"\nprintf '%s\\n%s' \"$AWS_REGION\" \"$ASSUME_PROFILE\"").Output()
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != "eu-west-1\n"+name {
			t.Fatalf("%s read back %q", sh.bin, out)
		}

		region := "$(touch " + canary + ")`touch " + canary + "`'\";|&"
		write(t, filepath.Join(h.dir, "config"), "[profile "+name+"]\nregion = "+region+"\n")
		checkOutcome(t, h, h.run(name, "--format", sh.format), 1, "is not a region name")
		if _, err := os.Stat(canary); err == nil {
			t.Fatal("a value ran as code")
		}
	}
}

// TestSecretsStayPut runs every command path with known secrets and checks
// that none reaches stderr, and that on disk they live only in the
// credentials file (theirs, plus --write-profile) and the cache.
func TestSecretsStayPut(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	secrets := []string{userSecret, staticSec}
	runs := [][]string{
		{"static", "--format", "bash"}, {"static", "--format", "zsh"}, {"static", "--format", "fish"},
		{"static", "--format", "powershell"}, {"static", "--format", "dotenv"}, {"static", "--format", "json"},
		{"alice", "-m", "123456", "--format", "credential-process"},
		{"prod", "--format", "bash"}, {"prod", "--format", "bash", "--refresh"},
		{"alice", "--format", "bash", "--write-profile", "alice-session"},
		{"alice", "-m", "999999", "--refresh", "--format", "bash"},
		{"prod", "-d", "3h", "--format", "bash"},
		{"nokeys", "--format", "bash"}, {"orphan", "--format", "bash"}, {"prod-admn", "--format", "bash"},
		{"-l"}, {"--list-profiles"}, {"-u", "--format", "bash"}, {"--init", "bash"},
		{"static", "--", "sh", "-c", "exit 0"},
		{"static", "--", "definitely-not-a-command"},
		{"--format", "bash"}, // no profile, no terminal
	}
	h.prompter.Answers = testkit.Replies("not-a-code", "123456")
	for _, args := range runs {
		h.run(args...)
		for _, s := range secrets {
			if strings.Contains(h.stderr(), s) {
				t.Fatalf("assume %q wrote a secret on stderr: %q", args, h.stderr())
			}
		}
		// Secrets handed out by STS are secrets too.
		for _, line := range strings.Split(h.stdout(), "\n") {
			if strings.Contains(line, "SECRET_ACCESS_KEY") || strings.Contains(line, "SESSION_TOKEN") {
				if v := lastQuoted(line); len(v) > 8 {
					secrets = append(secrets, v)
				}
			}
		}
	}
	if len(secrets) < 4 {
		t.Fatalf("collected only %d secrets; the test is not seeing STS output", len(secrets))
	}
	for _, p := range h.prompter.Asked {
		for _, s := range secrets {
			if strings.Contains(p, s) {
				t.Fatalf("a prompt showed a secret: %q", p)
			}
		}
	}
	filepath.WalkDir(h.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := os.ReadFile(path)
		rel, _ := filepath.Rel(h.dir, path)
		allowed := rel == "credentials" || strings.HasPrefix(rel, "cache"+string(filepath.Separator))
		for _, s := range secrets {
			if strings.Contains(string(data), s) && !allowed {
				t.Errorf("a secret was written to %s", rel)
			}
		}
		return nil
	})
}

// lastQuoted extracts the value of a bash export line.
func lastQuoted(line string) string {
	_, v, ok := strings.Cut(line, "=")
	if !ok {
		return ""
	}
	return strings.Trim(v, "'$")
}
