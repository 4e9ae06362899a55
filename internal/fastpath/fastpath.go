// Package fastpath answers the runs of assume that people make all day and that need neither the
// network nor the AWS SDK: `assume PROFILE` (and the `--format F` forms the shell wrapper sends)
// when the credentials are long-term keys in the files or a fresh entry of the cache,
// `--list-profiles`, which tab completion sends, and `--init SHELL`, which every new shell runs.
//
// Go runs the initialisation of every package linked into a program before main, whatever the
// run does; the SDK's (endpoint tables, schemas, the HTTP stack), kong's and survey's cost about
// twice what an empty Go program takes to start. So cmd/assume links only this package and the
// light ones it uses, and hands every run it does not answer, unchanged, to assume-full (the whole
// program, internal/cli). The full program uses the same steps from here (the parse of the
// everyday command lines, the answer from the files or the cache, the region, the notice), so
// both say exactly the same; a test compares them byte for byte.
//
// The rule for what is answered here: only a run that would succeed without a call. Anything
// else, an error included, is handed over before a byte is written, so that the full program
// says what is wrong in its own words.
package fastpath

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/credcache"
	"github.com/assume-cli/assume/internal/deadline"
	"github.com/assume-cli/assume/internal/display"
	"github.com/assume-cli/assume/internal/iostreams"
	"github.com/assume-cli/assume/internal/render"
	"github.com/assume-cli/assume/internal/session"
	"github.com/assume-cli/assume/internal/shelldetect"
	"github.com/assume-cli/assume/shell"
)

// Env is what a run needs from the world; tests give their own.
type Env struct {
	Stdout, Stderr io.Writer
	StdoutTTY      bool
	// StdoutPipe: a shell is reading stdout right now (for --init's check of which shell).
	StdoutPipe bool
	Getenv     func(string) string
	Now        func() time.Time
	Paths      awsfile.Paths
	// CacheDir; empty: credcache.DefaultDir.
	CacheDir string
	// DetectShell names the calling shell (for the output format when --format is not given).
	DetectShell func() string
	// ParentShell names the shell that is the parent process, "" when it is none.
	ParentShell func() string
}

// SystemEnv is the real process's.
func SystemEnv() Env {
	home, _ := os.UserHomeDir()
	streams := iostreams.System()
	return Env{
		Stdout: os.Stdout, Stderr: os.Stderr, StdoutTTY: streams.IsStdoutTTY(), StdoutPipe: streams.IsStdoutPipe(),
		Getenv: os.Getenv, Now: time.Now, Paths: awsfile.DefaultPaths(os.Getenv, home),
		DetectShell: func() string { return shelldetect.Detect(os.Getenv) },
		ParentShell: shelldetect.Parent,
	}
}

// Main answers args (without the program name) when it can, with the process's environment:
// handled is false when nothing was written and the run is for assume-full.
func Main(args []string) (code int, handled bool) {
	return Run(args, SystemEnv())
}

// Run is Main with the world given.
func Run(args []string, e Env) (code int, handled bool) {
	cmd, ok := ParseEveryday(args)
	if !ok {
		return 0, false
	}
	if cmd.ListProfiles {
		// Like every other failure, one the full program reports.
		var out bytes.Buffer
		if ListProfiles(&out, e.Paths) != nil {
			return 0, false
		}
		return write(e, out.Bytes(), nil)
	}
	if cmd.Init != "" {
		return initScript(cmd, e)
	}
	return export(cmd, e)
}

// initScript prints the shell integration of --init SHELL [--auto-refresh].
func initScript(cmd Everyday, e Env) (code int, handled bool) {
	script, err := InitScript(cmd.Init, cmd.AutoRefresh, e.StdoutPipe, e.ParentShell)
	if err != nil {
		return 0, false
	}
	return write(e, script, nil)
}

// InitScript is the shell integration for shell (--init), with the prompt hook when
// autoRefresh. When stdoutPipe (a shell reads it right now), the shell that is the parent
// process must be the one asked for (shell.CheckReader); only then is parentShell asked.
func InitScript(shellName string, autoRefresh, stdoutPipe bool, parentShell func() string) ([]byte, error) {
	script, err := shell.Init(shellName)
	if err != nil {
		return nil, err
	}
	if stdoutPipe {
		if err := shell.CheckReader(shellName, parentShell()); err != nil {
			return nil, err
		}
	}
	if autoRefresh {
		return shell.WithAutoRefresh(shellName, script)
	}
	return script, nil
}

// export prints cmd.Profile's credentials, when the files or the cache hold them.
func export(cmd Everyday, e Env) (code int, handled bool) {
	// An MFA code (-m's variable) is checked even when no code is needed, by internal/mfa, which
	// links the prompt library: a run with one set is the full program's.
	if e.Getenv("ASSUME_MFA_TOKEN") != "" {
		return 0, false
	}
	if _, err := deadline.FromEnv(e.Getenv); err != nil {
		return 0, false
	}
	format, explicit, err := shell.PickFormat(cmd.Format, e.DetectShell)
	if err != nil || (!explicit && e.StdoutTTY) {
		// A terminal without --format gets guidance instead of secrets: the full program's.
		return 0, false
	}
	files, err := awsfile.Load(e.Paths)
	if err != nil {
		return 0, false
	}
	p, err := session.Resolve(files, cmd.Profile)
	if err != nil {
		return 0, false
	}
	region, err := Region("", p, e.Getenv)
	if err != nil {
		return 0, false
	}
	dir := e.CacheDir
	if dir == "" {
		if dir, err = credcache.DefaultDir(e.Getenv); err != nil {
			return 0, false
		}
	}
	// No Warn: an odd entry is a miss, and the full program says so.
	ans, ok := Answer(p, session.PlanOptions{Getenv: e.Getenv}, &credcache.Store{Dir: dir}, e.Now())
	if !ok {
		return 0, false
	}
	creds := RenderCredentials(ans.Credentials, region, p.Name)
	var out bytes.Buffer
	if render.Export(&out, format, creds) != nil {
		return 0, false
	}
	var notice bytes.Buffer
	Notice(&notice, e.Now(), p.Name, ans.How, ans.FromCache, creds, "")
	return write(e, out.Bytes(), notice.Bytes())
}

// write prints what the run found: the statements on stdout, then the notice on stderr.
func write(e Env, out, notice []byte) (int, bool) {
	if _, err := e.Stdout.Write(out); err != nil {
		fmt.Fprintf(e.Stderr, "assume: could not write the output: %s.\n", display.Safe(err.Error()))
		return 1, true
	}
	_, _ = e.Stderr.Write(notice)
	return 0, true
}
