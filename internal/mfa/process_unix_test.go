//go:build unix

package mfa

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/child"
	"github.com/assume-cli/assume/internal/testkit"
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
	pids := testkit.ReadPIDs(t, pidFile)
	if len(pids) != 2 {
		t.Fatalf("pids = %v", pids)
	}
	testkit.RequireProcessesGone(t, pids)
}
