// Package child runs the commands a profile names (mfa_process,
// credential_process) the way assume must: through the shell, with a
// deadline, with a cap on what is read from their stdout, and in a process
// group of their own, which is killed as a whole when the deadline passes,
// when the output overflows, when the command's own process ends (so a
// background grandchild cannot linger), and when assume is told to stop.
package child

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"sync"
	"syscall"
	"time"
)

// Spec says what to run and within which limits.
type Spec struct {
	// Command is run with sh -c (cmd /C on Windows).
	Command string
	// What names the command in errors, e.g. `the mfa_process command of
	// profile "prod"`; its output is never repeated (it may hold a secret).
	What string
	// Timeout is the deadline; TimeoutVar is the variable that changes it,
	// named in the error.
	Timeout    time.Duration
	TimeoutVar string
	// MaxOutput caps the bytes read from stdout.
	MaxOutput int
	// Stdin and Stderr are the command's own (its prompts and notices reach
	// the person); nil: none.
	Stdin  io.Reader
	Stderr io.Writer
	// Env is the command's environment; nil: assume's.
	Env []string
}

// Reason says why a command failed.
type Reason int

const (
	NotStarted Reason = iota + 1
	TimedOut
	TooMuchOutput
	Stopped // assume was told to stop (SIGINT, SIGTERM, SIGHUP) or its context ended
	Exited  // the command exited with a status other than 0, or was killed by a signal
)

// Error is a command that did not succeed, as one sentence.
type Error struct {
	Spec     Spec
	Reason   Reason
	ExitCode int // with Exited: the status, -1 when a signal ended it
	Err      error
}

func (e *Error) Error() string {
	s := e.Spec
	switch e.Reason {
	case NotStarted:
		return fmt.Sprintf("%s could not be started (%v); check the command", s.What, e.Err)
	case TimedOut:
		return fmt.Sprintf("%s did not finish within %s and was stopped; run it yourself to see why, or allow more time with %s (e.g. %s=%s)",
			s.What, s.Timeout, s.TimeoutVar, s.TimeoutVar, 2*s.Timeout)
	case TooMuchOutput:
		return fmt.Sprintf("%s printed more than %d bytes on stdout and was stopped; it must print only what assume reads from it", s.What, s.MaxOutput)
	case Stopped:
		return fmt.Sprintf("%s was stopped because assume was interrupted", s.What)
	}
	if e.ExitCode < 0 {
		return fmt.Sprintf("%s was ended by a signal (%v); run it yourself to see why", s.What, e.Err)
	}
	return fmt.Sprintf("%s exited with status %d; run it yourself to see why", s.What, e.ExitCode)
}

func (e *Error) Unwrap() error { return e.Err }

// stopSignals end a running command with assume; after the command's group
// is gone the signal is raised again, so assume ends as it would have.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// Output runs the command and returns its stdout, or an *Error.
func Output(ctx context.Context, s Spec) ([]byte, error) {
	if s.Timeout <= 0 {
		return nil, fmt.Errorf("internal error: no deadline for %s", s.What)
	}
	var cmd *exec.Cmd
	if runtime.GOOS == "windows" {
		cmd = exec.Command("cmd", "/C", s.Command)
	} else {
		cmd = exec.Command("/bin/sh", "-c", s.Command)
	}
	cmd.Env, cmd.Stdin, cmd.Stderr = s.Env, s.Stdin, s.Stderr
	// A pipe of our own, not cmd.Stdout = writer: Wait then returns when the
	// command's process ends, even while a grandchild holds the pipe open.
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, &Error{Spec: s, Reason: NotStarted, Err: err}
	}
	defer pr.Close()
	cmd.Stdout = pw
	g := newGroup(cmd)

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, stopSignals...)
	defer signal.Stop(sigs)

	err = cmd.Start()
	pw.Close()
	if err != nil {
		g.restore()
		return nil, &Error{Spec: s, Reason: NotStarted, Err: err}
	}

	var (
		out      []byte
		overflow bool
		readDone = make(chan struct{})
		once     sync.Once
		reason   Reason
	)
	stop := func(r Reason) {
		once.Do(func() { reason = r })
		g.kill()
	}
	go func() {
		defer close(readDone)
		out, overflow = readCapped(pr, s.MaxOutput)
		if overflow {
			stop(TooMuchOutput)
		}
	}()
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()

	timer := time.NewTimer(s.Timeout)
	defer timer.Stop()
	var raise os.Signal
	var waitErr error
	cancelled := ctx.Done()
wait:
	for {
		select {
		case waitErr = <-waited:
			break wait
		case <-timer.C:
			stop(TimedOut)
		case <-cancelled:
			cancelled = nil // closed for good: heard once
			stop(Stopped)
		case sig := <-sigs:
			raise = sig
			stop(Stopped)
		}
	}
	// The command's own process has ended: whatever it left in its group
	// goes too, which also closes the pipe for the reader.
	g.kill()
	<-readDone
	g.restore()
	if raise != nil {
		signal.Stop(sigs)
		reraise(raise)
	}
	switch {
	case reason != 0:
		return nil, &Error{Spec: s, Reason: reason, Err: errors.Join(ctx.Err(), waitErr)}
	case waitErr != nil:
		code := -1
		var ee *exec.ExitError
		if errors.As(waitErr, &ee) {
			code = ee.ExitCode()
		}
		return nil, &Error{Spec: s, Reason: Exited, ExitCode: code, Err: waitErr}
	}
	return out, nil
}

// readCapped reads r to its end, keeping at most max bytes; overflow
// reports that there was more. It stops reading at the first byte over.
func readCapped(r io.Reader, max int) (out []byte, overflow bool) {
	b, err := io.ReadAll(io.LimitReader(r, int64(max)+1))
	_ = err // a read error ends the output like EOF
	if len(b) > max {
		return nil, true
	}
	return b, false
}
