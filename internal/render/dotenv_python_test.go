package render

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestDotenvWithPythonDotenv cross-checks the dotenv output against a real
// reader, python-dotenv, where it agrees with our convention: values without
// $ (python-dotenv keeps \$ as written), in valid UTF-8 (it reads text), and
// not ending in a backslash: python-dotenv's pattern for "…" takes the \"
// of an escaped final backslash for an escaped quote and runs on to the next
// " in the file (godotenv and the reference decoder read it right).
// python-dotenv is optional, so this test skips without it, even in CI.
func TestDotenvWithPythonDotenv(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	if exec.Command(python, "-c", "import dotenv").Run() != nil {
		t.Skip("python-dotenv is not installed")
	}
	var values []string
	for _, v := range append(hostileValues(), corpusValues()...) {
		if utf8.ValidString(v) && !strings.Contains(v, "$") && !strings.HasSuffix(v, `\`) {
			values = append(values, v)
		}
	}
	env := Env{}
	for i, v := range values {
		env.Set = append(env.Set, Var{varName(i), v})
	}
	var b bytes.Buffer
	if err := WriteEnv(&b, Dotenv, env); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "creds.env")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "-c",
		"import json, sys\nfrom dotenv import dotenv_values\nprint(json.dumps(dotenv_values(sys.argv[1], interpolate=False)))", path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("python-dotenv: %v; stderr: %.2000s", err, stderr.String())
	}
	var got map[string]*string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(values) {
		t.Errorf("python-dotenv read %d variables, want %d", len(got), len(values))
	}
	for i, want := range values {
		v := got[varName(i)]
		if v == nil {
			t.Errorf("%s missing (value %s)", varName(i), describe(want))
		} else if *v != want {
			t.Errorf("%s: %s", varName(i), diffAt(want, *v))
		}
	}
	t.Logf("python-dotenv read back %d values", len(values))
}
