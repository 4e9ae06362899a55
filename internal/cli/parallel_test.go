package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/cli"
)

// TestMain lets the test binary act as assume itself, so tests can start
// many real processes without building a separate binary.
func TestMain(m *testing.M) {
	if os.Getenv("ASSUME_TEST_AS_MAIN") == "1" {
		os.Exit(cli.Main(context.Background(), os.Args[1:], cli.SystemDeps()))
	}
	os.Exit(m.Run())
}

// TestParallelRunsShareOneSession starts 20 processes for the same role at
// once, each also writing the same --write-profile section: all succeed,
// the locks make them share one MFA session and one role credential, and
// the credentials file ends with exactly one, complete section.
func TestParallelRunsShareOneSession(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const n = 20
	xdg := filepath.Join(h.dir, "xdg")
	outputs := make([]string, n)
	var wg sync.WaitGroup
	errs := make(chan string, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "prod", "-m", "123456", "--format", "json", "--write-profile", "prod-session")
			// A real process start: the harness's environment, and nothing of the developer's.
			cmd.Env = append(h.environ(), "ASSUME_TEST_AS_MAIN=1", "XDG_CACHE_HOME="+xdg, "HOME="+h.dir)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				errs <- err.Error() + ": " + stderr.String()
				return
			}
			outputs[i] = stdout.String()
		}(i)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if t.Failed() {
		return
	}
	if g, a := h.sts.CallCount("GetSessionToken"), h.sts.CallCount("AssumeRole"); g != 1 || a != 1 {
		t.Fatalf("%d GetSessionToken and %d AssumeRole calls for %d parallel runs, want 1 and 1", g, a, n)
	}
	var first map[string]string
	for i, out := range outputs {
		var got map[string]string
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("run %d printed %q: %v", i, out, err)
		}
		if first == nil {
			first = got
		} else if got["AccessKeyId"] != first["AccessKeyId"] {
			t.Fatalf("run %d got other credentials", i)
		}
	}
	data, err := os.ReadFile(filepath.Join(h.dir, "credentials"))
	if err != nil {
		t.Fatal(err)
	}
	if c := strings.Count(string(data), "[prod-session]"); c != 1 {
		t.Fatalf("[prod-session] appears %d times:\n%s", c, data)
	}
	files, err := awsfile.Load(awsfile.Paths{Config: filepath.Join(h.dir, "config"), Credentials: filepath.Join(h.dir, "credentials")})
	if err != nil {
		t.Fatal(err)
	}
	p, ok := files.Profile("prod-session")
	if !ok || p.Get("aws_access_key_id") != first["AccessKeyId"] || p.Get("aws_session_token") != first["SessionToken"] {
		t.Fatalf("written section = %+v", p.Values)
	}
	ents, _ := os.ReadDir(filepath.Join(xdg, "assume"))
	for _, e := range ents {
		info, _ := e.Info()
		if strings.HasSuffix(e.Name(), ".json") && info.Mode().Perm() != 0o600 {
			t.Errorf("cache file %s has mode %v", e.Name(), info.Mode())
		}
	}
	if info, _ := os.Stat(filepath.Join(xdg, "assume")); info.Mode().Perm() != 0o700 {
		t.Errorf("cache folder mode %v", info.Mode())
	}
}
