package prompt

import (
	"fmt"

	"github.com/assume-cli/assume/internal/iostreams"
)

// Scripted is the test double: it answers from a list and records every
// question. With no answers left it behaves as if there were no terminal.
type Scripted struct {
	Answers []string
	Asked   []string
}

func (s *Scripted) next(msg string) (string, error) {
	s.Asked = append(s.Asked, msg)
	if len(s.Answers) == 0 {
		return "", iostreams.ErrNoTerminal
	}
	a := s.Answers[0]
	s.Answers = s.Answers[1:]
	return a, nil
}

func (s *Scripted) Input(message, _ string) (string, error) { return s.next(message) }
func (s *Scripted) Secret(message string) (string, error)   { return s.next(message) }

// Select answers with the option whose text equals the scripted answer.
func (s *Scripted) Select(message string, options []string, _ func(int) string) (int, error) {
	a, err := s.next(message)
	if err != nil {
		return 0, err
	}
	for i, o := range options {
		if o == a {
			return i, nil
		}
	}
	return 0, fmt.Errorf("scripted answer %q is not an option", a)
}

func (s *Scripted) Confirm(message string, _ bool) (bool, error) {
	a, err := s.next(message)
	return a == "y" || a == "yes", err
}
