package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assume-cli/assume/internal/testkit"
)

// A command assume runs in a process group of its own (here a
// credential_process; an mfa_process runs the same way) gets the terminal
// while it runs, so it can prompt there, as password managers do; then the
// shell has the terminal back. Without the hand-over the command would be
// stopped as a background job the moment it read the terminal.
func TestProcessThatPromptsOnTheTerminal(t *testing.T) {
	p := startPicker(t, "bash")
	script := filepath.Join(p.dir, "ask.sh")
	testkit.WriteFile(t, script, "#!/bin/sh\nprintf 'unlock word: ' >/dev/tty\nread word </dev/tty\n"+
		"[ \"$word\" = open ] || exit 9\n"+
		"printf '{\"Version\": 1, \"AccessKeyId\": \"AKIAFOREGROUND000001\", \"SecretAccessKey\": \"fg-secret\"}'\n")
	if err := os.Chmod(script, 0o700); err != nil {
		t.Fatal(err)
	}
	testkit.WriteFile(t, filepath.Join(p.dir, "config"), "[profile vault]\ncredential_process = "+script+"\n")

	p.Type("assume vault")
	p.Keys("Enter")
	p.waitForScreen("the command's prompt", pickerWait, func(s string) bool { return strings.Contains(s, "unlock word:") })
	p.Type("open")
	p.Keys("Enter")
	p.waitForScreen("assume's notice", pickerWait, func(s string) bool { return strings.Contains(s, "assume: vault") })
	if state := p.shellState("bash"); !strings.HasPrefix(state, "0|AKIAFOREGROUND000001|vault|") {
		t.Fatalf("shell state = %q, want status 0 and the process's key exported", state)
	}

	// Ctrl-C at the command's prompt stops the command, not the shell; the
	// shell reads the terminal again.
	p.Type("assume vault")
	p.Keys("Enter")
	p.waitForScreen("the command's second prompt", pickerWait, func(s string) bool { return strings.Count(s, "unlock word:") == 2 })
	p.Keys("C-c")
	p.waitForScreen("assume's error", pickerWait, func(s string) bool { return strings.Contains(s, "its credential_process") })
	if state := p.shellState("bash"); !strings.HasPrefix(state, "1|AKIAFOREGROUND000001|") {
		t.Fatalf("shell state after Ctrl-C = %q, want status 1 and the earlier key kept", state)
	}
}
