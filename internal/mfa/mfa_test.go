package mfa

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/child"
	"github.com/assume-cli/assume/internal/testkit"
)

// The one rule, for every source of codes.
func TestParse(t *testing.T) {
	cases := []struct{ in, want string }{
		{"123456", "123456"},
		{" 123456\n", "123456"},
		{"123 456", "123456"}, // as authenticator apps show it
		{"123\t456", "123456"},
		{"12345", ""},
		{"1234567", ""},
		{"123 56", ""},
		{"12a456", ""},
		{"abcdef", ""},
		{"１２３４５６", ""}, // fullwidth digits are not ASCII digits
		{"", ""},
	}
	for _, c := range cases {
		got, err := Parse(c.in)
		if c.want == "" {
			if !errors.Is(err, ErrNotACode) {
				t.Errorf("Parse(%q) = %q, %v; want ErrNotACode", c.in, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("Parse(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestFromOutput(t *testing.T) {
	cases := []struct{ in, want string }{
		{"123456\n", "123456"},
		{"123 456\n", "123456"},
		{"AWS:alice  654321\n", "654321"},
		{"Touch your key\n111111 222222\n", "222222"},
		{"no code here\n", ""},
	}
	for _, c := range cases {
		got, ok := FromOutput([]byte(c.in))
		if got != c.want || ok != (c.want != "") {
			t.Errorf("FromOutput(%q) = %q, %t; want %q", c.in, got, ok, c.want)
		}
	}
}

func TestAsk(t *testing.T) {
	p := &testkit.Prompter{Answers: testkit.Replies("12345", "111 111", "222 222")}
	code, err := Ask(p, "Code:", 5, func(code string) string {
		if code == "111111" {
			return "That code was used already"
		}
		return ""
	})
	if err != nil || code != "222222" {
		t.Fatalf("code = %q, err = %v", code, err)
	}
	want := []string{"Code:", "That was not 6 digits. Code:", "That code was used already. Code:"}
	if strings.Join(p.Asked, "|") != strings.Join(want, "|") {
		t.Fatalf("asked %q, want %q", p.Asked, want)
	}
	if _, err := Ask(&testkit.Prompter{Answers: testkit.Replies("x", "y")}, "Code:", 2, nil); !errors.Is(err, ErrNotACode) {
		t.Fatalf("after two wrong answers err = %v, want ErrNotACode", err)
	}
	if _, err := Ask(nil, "Code:", 2, nil); !errors.Is(err, ErrNoTerminal) {
		t.Fatalf("with nobody to ask err = %v, want ErrNoTerminal", err)
	}
}

func TestProcessCode(t *testing.T) {
	p := Process{Command: "echo 'AWS:alice  123 456'", What: "the mfa_process", Timeout: time.Minute, TimeoutVar: "V"}
	if code, err := p.Code(context.Background()); err != nil || code != "123456" {
		t.Fatalf("code = %q, err = %v", code, err)
	}
	p.Command = "echo no code"
	if _, err := p.Code(context.Background()); err == nil || err.Error() != "the mfa_process printed no 6-digit code on stdout; check that it prints only the code" {
		t.Fatalf("err = %v", err)
	}
}

func TestProcessOutputIsCapped(t *testing.T) {
	p := Process{Command: "exec yes 123456", What: "the mfa_process", Timeout: time.Minute, TimeoutVar: "V"}
	_, err := p.Code(context.Background())
	var ce *child.Error
	if !errors.As(err, &ce) || ce.Reason != child.TooMuchOutput {
		t.Fatalf("err = %v, want the cap", err)
	}
	if want := "the mfa_process printed more than 65536 bytes on stdout and was stopped"; !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("err = %q", err)
	}
}
