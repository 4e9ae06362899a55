package console

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// script writes an executable shell script into dir.
func script(t *testing.T, dir, name, body string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the test browsers are shell scripts")
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body), 0o700); err != nil {
		t.Fatal(err)
	}
	return path
}

func envOf(kv ...string) func(string) string {
	return func(k string) string {
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i] == k {
				return kv[i+1]
			}
		}
		return ""
	}
}

func TestBrowserVariable(t *testing.T) {
	dir := t.TempDir()
	got := filepath.Join(dir, "got")
	ok := script(t, dir, "ok-browser", `printf '%s\n' "$@" > "`+got+`"; echo on-stdout`)
	bad := script(t, dir, "bad-browser", "exit 3\n")
	out, err := os.Create(filepath.Join(dir, "output"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	url := "https://signin.aws.amazon.com/federation?Action=login&SigninToken=secret%2Ftoken"

	// The first command fails, the second gets the URL in place of %s.
	b := SystemBrowser{Getenv: envOf("BROWSER", bad+":"+ok+" --new-window 'url=%s'"), Output: out}
	if err := b.Open(context.Background(), url); err != nil {
		t.Fatal(err)
	}
	args, _ := os.ReadFile(got)
	if want := "--new-window\nurl=" + url + "\n"; string(args) != want {
		t.Errorf("the browser got %q, want %q", args, want)
	}
	printed, _ := os.ReadFile(out.Name())
	if string(printed) != "on-stdout\n" {
		t.Errorf("the browser's output went elsewhere: %q", printed)
	}

	// Every command fails: one sentence without the URL.
	b.Getenv = envOf("BROWSER", bad+":"+filepath.Join(dir, "missing"))
	err = b.Open(context.Background(), url)
	if err == nil || !strings.Contains(err.Error(), "status 3") || !strings.Contains(err.Error(), "not installed") {
		t.Errorf("error %v, want both failures named", err)
	} else if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "SigninToken") {
		t.Errorf("error %q shows the URL", err)
	}
}

func TestBrowserLeftRunning(t *testing.T) {
	dir := t.TempDir()
	slow := script(t, dir, "slow-browser", "exec sleep 30\n")
	// Its output goes to a file: a pipe would hold the test until it ends.
	out, err := os.Create(filepath.Join(dir, "output"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	b := SystemBrowser{Getenv: envOf("BROWSER", slow), Output: out, Wait: 200 * time.Millisecond}
	if err := b.Open(context.Background(), "https://example.com/"); err != nil {
		t.Errorf("a browser still running after the wait: %v, want success", err)
	}
}

func TestPlatformOpenerMissing(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the opener list is Linux's")
	}
	t.Setenv("PATH", t.TempDir())
	err := SystemBrowser{Getenv: envOf()}.Open(context.Background(), "https://example.com/?SigninToken=x")
	if err == nil || !strings.Contains(err.Error(), "xdg-open") || !strings.Contains(err.Error(), "--console-url") {
		t.Errorf("error %v, want one naming the openers and --console-url", err)
	}
}
