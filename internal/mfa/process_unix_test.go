//go:build unix

package mfa

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

	"github.com/assume-cli/assume/internal/child"
)

// An mfa_process that never ends, and whose own child sleeps on, is
// stopped at the deadline with nothing left running.
func TestHangingProcessIsStoppedWithItsChildren(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "pids")
	p := Process{
		Command: `sleep 300 & echo $! >` + pidFile + `; echo $$ >>` + pidFile + `; exec sleep 301`,
		What:    `the mfa_process command for profile "p"`, Timeout: 200 * time.Millisecond, TimeoutVar: "ASSUME_PROCESS_TIMEOUT",
	}
	_, err := p.Code(context.Background())
	var ce *child.Error
	if !errors.As(err, &ce) || ce.Reason != child.TimedOut {
		t.Fatalf("err = %v, want the deadline", err)
	}
	if want := `the mfa_process command for profile "p" did not finish within 200ms and was stopped; run it yourself to see why, or allow more time with ASSUME_PROCESS_TIMEOUT (e.g. ASSUME_PROCESS_TIMEOUT=400ms)`; err.Error() != want {
		t.Fatalf("err = %q\nwant  %q", err, want)
	}
	b, _ := os.ReadFile(pidFile)
	pids := strings.Fields(string(b))
	if len(pids) != 2 {
		t.Fatalf("pids = %q", pids)
	}
	for _, s := range pids {
		pid, _ := strconv.Atoi(s)
		for i := 0; !ended(pid); i++ {
			if i == 500 {
				t.Fatalf("process %d still runs", pid)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// ended: no such process, or a zombie that init has yet to reap.
func ended(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return true
	}
	s := string(b)
	return strings.HasPrefix(strings.TrimSpace(s[strings.LastIndexByte(s, ')')+1:]), "Z")
}
