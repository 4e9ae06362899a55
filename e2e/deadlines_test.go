//go:build linux

package e2e

// Deadlines through the real binary: an STS endpoint that accepts and never
// answers, and an mfa_process that never ends when assume is sent SIGTERM.
// Neither needs the emulator.

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/testkit"
)

// bareSandbox writes config and credentials files and returns the
// environment for the binary: nothing of the developer's own set-up.
func bareSandbox(t *testing.T, config, credentials string, extra ...string) (dir string, env []string) {
	t.Helper()
	dir = t.TempDir()
	files := testkit.WriteAWSFiles(t, dir, config, credentials)
	env = append([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		"XDG_CACHE_HOME=" + filepath.Join(dir, "cache"),
		"AWS_CONFIG_FILE=" + files.Config,
		"AWS_SHARED_CREDENTIALS_FILE=" + files.Credentials,
		"AWS_EC2_METADATA_DISABLED=true",
	}, extra...)
	return dir, env
}

// runBare runs argv with env, detached from any terminal, for at most d.
func runBare(t *testing.T, d time.Duration, env []string, argv ...string) testkit.Result {
	t.Helper()
	cmd := exec.CommandContext(ctxFor(t, d), argv[0], argv[1:]...)
	cmd.Env = env
	res, err := testkit.Run(cmd)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// holdingListener accepts connections on 127.0.0.1 and never answers.
func holdingListener(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	held := make(chan net.Conn, 64)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held <- c
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		for len(held) > 0 {
			(<-held).Close()
		}
	})
	return "http://" + ln.Addr().String()
}

func TestBlackHoleSTSEndsAtASSUME_TIMEOUT(t *testing.T) {
	bin := requireAssume(t)
	endpoint := holdingListener(t)
	_, env := bareSandbox(t,
		"[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = keys\n",
		"[keys]\naws_access_key_id = AKIABLACKHOLE0000001\naws_secret_access_key = black-hole-secret\n",
		"AWS_ENDPOINT_URL="+endpoint, "ASSUME_TIMEOUT=1s")
	res := runBare(t, 2*time.Minute, env, bin, "role", "--format", "bash")
	if res.ExitCode != 1 {
		t.Fatalf("exit %d, want 1\nstderr: %s", res.ExitCode, res.Stderr)
	}
	if res.Stdout != "" {
		t.Errorf("stdout = %q, want nothing on an error", res.Stdout)
	}
	want := fmt.Sprintf("assume: STS AssumeRole at %s did not answer within 1s; check your network and endpoint settings, or allow more time with ASSUME_TIMEOUT (e.g. ASSUME_TIMEOUT=2s).\n", endpoint)
	if res.Stderr != want {
		t.Fatalf("stderr = %q\nwant     %q", res.Stderr, want)
	}
}

// hangingMFAProfile writes a profile [hang] whose mfa_process starts a
// sleeping child of its own and then sleeps; the script writes both process
// IDs to the file returned once they run.
func hangingMFAProfile(t *testing.T, dir string) (pidFile string) {
	t.Helper()
	pidFile = filepath.Join(dir, "pids")
	script := filepath.Join(dir, "hang.sh")
	// The mfa_process starts a sleeping child of its own, and then sleeps.
	body := "#!/bin/sh\nsleep 300 &\necho $! >" + pidFile + ".tmp\necho $$ >>" + pidFile + ".tmp\nmv " + pidFile + ".tmp " + pidFile + "\nexec sleep 301\n"
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	testkit.WriteAWSFiles(t, dir, "[profile hang]\nmfa_serial = arn:aws:iam::123456789012:mfa/u\nmfa_process = "+script+"\n",
		"[hang]\naws_access_key_id = AKIAHANG000000000001\naws_secret_access_key = hang-secret\n")
	return pidFile
}

// readPids reads the two process IDs the script wrote.
func readPids(t *testing.T, pidFile string) []int {
	t.Helper()
	pids := testkit.ReadPIDs(t, pidFile)
	if len(pids) != 2 {
		t.Fatalf("pids = %v", pids)
	}
	return pids
}

func TestHangingMFAProcessEndsAtASSUME_PROCESS_TIMEOUT(t *testing.T) {
	bin := requireAssume(t)
	dir, env := bareSandbox(t, "", "", "AWS_ENDPOINT_URL=http://127.0.0.1:1", "ASSUME_PROCESS_TIMEOUT=1s")
	pidFile := hangingMFAProfile(t, dir)
	res := runBare(t, 2*time.Minute, env, bin, "hang", "--format", "bash")
	if res.ExitCode != 1 || res.Stdout != "" {
		t.Fatalf("exit %d, stdout %q; want 1 and nothing\nstderr: %s", res.ExitCode, res.Stdout, res.Stderr)
	}
	want := `assume: the mfa_process command for profile "hang" did not finish within 1s and was stopped; run it yourself to see why, or allow more time with ASSUME_PROCESS_TIMEOUT (e.g. ASSUME_PROCESS_TIMEOUT=2s).` + "\n"
	if res.Stderr != want {
		t.Fatalf("stderr = %q\nwant     %q", res.Stderr, want)
	}
	testkit.RequireProcessesGone(t, readPids(t, pidFile))
}

func TestBadDeadlineVariableIsAUsageError(t *testing.T) {
	bin := requireAssume(t)
	_, env := bareSandbox(t, "[profile p]\n", "[p]\naws_access_key_id = AKIABADTIMEOUT000001\naws_secret_access_key = s\n", "ASSUME_TIMEOUT=soon")
	res := runBare(t, time.Minute, env, bin, "p", "--format", "bash")
	if res.ExitCode != 2 || res.Stdout != "" {
		t.Fatalf("exit %d, stdout %q; want 2 and nothing", res.ExitCode, res.Stdout)
	}
	if want := "assume: ASSUME_TIMEOUT=\"soon\" is not a positive duration: use forms like 30s, 2m or 45.\n"; res.Stderr != want {
		t.Fatalf("stderr = %q\nwant     %q", res.Stderr, want)
	}
}

func TestSIGTERMWhileMFAProcessHangsLeavesNoProcess(t *testing.T) {
	bin := requireAssume(t)
	dir, env := bareSandbox(t, "", "", "AWS_ENDPOINT_URL=http://127.0.0.1:1")
	pidFile := hangingMFAProfile(t, dir)

	cmd := exec.CommandContext(ctxFor(t, 2*time.Minute), bin, "hang", "--format", "bash")
	cmd.Env = env
	testkit.Detach(cmd)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		if _, err := os.Stat(pidFile); err == nil {
			break
		}
		if i == 3000 {
			t.Fatalf("the mfa_process never started\nstderr: %s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	pids := readPids(t, pidFile)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("assume ended with %v after SIGTERM", err)
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Errorf("assume ended with %v, want killed by SIGTERM as without an mfa_process", err)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout = %q", stdout.String())
	}
	testkit.RequireProcessesGone(t, pids)
}
