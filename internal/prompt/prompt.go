// Package prompt asks the person at the terminal for input. It keeps
// survey/v2 (unmaintained upstream) behind one small interface so it can be
// replaced without touching callers, and so tests can answer prompts.
package prompt

import (
	"errors"
	"fmt"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/terminal"

	"github.com/assume-cli/assume/internal/display"
	"github.com/assume-cli/assume/internal/iostreams"
)

// Prompter asks questions. Every method fails with iostreams.ErrNoTerminal
// when there is nobody to ask.
type Prompter interface {
	// Input asks for one line of visible text.
	Input(message, defaultValue string) (string, error)
	// Secret asks for text that is not echoed.
	Secret(message string) (string, error)
	// Select lets the person pick one option, filtering as they type;
	// describe (may be nil) adds a dimmed note beside an option.
	Select(message string, options []string, describe func(index int) string) (int, error)
	// Confirm asks a yes/no question.
	Confirm(message string, defaultValue bool) (bool, error)
}

// ErrCancelled is returned when the person interrupts a prompt (Ctrl-C).
var ErrCancelled = errors.New("cancelled at the prompt")

// Terminal returns a Prompter that draws on the streams' terminal (/dev/tty),
// never on stdout, opening it only when a question is actually asked. Every
// text it draws (messages, defaults, options and their notes) goes through
// display.Safe first: profile names and regions come from files and the
// environment, and must not reach the terminal as escape sequences.
func Terminal(streams *iostreams.IOStreams) Prompter {
	return &surveyPrompter{streams: streams}
}

type surveyPrompter struct {
	streams *iostreams.IOStreams
}

func (p *surveyPrompter) ask(q survey.Prompt, answer any) error {
	t, err := p.streams.Terminal()
	if err != nil {
		return err
	}
	defer t.Close()
	err = survey.AskOne(q, answer, survey.WithStdio(t.In, t.Out, t.Out), survey.WithShowCursor(true))
	if errors.Is(err, terminal.InterruptErr) {
		return ErrCancelled
	}
	if err != nil {
		return fmt.Errorf("reading from the terminal: %w", err)
	}
	return nil
}

func (p *surveyPrompter) Input(message, defaultValue string) (string, error) {
	var s string
	err := p.ask(&survey.Input{Message: display.Safe(message), Default: display.Safe(defaultValue)}, &s)
	return s, err
}

func (p *surveyPrompter) Secret(message string) (string, error) {
	var s string
	err := p.ask(&survey.Password{Message: display.Safe(message)}, &s)
	return s, err
}

func (p *surveyPrompter) Select(message string, options []string, describe func(int) string) (int, error) {
	// The answer is an index, so the options shown may differ from the names.
	q := &survey.Select{Message: display.Safe(message), Options: display.Lines(options), PageSize: 15}
	if describe != nil {
		q.Description = func(_ string, i int) string { return display.Safe(describe(i)) }
	}
	var i int
	err := p.ask(q, &i)
	return i, err
}

func (p *surveyPrompter) Confirm(message string, defaultValue bool) (bool, error) {
	var b bool
	err := p.ask(&survey.Confirm{Message: display.Safe(message), Default: defaultValue}, &b)
	return b, err
}
