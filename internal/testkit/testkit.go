// Package testkit is what the module's tests share: whether they run in CI, the tools they
// need, the assume binary built once per test binary, processes detached from the terminal,
// real terminals driven through tmux, clean shells, TOTP codes, scripted prompters and the
// AWS files a test writes. It imports only the standard library and internal/iostreams, so
// any test in the module can use it.
package testkit

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// InCI reports whether the tests run in CI (CI=true or CI=1), where a missing tool fails the
// test instead of skipping it.
func InCI() bool {
	ci := os.Getenv("CI")
	return ci == "true" || ci == "1"
}

// Missing fails the test in CI, where everything must be installed, and skips it elsewhere;
// reason says what is missing and how to get it.
func Missing(t testing.TB, reason string) {
	t.Helper()
	if InCI() {
		t.Fatalf("CI requires it: %s", reason)
	}
	t.Skip(reason)
}

// RequireTool returns the path of a program the test needs; missing, it is Missing.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		Missing(t, fmt.Sprintf("%s is not installed (run scripts/install-deps.sh)", name))
	}
	return path
}

// WriteFile writes content to path with mode 0600: test files stand in for users' secrets.
func WriteFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// AWSFiles are an AWS config and credentials file a test wrote.
type AWSFiles struct {
	Config, Credentials string // paths
}

// WriteAWSFiles writes dir/config and dir/credentials.
func WriteAWSFiles(t testing.TB, dir, config, credentials string) AWSFiles {
	t.Helper()
	f := AWSFiles{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
	WriteFile(t, f.Config, config)
	WriteFile(t, f.Credentials, credentials)
	return f
}

// Env is the pair of variables that point the SDK and assume at the files.
func (f AWSFiles) Env() map[string]string {
	return map[string]string{"AWS_CONFIG_FILE": f.Config, "AWS_SHARED_CREDENTIALS_FILE": f.Credentials}
}

// RepoRoot is the folder holding go.mod, found from the package under test upwards.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("go.mod not found above %s", dir)
		}
		dir = parent
	}
}
