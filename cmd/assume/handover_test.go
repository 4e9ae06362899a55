//go:build !windows

package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/testkit"
)

// bin is assume and assume-full, built side by side as they are installed.
var bin testkit.Binary

func TestMain(m *testing.M) { os.Exit(testkit.Main(m, &bin)) }

// run runs the program at path in a sandbox (its own HOME, with a static-key profile dev), so
// nothing of the developer's is read, and returns what it left and its process ID.
func run(t *testing.T, path string, args ...string) testkit.Result {
	t.Helper()
	r, _ := runWithPID(t, nil, path, args...)
	return r
}

// runWithPID is run with extra NAME=value entries on top of the environment.
func runWithPID(t *testing.T, extra []string, path string, args ...string) (testkit.Result, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	home := t.TempDir()
	files := testkit.WriteAWSFiles(t, home, "[profile dev]\nregion = eu-west-1\n",
		"[dev]\naws_access_key_id = AKIAHANDOVERTEST\naws_secret_access_key = handover/secret\n")
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CACHE_HOME="+filepath.Join(home, ".cache"))
	for k, v := range files.Env() {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Env = append(cmd.Env, extra...)
	r, err := testkit.Run(cmd)
	if err != nil {
		t.Fatal(err)
	}
	return r, cmd.Process.Pid
}

// A run the front does not answer is assume-full's run: the same output on both streams and
// the same exit code, for a success and for a usage error.
func TestHandedOverRunIsAssumeFulls(t *testing.T) {
	t.Parallel()
	front := bin.Require(t)
	full := filepath.Join(bin.Dir, "assume-full")
	for _, args := range [][]string{{"--help"}, {"--version"}, {"--no-such-flag"}, {"--format", "nonsense", "dev"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			want := run(t, full, args...)
			got := run(t, front, args...)
			if got != want {
				t.Errorf("assume %s:\n%s\nassume-full %s:\n%s", args, got, args, want)
			}
		})
	}
	if r := run(t, front, "--no-such-flag"); r.ExitCode != 2 || r.Stdout != "" || !strings.Contains(r.Stderr, "--no-such-flag") {
		t.Errorf("a usage error handed over must exit 2 with empty stdout and say why:\n%s", r)
	}
	if r := run(t, front, "--help"); r.ExitCode != 0 || !strings.Contains(r.Stdout, "Usage: assume") {
		t.Errorf("assume --help handed over must print the usage:\n%s", r)
	}
}

// The hand-over replaces the process instead of starting a child: a command run with -- is
// the child of the very process the shell started.
func TestHandOverKeepsTheProcess(t *testing.T) {
	t.Parallel()
	front := bin.Require(t)
	r, pid := runWithPID(t, nil, front, "dev", "--", "sh", "-c", `echo "$PPID $AWS_ACCESS_KEY_ID"`)
	if r.ExitCode != 0 {
		t.Fatalf("assume dev -- sh:\n%s", r)
	}
	if want := strconv.Itoa(pid) + " AKIAHANDOVERTEST\n"; r.Stdout != want {
		t.Errorf("the command printed %q, want %q (its parent must be the process started as assume)", r.Stdout, want)
	}
}

// An assume reached through a symlink (a folder on PATH holding links to a release) finds
// assume-full beside the file the link points to.
func TestSymlinkedFrontFindsAssumeFull(t *testing.T) {
	t.Parallel()
	front := bin.Require(t)
	link := filepath.Join(t.TempDir(), "assume")
	if err := os.Symlink(front, link); err != nil {
		t.Fatal(err)
	}
	r := run(t, link, "--version")
	if r.ExitCode != 0 || !strings.HasPrefix(r.Stdout, "assume ") || r.Stderr != "" {
		t.Errorf("assume --version through a symlink:\n%s", r)
	}
}

// The front installed alone cannot hand the run over: it says so in one sentence, naming
// assume-full and how to install it, with its own path shown safely, and prints nothing on
// stdout.
func TestFrontAloneSaysAssumeFullIsMissing(t *testing.T) {
	t.Parallel()
	// A folder name holding an escape sequence and a newline, which must not reach the terminal.
	dir := filepath.Join(t.TempDir(), "bin\x1b[2J\nx")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	front := testkit.BuildProgram(t, ".", dir, "assume")
	r := run(t, front, "--help")
	if r.ExitCode != 1 || r.Stdout != "" {
		t.Fatalf("assume without assume-full must exit 1 with empty stdout:\n%s", r)
	}
	line, ok := strings.CutSuffix(r.Stderr, "\n")
	if !ok || strings.Contains(line, "\n") || strings.ContainsRune(line, '\x1b') {
		t.Fatalf("stderr must be one line without control characters:\n%q", r.Stderr)
	}
	for _, want := range []string{"assume: assume-full is not installed next to ", `bin\x1b[2J\nx`, "go install ./cmd/assume ./cmd/assume-full."} {
		if !strings.Contains(line, want) {
			t.Errorf("stderr %q does not say %q", line, want)
		}
	}
}

// assume-full is run only from the folder of assume's own file, never found on PATH: a program of
// that name earlier on PATH (in a project folder, say) must not receive the run and its secrets.
func TestAssumeFullIsNeverTakenFromPATH(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	front := testkit.BuildProgram(t, ".", dir, "assume")
	decoy := t.TempDir()
	ran := filepath.Join(decoy, "ran")
	testkit.WriteFile(t, filepath.Join(decoy, "assume-full"), "#!/bin/sh\ntouch '"+ran+"'\n")
	if err := os.Chmod(filepath.Join(decoy, "assume-full"), 0o755); err != nil {
		t.Fatal(err)
	}
	r, _ := runWithPID(t, []string{"PATH=" + decoy + string(os.PathListSeparator) + os.Getenv("PATH")}, front, "--help")
	if r.ExitCode != 1 || r.Stdout != "" || !strings.Contains(r.Stderr, "assume-full is not installed next to") {
		t.Fatalf("assume without assume-full beside it:\n%s", r)
	}
	if _, err := os.Stat(ran); err == nil {
		t.Fatal("assume ran the assume-full it found on PATH")
	}
}

// The everyday runs are the front's own: built alone, without assume-full beside it, it still
// exports static keys, lists the profiles and prints the shell integration.
func TestFrontAloneAnswersTheEverydayRuns(t *testing.T) {
	t.Parallel()
	front := testkit.BuildProgram(t, ".", t.TempDir(), "assume")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"dev", "--format", "bash"}, "export AWS_ACCESS_KEY_ID='AKIAHANDOVERTEST'"},
		{[]string{"--format=fish", "dev"}, "set -gx AWS_ACCESS_KEY_ID 'AKIAHANDOVERTEST'"},
		{[]string{"--list-profiles"}, "dev\n"},
		{[]string{"--init", "zsh"}, "function assume"},
	} {
		r := run(t, front, c.args...)
		if r.ExitCode != 0 || !strings.Contains(r.Stdout, c.want) {
			t.Errorf("assume %s without assume-full: want exit 0 and %q in stdout:\n%s", strings.Join(c.args, " "), c.want, r)
		}
	}
}
