package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/testkit"
)

// quickStart is what README.md's "Quick start" tells a new user to type, read from the README
// itself so that the text and this test cannot drift apart.
type quickStart struct {
	install  string            // the install command
	rcLine   map[string]string // shell: the line for its start-up file
	rcFile   map[string]string // shell: that file, as written in the README
	commands []string          // the "$ " lines of the example session
}

func readQuickStart(t *testing.T) quickStart {
	t.Helper()
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	start := strings.Index(text, "\n## Quick start\n")
	if start < 0 {
		t.Fatal(`README.md has no "## Quick start" section`)
	}
	section := text[start+1:]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	q := quickStart{rcLine: map[string]string{}, rcFile: map[string]string{}}
	if m := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(section); m != nil {
		q.install = strings.TrimSpace(m[1])
	}
	row := regexp.MustCompile("(?m)^\\s*\\| (bash|zsh|fish|PowerShell) \\| `(.*)` \\| `(.*)` \\|$")
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		q.rcLine[m[1]] = strings.ReplaceAll(m[2], `\|`, "|")
		q.rcFile[m[1]] = m[3]
	}
	if m := regexp.MustCompile("(?s)```console\n(.*?)```").FindStringSubmatch(section); m != nil {
		for _, line := range strings.Split(m[1], "\n") {
			if cmd, ok := strings.CutPrefix(strings.TrimSpace(line), "$ "); ok {
				q.commands = append(q.commands, cmd)
			}
		}
	}
	if q.install == "" || len(q.rcLine) != 4 || len(q.commands) != 3 {
		t.Fatalf("README's quick start changed shape (install %q, %d rc lines, commands %q): update this test", q.install, len(q.rcLine), q.commands)
	}
	return q
}

// The README's quick start, replayed as written on a real terminal from a fresh HOME: the
// install command, the start-up line of each shell, `assume <TAB>`, `assume PROFILE` with the
// MFA prompt, and `aws sts get-caller-identity` working with the exported credentials.
func TestReadmeQuickStart(t *testing.T) {
	q := readQuickStart(t)
	requireEmulator(t)
	goBin := testkit.RequireTool(t, "go")
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	// The completion line ("$ assume <TAB>") and the profile typed next.
	tabLine, ok := strings.CutSuffix(q.commands[0], "<TAB>")
	if !ok {
		t.Fatalf("the first quick-start command %q is not a completion", q.commands[0])
	}
	profile, ok := strings.CutPrefix(q.commands[1], "assume ")
	if !ok {
		t.Fatalf("the second quick-start command %q does not assume a profile", q.commands[1])
	}
	// The builds share the developer's Go caches; nothing is downloaded.
	goEnv := map[string]string{}
	for _, name := range []string{"GOCACHE", "GOMODCACHE"} {
		out, err := exec.Command(goBin, "env", name).Output()
		if err != nil {
			t.Fatal(err)
		}
		goEnv[name] = strings.TrimSpace(string(out))
	}

	for _, shell := range []string{"bash", "zsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			s := newSandbox(t)
			// Not t.TempDir: the go command leaves a telemetry process behind that may still
			// write under HOME while the test ends; the folder is removed once it is done.
			home, err := os.MkdirTemp("", "newcomer-")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { removeEventually(home) })
			// A fresh HOME whose PATH already has $(go env GOPATH)/bin, as the README asks; the
			// suite's own build of assume is not on it.
			env := []string{
				"HOME=" + home, "PATH=" + filepath.Join(home, "go", "bin") + ":" + filepath.Dir(goBin) + ":" + os.Getenv("PATH"),
				"LANG=C.UTF-8", "TERM=screen", "SHELL=" + shellPath(shell), "TMPDIR=" + os.TempDir(),
				"GOCACHE=" + goEnv["GOCACHE"], "GOMODCACHE=" + goEnv["GOMODCACHE"], "GOPROXY=off", "GOTOOLCHAIN=local", "GOFLAGS=",
				"AWS_ENDPOINT_URL=" + s.env["AWS_ENDPOINT_URL"], "AWS_EC2_METADATA_DISABLED=true",
			}
			env = append(env, pyenvVars()...)

			// 1. Install, in the clone.
			tm := startTerminal(t, env, testkit.InteractiveShell(t, shell, home, prompt[shell]+"\n"))
			tm.waitForText("ready>", 1, time.Minute)
			tm.TypeLine("cd " + root)
			tm.TypeLine(q.install)
			tm.waitFor("the installed assume to print its version", 5*time.Minute, func(h string) bool {
				return regexp.MustCompile(`(?m)^assume \S+\s*$`).MatchString(h)
			})
			for _, name := range []string{"assume", "assume-full"} {
				if !fileExists(filepath.Join(home, "go", "bin", name)) {
					t.Fatalf("the install command put no %s into $(go env GOPATH)/bin", name)
				}
			}

			// The user's AWS set-up in ~/.aws: an MFA user and a role (README's Configure).
			u := createMFAUser(t, "quick")
			role := createRole(t, "quick", u.ARN)
			if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o700); err != nil {
				t.Fatal(err)
			}
			testkit.WriteFile(t, filepath.Join(home, ".aws", "credentials"), fmt.Sprintf("[alice]\naws_access_key_id = %s\naws_secret_access_key = %s\n", u.AccessKeyID, u.SecretAccessKey))
			testkit.WriteFile(t, filepath.Join(home, ".aws", "config"), fmt.Sprintf("[profile alice]\nregion = %s\nmfa_serial = %s\n\n[profile %s]\nrole_arn = %s\nsource_profile = alice\nmfa_serial = %s\nregion = %s\n", region, u.MFASerial, profile, role.ARN, u.MFASerial, region))

			// 2. The line in the start-up file, then a new terminal that reads it.
			rc := strings.ReplaceAll(q.rcFile[shell], "~", home)
			if err := os.MkdirAll(filepath.Dir(rc), 0o700); err != nil {
				t.Fatal(err)
			}
			testkit.WriteFile(t, rc, prompt[shell]+"\n"+q.rcLine[shell]+"\n")
			path, _ := exec.LookPath(shellPath(shell))
			tm = startTerminal(t, env, []string{path, "-i"})
			tm.waitForText("ready>", 1, time.Minute)

			// 3. assume <TAB> offers both profiles (bash lists them at the second Tab).
			tm.Type(tabLine)
			tm.Keys("Tab")
			if shell == "bash" {
				tm.Keys("Tab")
			}
			tm.waitFor("the profiles offered by Tab", time.Minute, func(string) bool {
				sc := tm.Screen()
				return strings.Contains(sc, "alice") && strings.Contains(sc, profile)
			})
			tm.Keys("C-u")
			tm.TypeLine(q.commands[1])
			tm.waitForText("MFA code for "+profile, 1, time.Minute)
			tm.TypeLine(u.code(t))
			tm.waitForText("assume: "+profile+" (role via MFA session)", 1, time.Minute)
			tm.TypeLine(q.commands[2])
			h := tm.waitForText("assumed-role/"+role.Name+"/", 1, time.Minute)
			if strings.Contains(h, u.SecretAccessKey) {
				t.Fatal("the secret key reached the terminal")
			}
		})
	}
}

// removeEventually removes dir, retrying for a while when something still writes into it.
func removeEventually(dir string) {
	for i := 0; i < 100; i++ {
		if err := os.RemoveAll(dir); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}
