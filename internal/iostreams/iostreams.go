// Package iostreams holds the process's standard streams and the answers to
// "is this a terminal?", so commands never consult os.Stdout directly and tests
// can swap every stream for a buffer.
package iostreams

import (
	"bytes"
	"errors"
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams is the set of streams a command talks through.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY   bool
	stdoutTTY  bool
	stdoutPipe bool
	stderrTTY  bool

	// openTerminal returns the controlling terminal for prompts. Prompts never
	// go to stdout: under `eval "$(assume …)"` stdout is captured by the shell.
	openTerminal func() (Terminal, error)
}

// Terminal is where prompts are read from and drawn on.
type Terminal struct {
	In    *os.File
	Out   *os.File
	Close func() error
}

// ErrNoTerminal means no terminal is available to ask the user anything.
var ErrNoTerminal = errors.New("no terminal is available")

// System returns the streams of the running process.
func System() *IOStreams {
	return &IOStreams{
		In:           os.Stdin,
		Out:          os.Stdout,
		ErrOut:       os.Stderr,
		stdinTTY:     isTerminal(os.Stdin),
		stdoutTTY:    isTerminal(os.Stdout),
		stdoutPipe:   isPipe(os.Stdout),
		stderrTTY:    isTerminal(os.Stderr),
		openTerminal: openControllingTerminal,
	}
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

func isPipe(f *os.File) bool {
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeNamedPipe != 0
}

// IsStdoutPipe reports whether stdout is a pipe: a shell is reading it right now, as in
// eval "$(assume …)" or assume … | source, rather than a file or a terminal.
func (s *IOStreams) IsStdoutPipe() bool { return s.stdoutPipe }

// SetStdoutPipe sets the answer of IsStdoutPipe.
func (s *IOStreams) SetStdoutPipe(v bool) { s.stdoutPipe = v }

// IsStdoutTTY reports whether stdout is a terminal: secrets must then not be printed.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStdinTTY reports whether stdin is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// IsStderrTTY reports whether stderr is a terminal.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// Terminal opens the terminal for an interactive prompt, or returns ErrNoTerminal.
func (s *IOStreams) Terminal() (Terminal, error) {
	if s.openTerminal == nil {
		return Terminal{}, ErrNoTerminal
	}
	return s.openTerminal()
}

// CanPrompt reports whether an interactive prompt is possible, without keeping
// the terminal open.
func (s *IOStreams) CanPrompt() bool {
	t, err := s.Terminal()
	if err != nil {
		return false
	}
	_ = t.Close()
	return true
}

// openControllingTerminal prefers the controlling terminal (/dev/tty, CONIN$ on
// Windows) and falls back to stdin+stderr when both are terminals.
func openControllingTerminal() (Terminal, error) {
	if in, out, err := openTTY(); err == nil {
		return Terminal{In: in, Out: out, Close: func() error {
			err := in.Close()
			if out != in {
				if cerr := out.Close(); err == nil {
					err = cerr
				}
			}
			return err
		}}, nil
	}
	if isTerminal(os.Stdin) && isTerminal(os.Stderr) {
		return Terminal{In: os.Stdin, Out: os.Stderr, Close: func() error { return nil }}, nil
	}
	return Terminal{}, ErrNoTerminal
}

// TestStreams is the test double: buffers for every stream and settable TTY answers.
type TestStreams struct {
	*IOStreams
	InBuf  *bytes.Buffer
	OutBuf *bytes.Buffer
	ErrBuf *bytes.Buffer
}

// Test returns streams backed by buffers; nothing is a terminal until set.
func Test() *TestStreams {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &TestStreams{
		IOStreams: &IOStreams{In: in, Out: out, ErrOut: errOut},
		InBuf:     in, OutBuf: out, ErrBuf: errOut,
	}
}

// SetStdoutTTY sets the answer of IsStdoutTTY.
func (s *IOStreams) SetStdoutTTY(v bool) { s.stdoutTTY = v }

// SetStdinTTY sets the answer of IsStdinTTY.
func (s *IOStreams) SetStdinTTY(v bool) { s.stdinTTY = v }

// SetTerminal replaces how the prompt terminal is opened (nil: no terminal).
func (s *IOStreams) SetTerminal(open func() (Terminal, error)) { s.openTerminal = open }
