package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strings"

	"github.com/assume-cli/assume/internal/render"
)

// runCommand runs argv with the credentials in its environment, forwarding
// signals, and returns its exit code as assume's.
func runCommand(ctx context.Context, d Deps, argv []string, c render.Credentials) error {
	return runWithEnv(ctx, d, argv, commandEnv(os.Environ(), render.EnvFor(c)))
}

// runWithEnv runs argv with environ as its whole environment.
func runWithEnv(_ context.Context, d Deps, argv []string, environ []string) error {
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return &ExitError{Code: 127, Err: fmt.Errorf("cannot run %q: command not found", argv[0])}
	}
	cmd := exec.Command(path, argv[1:]...)
	cmd.Args[0] = argv[0]
	cmd.Env = environ
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if d.Streams.In != nil && d.Streams.In != os.Stdin {
		cmd.Stdin = d.Streams.In
	}
	if d.Streams.Out != os.Stdout {
		cmd.Stdout = d.Streams.Out
	}
	if d.Streams.ErrOut != os.Stderr {
		cmd.Stderr = d.Streams.ErrOut
	}

	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, forwardedSignals...)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		return &ExitError{Code: 126, Err: fmt.Errorf("cannot run %q: %v", argv[0], err)}
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				_ = cmd.Process.Signal(s)
			case <-done:
				return
			}
		}
	}()
	err = cmd.Wait()
	close(done)
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code := ee.ExitCode()
		if code < 0 { // killed by a signal
			code = 128 + signalNumber(ee)
		}
		return &ExitError{Code: code}
	}
	if err != nil {
		return &ExitError{Code: 1, Err: fmt.Errorf("running %q failed: %v", argv[0], err)}
	}
	return nil
}

// commandEnv is environ with every variable assume manages removed, then the
// new ones added, so no stale token or AWS_PROFILE mixes in.
func commandEnv(environ []string, env render.Env) []string {
	drop := map[string]bool{}
	for _, n := range append(render.UnsetEnv().Unset, env.Unset...) {
		drop[n] = true
	}
	for _, v := range env.Set {
		drop[v.Name] = true
	}
	out := make([]string, 0, len(environ)+len(env.Set))
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !drop[name] {
			out = append(out, kv)
		}
	}
	for _, v := range env.Set {
		out = append(out, v.Name+"="+v.Value)
	}
	return out
}
