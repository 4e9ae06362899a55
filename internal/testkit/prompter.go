package testkit

import (
	"fmt"
	"strings"
	"testing"

	"github.com/assume-cli/assume/internal/iostreams"
)

// Prompter answers prompts from a script, in order, and records each question.
//
// With T unset it is lenient: any prompt takes the next answer, and with none left it behaves
// as if there were no terminal. With T set each answer may say which kind of prompt (input,
// secret, select, confirm) and which wording it expects, and a prompt beyond the script, or
// another than the one expected, fails the test.
type Prompter struct {
	T       testing.TB
	Answers []Answer
	// Asked holds the questions in order; a select's options follow its message in brackets.
	Asked []string
	// Options and Notes are what the last select offered: each option and its description.
	Options, Notes []string
}

// Answer is one scripted reply.
type Answer struct {
	Kind     string // input, secret, select or confirm; empty: any
	Contains string // the prompt must contain this
	// Reply makes the reply from the prompt (or fails).
	Reply func(message string) (string, error)
}

// Says is a reply of s, whatever the prompt.
func Says(s string) func(string) (string, error) {
	return func(string) (string, error) { return s, nil }
}

// Replies are answers to any prompt, in order.
func Replies(texts ...string) []Answer {
	out := make([]Answer, len(texts))
	for i, s := range texts {
		out[i] = Answer{Reply: Says(s)}
	}
	return out
}

func (p *Prompter) next(kind, message string) (string, error) {
	if p.T != nil {
		p.T.Helper()
	}
	p.Asked = append(p.Asked, message)
	if len(p.Answers) == 0 {
		if p.T != nil {
			p.T.Fatalf("unexpected %s prompt %q; asked so far:\n%s", kind, message, strings.Join(p.Asked, "\n"))
		}
		return "", iostreams.ErrNoTerminal
	}
	a := p.Answers[0]
	p.Answers = p.Answers[1:]
	if p.T != nil && ((a.Kind != "" && a.Kind != kind) || !strings.Contains(message, a.Contains)) {
		p.T.Fatalf("prompt %s %q, want %s containing %q", kind, message, a.Kind, a.Contains)
	}
	return a.Reply(message)
}

func (p *Prompter) Input(message, _ string) (string, error) { return p.next("input", message) }
func (p *Prompter) Secret(message string) (string, error)   { return p.next("secret", message) }

// Confirm says yes to "y" or "yes".
func (p *Prompter) Confirm(message string, _ bool) (bool, error) {
	s, err := p.next("confirm", message)
	return s == "y" || s == "yes", err
}

// Select answers with the option whose text equals the scripted answer.
func (p *Prompter) Select(message string, options []string, describe func(int) string) (int, error) {
	if p.T != nil {
		p.T.Helper()
	}
	p.Options, p.Notes = options, make([]string, len(options))
	for i := range options {
		if describe != nil {
			p.Notes[i] = describe(i)
		}
	}
	s, err := p.next("select", message+" ["+strings.Join(options, " | ")+"]")
	if err != nil {
		return 0, err
	}
	for i, o := range options {
		if o == s {
			return i, nil
		}
	}
	if p.T != nil {
		p.T.Fatalf("select: %q is not one of %q", s, options)
	}
	return 0, fmt.Errorf("scripted answer %q is not an option", s)
}

// Done fails the test if scripted prompts never came.
func (p *Prompter) Done(t testing.TB) {
	t.Helper()
	if len(p.Answers) > 0 {
		t.Errorf("%d prompts never came, the first: %s %q", len(p.Answers), p.Answers[0].Kind, p.Answers[0].Contains)
	}
}
