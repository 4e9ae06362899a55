package testkit_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/assume-cli/assume/internal/iostreams"
	"github.com/assume-cli/assume/internal/testkit"
)

func TestPrompterAnswersInOrderThenHasNoTerminal(t *testing.T) {
	p := &testkit.Prompter{Answers: testkit.Replies("123456", "yes", "b")}
	if got, err := p.Input("Code:", ""); got != "123456" || err != nil {
		t.Fatalf("Input = %q, %v", got, err)
	}
	if ok, err := p.Confirm("Go on?", false); !ok || err != nil {
		t.Fatalf("Confirm = %v, %v", ok, err)
	}
	i, err := p.Select("Pick:", []string{"a", "b"}, func(i int) string { return "note " + []string{"a", "b"}[i] })
	if i != 1 || err != nil {
		t.Fatalf("Select = %d, %v", i, err)
	}
	if !slices.Equal(p.Options, []string{"a", "b"}) || !slices.Equal(p.Notes, []string{"note a", "note b"}) {
		t.Fatalf("offered %q with notes %q", p.Options, p.Notes)
	}
	if _, err := p.Secret("Secret:"); !errors.Is(err, iostreams.ErrNoTerminal) {
		t.Fatalf("with no answers left err = %v, want no terminal", err)
	}
	want := []string{"Code:", "Go on?", "Pick: [a | b]", "Secret:"}
	if !slices.Equal(p.Asked, want) {
		t.Fatalf("asked %q, want %q", p.Asked, want)
	}
}

func TestCleanShellReadsNoStartupFile(t *testing.T) {
	for shell, want := range map[string][]string{
		"bash": {"bash", "--noprofile", "--norc", "-c", "true"},
		"zsh":  {"zsh", "-f", "-c", "true"},
		"fish": {"fish", "--no-config", "-c", "true"},
	} {
		if got := testkit.CleanShell(shell, "-c", "true"); !slices.Equal(got, want) {
			t.Errorf("CleanShell(%s) = %q, want %q", shell, got, want)
		}
	}
}
