// Package mfa is assume's one source of MFA codes: the rule a code must
// meet, the prompt that asks for one, and the mfa_process command that
// prints one. Exporting a profile and setting one up both use it.
package mfa

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/assume-cli/assume/internal/child"
	"github.com/assume-cli/assume/internal/iostreams"
	"github.com/assume-cli/assume/internal/prompt"
)

// Rule is what a code must be, as said to a person who gave something else.
const Rule = "the MFA code must be the 6 digits your MFA device shows now"

// ErrNotACode is returned for a code that breaks the rule (see Parse).
var ErrNotACode = errors.New(Rule)

// Parse applies the one rule for codes from every source (-m,
// ASSUME_MFA_TOKEN, a prompt, an mfa_process): a code is six ASCII digits.
// Spaces and tabs around and between the digits are dropped first, because
// authenticator apps show codes as "123 456"; anything else (a letter, a
// seventh digit) makes it not a code.
func Parse(s string) (string, error) {
	code := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return "", ErrNotACode
	}
	return code, nil
}

// FromOutput finds the code in what an mfa_process printed: its last word
// that is a code, since tools print "AWS:alice  123456", or its last two
// words when they are the halves of one ("AWS:alice  123 456").
func FromOutput(out []byte) (string, bool) {
	fields := strings.Fields(string(out))
	for i := len(fields) - 1; i >= 0; i-- {
		if i > 0 && isDigits(fields[i], 3) && isDigits(fields[i-1], 3) {
			return fields[i-1] + fields[i], true
		}
		if code, err := Parse(fields[i]); err == nil {
			return code, true
		}
	}
	return "", false
}

func isDigits(s string, n int) bool {
	return len(s) == n && strings.Trim(s, "0123456789") == ""
}

// ErrNoTerminal: there is nobody to ask.
var ErrNoTerminal = iostreams.ErrNoTerminal

// Ask prompts with message until the answer is a code that reject (if not
// nil) does not turn down, at most attempts times. reject returns why a code
// cannot be used ("That code was used already"), or "". After the last
// attempt it returns ErrNotACode; with no prompter, ErrNoTerminal.
func Ask(p prompt.Prompter, message string, attempts int, reject func(code string) string) (string, error) {
	if p == nil {
		return "", ErrNoTerminal
	}
	msg := message
	for attempt := 0; attempt < attempts; attempt++ {
		answer, err := p.Input(msg, "")
		if err != nil {
			return "", err
		}
		code, err := Parse(answer)
		if err != nil {
			msg = "That was not 6 digits. " + message
			continue
		}
		if reject != nil {
			if why := reject(code); why != "" {
				msg = why + ". " + message
				continue
			}
		}
		return code, nil
	}
	return "", ErrNotACode
}

// MaxOutput caps what is read from an mfa_process: a code and some words
// around it fit many times over.
const MaxOutput = 64 << 10

// Process is an mfa_process command.
type Process struct {
	Command string
	// What names it in errors: `the mfa_process command of profile "prod"`.
	What string
	// Timeout is its deadline; TimeoutVar is the variable that changes it.
	Timeout    time.Duration
	TimeoutVar string
	// Stdin and Stderr are the command's: it may prompt, or ask for a touch.
	Stdin  io.Reader
	Stderr io.Writer
}

// Code runs the command and returns the code it printed.
func (p Process) Code(ctx context.Context) (string, error) {
	out, err := child.Output(ctx, child.Spec{
		Command: p.Command, What: p.What,
		Timeout: p.Timeout, TimeoutVar: p.TimeoutVar, MaxOutput: MaxOutput,
		Stdin: p.Stdin, Stderr: p.Stderr,
	})
	if err != nil {
		return "", err
	}
	code, ok := FromOutput(out)
	if !ok {
		return "", fmt.Errorf("%s printed no 6-digit code on stdout; check that it prints only the code", p.What)
	}
	return code, nil
}
