package cli_test

import (
	"strings"
	"testing"
)

// These tests cover the command line of --setup: which flags go with it and where the secret comes from. The
// flow itself is tested in internal/setup, and end to end against moto in e2e/setup_test.go.

func TestSetupOnlyFlagsNeedSetup(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, args := range [][]string{
		{"alice", "--seed-file", "seed"},
		{"alice", "--access-key-id", "AKIAIOSFODNN7EXAMPLE"},
		{"alice", "--secret-stdin"},
		{"alice", "--mfa-serial", serial},
		{"alice", "--mfa-device-name", "phone"},
		{"alice", "--qr-file", "qr.png"},
	} {
		code := h.run(args...)
		if code != 2 || h.stdout() != "" || !strings.Contains(h.stderr(), args[1]+" goes with --setup") {
			t.Errorf("assume %s: exit %d, stdout %q, stderr %q; want exit 2 and a pointer to --setup", strings.Join(args, " "), code, h.stdout(), h.stderr())
		}
	}
}

func TestSetupRejectsExportFlags(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, flag := range [][]string{{"--format", "bash"}, {"--duration", "1h"}, {"--role-arn", roleARN}, {"--write-profile", "x"}, {"--refresh"}, {"--", "true"}} {
		args := append([]string{"--setup", "alice"}, flag...)
		code := h.run(args...)
		if code != 2 || !strings.Contains(h.stderr(), "cannot be combined with "+flag[0]) {
			t.Errorf("assume %s: exit %d, stderr %q", strings.Join(args, " "), code, h.stderr())
		}
	}
	if code := h.run("--setup", "alice", "-m", "12345"); code != 2 || !strings.Contains(h.stderr(), "6 digits") {
		t.Errorf("a 5-digit -m: exit %d, stderr %q", code, h.stderr())
	}
}

// TestSetupSecretSources: the secret comes from stdin or ASSUME_SECRET_ACCESS_KEY, reaches STS as the signing
// key's secret, and never shows. The fake STS does not know the key, so the flow stops at the key check.
func TestSetupSecretSources(t *testing.T) {
	t.Parallel()
	const newKey, newSecret = "AKIANEWUSERKEY000001", "nEwSeCrEt/from+stdin"
	for _, tc := range []struct {
		name  string
		stdin string
		env   string
		args  []string
		exit  int
		want  string
	}{
		{name: "stdin", stdin: newSecret + "\n", args: []string{"--secret-stdin"}, exit: 1, want: "AWS does not know the access key " + newKey},
		{name: "stdin without newline", stdin: newSecret, args: []string{"--secret-stdin"}, exit: 1, want: "AWS does not know the access key " + newKey},
		{name: "variable", env: newSecret, exit: 1, want: "AWS does not know the access key " + newKey},
		{name: "empty stdin", args: []string{"--secret-stdin"}, exit: 2, want: "found no secret access key on stdin"},
		{name: "neither", exit: 2, want: "--access-key-id needs its secret"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.env["ASSUME_SECRET_ACCESS_KEY"] = tc.env
			h.streams.InBuf.WriteString(tc.stdin)
			args := append([]string{"--setup", "newuser", "--access-key-id", newKey, "-r", "eu-west-1"}, tc.args...)
			code := h.run(args...)
			if code != tc.exit || h.stdout() != "" || !strings.Contains(h.stderr(), tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, h.stdout(), h.stderr(), tc.exit, tc.want)
			}
			if strings.Contains(h.stderr(), newSecret) {
				t.Errorf("stderr shows the secret: %q", h.stderr())
			}
			calls := h.sts.Calls()
			if tc.exit == 1 && (len(calls) != 1 || calls[0].AccessKeyID != newKey) {
				t.Errorf("STS calls %+v, want one signed by %s", calls, newKey)
			}
			if tc.exit == 2 && len(calls) != 0 {
				t.Errorf("a usage error still called STS: %+v", calls)
			}
		})
	}
}
