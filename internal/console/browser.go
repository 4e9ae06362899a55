package console

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/cli/browser"
	"github.com/kballard/go-shellquote"

	"github.com/assume-cli/assume/internal/display"
)

// OpenWait is how long Open waits for the browser command. A browser that
// was not running yet stays in the foreground until it is closed: after
// this it is left running, and the URL counts as opened.
const OpenWait = 10 * time.Second

// SystemBrowser opens URLs with $BROWSER when set (a colon-separated list of
// commands, each given the URL as its last argument or in place of %s, as
// other tools read it), else the platform's opener (xdg-open and kin, open,
// the Windows URL handler). No command ever writes to stdout: under the shell
// wrapper, stdout is evaluated.
type SystemBrowser struct {
	Getenv func(string) string
	// Output receives what the browser command prints; nil: os.Stderr.
	Output *os.File
	// Wait overrides OpenWait (tests).
	Wait time.Duration
}

// Open opens url. Its errors never hold the URL, which is a credential.
func (b SystemBrowser) Open(ctx context.Context, url string) error {
	out := b.Output
	if out == nil {
		out = os.Stderr
	}
	wait := b.Wait
	if wait == 0 {
		wait = OpenWait
	}
	getenv := b.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	if env := getenv("BROWSER"); env != "" {
		return openWithBrowserVariable(ctx, env, url, out, wait)
	}
	// The platform opener of github.com/cli/browser writes the command's
	// output to these; never to stdout.
	browser.Stdout, browser.Stderr = out, out
	done := make(chan error, 1)
	go func() { done <- browser.OpenURL(url) }()
	select {
	case err := <-done:
		if err != nil {
			var ee *exec.Error
			if errors.As(err, &ee) {
				return fmt.Errorf("no browser to open: none of %s is installed; set $BROWSER, or print the URL with --console-url", strings.ReplaceAll(ee.Name, ",", ", "))
			}
			return fmt.Errorf("the system's browser opener failed (%s)", err)
		}
		return nil
	case <-time.After(wait):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// openWithBrowserVariable tries each command of $BROWSER in turn.
func openWithBrowserVariable(ctx context.Context, env, url string, out io.Writer, wait time.Duration) error {
	var failures []string
	for _, command := range strings.Split(env, string(os.PathListSeparator)) {
		if strings.TrimSpace(command) == "" {
			continue
		}
		argv, err := shellquote.Split(command)
		if err != nil || len(argv) == 0 {
			failures = append(failures, fmt.Sprintf("%q cannot be split into words", command))
			continue
		}
		// The URL replaces %s, else it is the last argument.
		replaced := false
		for i, a := range argv[1:] {
			if strings.Contains(a, "%s") {
				argv[i+1] = strings.ReplaceAll(a, "%s", url)
				replaced = true
			}
		}
		if !replaced {
			argv = append(argv, url)
		}
		err = run(ctx, argv, out, wait)
		if err == nil {
			return nil
		}
		failures = append(failures, fmt.Sprintf("%s %v", display.Quote(argv[0]), err))
	}
	if len(failures) == 0 {
		return errors.New("$BROWSER names no command; set it to your browser, or print the URL with --console-url")
	}
	return fmt.Errorf("$BROWSER could not open the console: %s", strings.Join(failures, "; "))
}

// run starts argv and waits at most wait for it. A command still running
// then (a browser in the foreground) is left to run.
func run(ctx context.Context, argv []string, out io.Writer, wait time.Duration) error {
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return errors.New("is not installed")
	}
	cmd := exec.Command(path, argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, out, out
	if err := cmd.Start(); err != nil {
		return errors.New("could not be started")
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return fmt.Errorf("exited with status %d", ee.ExitCode())
		}
		if err != nil {
			return errors.New("failed")
		}
		return nil
	case <-time.After(wait):
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
