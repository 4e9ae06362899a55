package cli_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRegionIsChecked: a region that is no region name is refused, from whichever source it
// comes, with one sentence that names the source and no raw control character.
func TestRegionIsChecked(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		name     string
		region   string // in the profile
		args     []string
		vars     map[string]string
		from     string
		accepted string // "" when refused
	}{
		{name: "flag", args: []string{"-r", "eu west 1"}, from: "from -r"},
		{name: "flag quote", args: []string{"-r", "x';touch F;#"}, from: "from -r"},
		{name: "profile", region: "x';touch F;#", from: `from profile "static"`},
		{name: "AWS_REGION", vars: map[string]string{"AWS_REGION": "\x1b[2J"}, from: "from AWS_REGION"},
		{name: "AWS_DEFAULT_REGION", vars: map[string]string{"AWS_DEFAULT_REGION": "$(id)"}, from: "from AWS_DEFAULT_REGION"},
		{name: "upper case", args: []string{"-r", "EU-WEST-1"}, from: "from -r"},
		{name: "double hyphen", args: []string{"-r", "eu--west-1"}, from: "from -r"},
		// The first region given wins; the ones after it are not looked at.
		{name: "flag over a bad profile", region: "bad region", args: []string{"-r", "us-gov-west-1"}, accepted: "us-gov-west-1"},
		{name: "profile", region: "cn-north-1", accepted: "cn-north-1"},
		{name: "environment", vars: map[string]string{"AWS_REGION": "ap-southeast-7"}, accepted: "ap-southeast-7"},
		{name: "default environment", vars: map[string]string{"AWS_DEFAULT_REGION": "aws-global"}, accepted: "aws-global"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			config := "[profile static]\n"
			if tc.region != "" {
				config += "region = " + tc.region + "\n"
			}
			write(t, filepath.Join(h.dir, "config"), config)
			code := h.runAs("sh", tc.vars, append([]string{"static", "--format", "sh"}, tc.args...)...)
			if tc.accepted != "" {
				if code != 0 || !strings.Contains(h.stdout(), "export AWS_REGION='"+tc.accepted+"'\n") {
					t.Fatalf("exit %d, stdout %q, stderr %q", code, h.stdout(), h.stderr())
				}
				return
			}
			checkOutcome(t, h, code, 1, "is not a region name")
			if !strings.Contains(h.stderr(), tc.from) {
				t.Errorf("stderr %q does not say the region came %s", h.stderr(), tc.from)
			}
			checkPrintable(t, "stderr", h.stderr())
		})
	}
}

// hostileName holds an escape sequence that clears the screen.
const hostileName = "evil\x1b[2Jname"

// checkPrintable fails for any control character in out but the newlines that end its lines.
func checkPrintable(t *testing.T, what, out string) {
	t.Helper()
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		for _, r := range line {
			if r < 0x20 || r == 0x7f || 0x80 <= r && r < 0xa0 {
				t.Errorf("%s line %d holds %U: %q", what, i+1, r, line)
				break
			}
		}
	}
}

// TestHostileNameIsShownEscaped follows a profile name holding ESC[2J through every place that
// shows it to a person: each printed line carries it as \x1b, never as the raw byte.
func TestHostileNameIsShownEscaped(t *testing.T) {
	h := newHarness(t)
	write(t, filepath.Join(h.dir, "config"), "[profile "+hostileName+"]\nregion = eu-west-1\n"+
		"[profile role-"+hostileName+"]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = gone-"+hostileName+"\n")
	write(t, filepath.Join(h.dir, "credentials"), "["+hostileName+"]\naws_access_key_id = AKIAX\naws_secret_access_key = s\n")
	const shown = `evil\x1b[2Jname`
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string // what stderr must show
		stdout string // what stdout must show, when it is for a person
	}{
		{name: "success notice", args: []string{hostileName, "--format", "sh"}, stderr: "assume: " + shown + " (static keys)"},
		{name: "did you mean", args: []string{"evil\x1b[2Jnam", "--format", "sh"}, code: 1, stderr: "did you mean " + shown + "?"},
		{name: "error naming the profile", args: []string{"role-" + hostileName, "--format", "sh"}, code: 1, stderr: `gone-` + shown},
		{name: "list", args: []string{"-l"}, stdout: "\nrole-" + shown + "  invalid  gone-" + shown},
		{name: "write-profile", args: []string{hostileName, "--format", "sh", "--write-profile", "w" + hostileName}, code: 2,
			stderr: `"w` + shown + `" for --write-profile holds control characters`},
		{name: "setup", args: []string{"--setup", "s" + hostileName, "--access-key-id", "AKIAX"}, code: 2,
			stderr: `"s` + shown + `" for --setup holds control characters`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code := h.run(tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tc.code, h.stderr())
			}
			if !strings.Contains(h.stderr(), tc.stderr) {
				t.Errorf("stderr %q does not show %q", h.stderr(), tc.stderr)
			}
			checkPrintable(t, "stderr", h.stderr())
			if tc.stdout != "" {
				if !strings.Contains(h.stdout(), tc.stdout) {
					t.Errorf("stdout %q does not show %q", h.stdout(), tc.stdout)
				}
				checkPrintable(t, "stdout", h.stdout())
			}
			if code != 0 && h.stdout() != "" {
				t.Errorf("stdout on error: %q", h.stdout())
			}
		})
	}
}
