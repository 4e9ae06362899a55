//go:build unix

package child

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/testkit"
)

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
	pids := testkit.ReadPIDs(t, pidFile)
	if len(pids) != 2 {
		t.Fatalf("pids = %v", pids)
	}
	testkit.RequireProcessesGone(t, pids)
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
	testkit.RequireProcessesGone(t, testkit.ReadPIDs(t, pidFile))
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
	testkit.RequireProcessesGone(t, testkit.ReadPIDs(t, pidFile))
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
	testkit.RequireProcessesGone(t, testkit.ReadPIDs(t, pidFile))
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
