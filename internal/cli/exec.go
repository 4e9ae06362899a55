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

// Exit codes of a command that could not be started, as POSIX shells report them.
const (
	exitCannotExecute = 126 // found, but not executable (a folder, no x bit)
	exitNotFound      = 127
)

// command is what runs after "--": argv with its program found on PATH.
type command struct {
	argv []string
	path string
	// subshell is true for "--" alone: the user's shell, opened interactively.
	subshell bool
}

// findCommand resolves what follows "--" before any STS call, so that a typo
// costs no MFA code and prints nothing but the one error. With nothing after
// "--" it is the user's shell: $SHELL, else the calling shell, else /bin/sh.
func findCommand(argv []string, d Deps) (*command, error) {
	c := &command{argv: argv}
	if len(argv) == 0 {
		c.subshell = true
		c.argv = []string{userShell(d)}
	}
	path, err := lookPath(c.argv[0], d.Getenv("PATH"))
	if err != nil {
		return nil, err
	}
	c.path = path
	return c, nil
}

// userShell is the program "assume PROFILE --" opens.
func userShell(d Deps) string {
	if s := d.Getenv("SHELL"); s != "" {
		return s
	}
	if s := d.DetectShell(); s != "" && s != "powershell" {
		return s
	}
	return "/bin/sh"
}

// runCommand runs c with the credentials in its environment, forwarding
// signals, and returns its exit code as assume's.
func runCommand(ctx context.Context, d Deps, c *command, creds render.Credentials) error {
	return runWithEnv(ctx, d, c, commandEnv(d.Environ(), render.EnvFor(creds)))
}

// runWithEnv runs c with environ as its whole environment.
func runWithEnv(_ context.Context, d Deps, c *command, environ []string) error {
	cmd := exec.Command(c.path, c.argv[1:]...)
	cmd.Args[0] = c.argv[0]
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
		return &ExitError{Code: exitCannotExecute, Err: fmt.Errorf("cannot run %q: %v", c.argv[0], err)}
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
	err := cmd.Wait()
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
		return &ExitError{Code: 1, Err: fmt.Errorf("running %q failed: %v", c.argv[0], err)}
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
