//go:build unix

package child

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// pidsOf reads the process IDs a test command wrote, one a line.
func pidsOf(t *testing.T, file string) []int {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("the command wrote no process IDs: %v", err)
	}
	var pids []int
	for _, f := range strings.Fields(string(b)) {
		pid, err := strconv.Atoi(f)
		if err != nil {
			t.Fatalf("bad pid %q", f)
		}
		pids = append(pids, pid)
	}
	return pids
}

// gone reports whether pid no longer runs: absent, or a zombie waiting for
// init to reap it (a container's init may be slow to).
func gone(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return os.IsNotExist(err)
	}
	// pid (comm) STATE ...: the state follows the last ')'.
	s := string(stat)
	rest := s[strings.LastIndexByte(s, ')')+1:]
	return strings.HasPrefix(strings.TrimSpace(rest), "Z")
}

// requireGone fails unless every pid has ended; a killed process needs a
// moment to be reaped, so it is polled rather than timed.
func requireGone(t *testing.T, pids []int) {
	t.Helper()
	for _, pid := range pids {
		for i := 0; !gone(pid); i++ {
			if i == 500 {
				t.Fatalf("process %d is still running", pid)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// hanging is a command that starts a sleeping grandchild in the background,
// writes both IDs, says it is ready, and then never ends by itself.
func hanging(t *testing.T) (command, pidFile string) {
	pidFile = filepath.Join(t.TempDir(), "pids")
	return `sleep 300 & echo $! >` + pidFile + `; echo $$ >>` + pidFile + `; exec sleep 301`, pidFile
}

func TestDeadlineKillsTheWholeGroup(t *testing.T) {
	command, pidFile := hanging(t)
	spec := Spec{Command: command, What: "the test command", Timeout: 300 * time.Millisecond, TimeoutVar: "TEST_TIMEOUT", MaxOutput: 100}
	_, err := Output(context.Background(), spec)
	var ce *Error
	if !errors.As(err, &ce) || ce.Reason != TimedOut {
		t.Fatalf("err = %v, want a deadline error", err)
	}
	msg := err.Error()
	for _, want := range []string{"the test command did not finish within 300ms", "TEST_TIMEOUT"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	if strings.Contains(msg, "\n") {
		t.Errorf("error %q is not one line", msg)
	}
	pids := pidsOf(t, pidFile)
	if len(pids) != 2 {
		t.Fatalf("pids = %v", pids)
	}
	requireGone(t, pids)
}

// A command that ends leaves nothing behind: its background grandchild,
// which still holds stdout open, is killed, and the output is read.
func TestExitKillsWhatTheCommandLeftBehind(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pids")
	out, err := Output(context.Background(), Spec{
		Command: `sleep 300 & echo $! >` + pidFile + `; echo 123456`,
		What:    "the test command", Timeout: time.Minute, TimeoutVar: "T", MaxOutput: 100,
	})
	if err != nil || strings.TrimSpace(string(out)) != "123456" {
		t.Fatalf("out = %q, err = %v", out, err)
	}
	requireGone(t, pidsOf(t, pidFile))
}

func TestOutputIsCapped(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pids")
	_, err := Output(context.Background(), Spec{
		Command: `echo $$ >` + pidFile + `; exec yes 0123456789`,
		What:    "the test command", Timeout: time.Minute, TimeoutVar: "T", MaxOutput: 64 << 10,
	})
	var ce *Error
	if !errors.As(err, &ce) || ce.Reason != TooMuchOutput {
		t.Fatalf("err = %v, want too much output", err)
	}
	if want := "the test command printed more than 65536 bytes on stdout and was stopped"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
	requireGone(t, pidsOf(t, pidFile))
}

func TestOutputAtTheCapIsRead(t *testing.T) {
	out, err := Output(context.Background(), Spec{
		Command: `printf 0123456789`, What: "the test command", Timeout: time.Minute, TimeoutVar: "T", MaxOutput: 10,
	})
	if err != nil || string(out) != "0123456789" {
		t.Fatalf("out = %q, err = %v", out, err)
	}
}

func TestCancelledContextKillsTheGroup(t *testing.T) {
	command, pidFile := hanging(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		// Cancel once the command has started its grandchild.
		for {
			if b, _ := os.ReadFile(pidFile); strings.Count(string(b), "\n") == 2 {
				cancel()
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	_, err := Output(ctx, Spec{Command: command, What: "the test command", Timeout: time.Hour, TimeoutVar: "T", MaxOutput: 100})
	var ce *Error
	if !errors.As(err, &ce) || ce.Reason != Stopped {
		t.Fatalf("err = %v, want stopped", err)
	}
	requireGone(t, pidsOf(t, pidFile))
}

func TestExitStatus(t *testing.T) {
	_, err := Output(context.Background(), Spec{Command: "echo secret-output; exit 3", What: "the test command", Timeout: time.Minute, TimeoutVar: "T", MaxOutput: 100})
	var ce *Error
	if !errors.As(err, &ce) || ce.Reason != Exited || ce.ExitCode != 3 {
		t.Fatalf("err = %v, want exit status 3", err)
	}
	if msg := err.Error(); msg != "the test command exited with status 3; run it yourself to see why" {
		t.Errorf("error = %q", msg)
	}
}
