package e2e

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/testkit"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// Tests of `assume --setup`: from an IAM user with keys and no MFA device to a working profile, without a
// terminal (every answer a flag) and at a real terminal (tmux).

// runWithStdin runs assume in the sandbox like sandbox.run, with stdin fed from a string.
func (s *sandbox) runWithStdin(t *testing.T, env map[string]string, stdin string, args ...string) testkit.Result {
	t.Helper()
	cmd := exec.CommandContext(ctxFor(t, 3*time.Minute), requireAssume(t), args...)
	cmd.Stdin = strings.NewReader(stdin)
	return s.runCmd(t, cmd, env)
}

// iamCall is one recorded IAM request.
type iamCall struct {
	Action       string
	SigningKeyID string
	Params       url.Values
}

// iamCalls downloads the recording and returns its IAM requests in order (stsCalls covers STS).
func (r *recorder) iamCalls(t *testing.T) []iamCall {
	t.Helper()
	raw, err := r.call("GET", "download-recording")
	if err != nil {
		t.Fatalf("moto recorder download-recording: %v", err)
	}
	reqs, err := parseRecordedRequests(raw, "iam")
	if err != nil {
		t.Fatalf("parse moto recording: %v", err)
	}
	calls := make([]iamCall, 0, len(reqs))
	for _, r := range reqs {
		calls = append(calls, iamCall{Action: r.Params.Get("Action"), SigningKeyID: r.SigningKeyID, Params: r.Params})
	}
	return calls
}

// consecutiveCodes reports whether code1 and code2 are the seed's codes for two consecutive 30-s windows
// between from and to.
func consecutiveCodes(t *testing.T, seed, code1, code2 string, from, to time.Time) bool {
	t.Helper()
	for at := from.Add(-30 * time.Second); !at.After(to); at = at.Add(30 * time.Second) {
		c1, err1 := testkit.TOTP(seed, at)
		c2, err2 := testkit.TOTP(seed, at.Add(30*time.Second))
		if err1 != nil || err2 != nil {
			t.Fatalf("totp: %v %v", err1, err2)
		}
		if c1 == code1 && c2 == code2 {
			return true
		}
	}
	return false
}

// codeOf reports whether code is one of the seed's codes between from and to.
func codeOf(t *testing.T, seed, code string, from, to time.Time) bool {
	t.Helper()
	for at := from.Add(-30 * time.Second); !at.After(to.Add(30 * time.Second)); at = at.Add(30 * time.Second) {
		if c, _ := testkit.TOTP(seed, at); c == code {
			return true
		}
	}
	return false
}

// virtualDevice finds a virtual MFA device by serial through IAM (as an administrator would).
func virtualDevice(t *testing.T, serial string) (seed, user string, found bool) {
	t.Helper()
	out, err := iamClient(t).ListVirtualMFADevices(ctxFor(t, 30*time.Second), &iam.ListVirtualMFADevicesInput{})
	if err != nil {
		t.Fatalf("iam ListVirtualMFADevices: %v", err)
	}
	for _, d := range out.VirtualMFADevices {
		if aws.ToString(d.SerialNumber) == serial {
			if d.User != nil {
				user = aws.ToString(d.User.UserName)
			}
			return string(d.Base32StringSeed), user, true
		}
	}
	return "", "", false
}

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Errorf("stat %s: %v", path, err)
		return
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s has mode %o, want %o", path, got, want)
	}
}

func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var mfaSerialLine = regexp.MustCompile(`(?m)^mfa_serial = (\S+)$`)

// TestSetupWithoutTerminal: an IAM user with keys and no device; `assume --setup` with flags and the secret on
// stdin creates and enables a virtual device with codes that oathtool computes from the saved seed, writes the
// profile, and proves it with GetSessionToken. Then `assume PROFILE -m CODE` works in bash, and a second
// --setup finds the device instead of making another.
func TestSetupWithoutTerminal(t *testing.T) {
	testkit.RequireTool(t, "oathtool")
	u := createUser(t, "setup")
	sb := newSandbox(t)
	// The user's existing files keep every byte that --setup does not own.
	const config = "# team settings\n[profile other]\nregion = us-west-2 ; Oregon\n"
	const credentials = "[other]\naws_access_key_id = AKIAOTHER00000000000\naws_secret_access_key = other-secret\n"
	sb.writeFiles(t, config, credentials)
	seedFile := filepath.Join(sb.dir, "mfa-seed")
	profile := "e2e-new"

	rec := startRecording(t)
	start := time.Now()
	r := sb.runWithStdin(t, nil, u.SecretAccessKey+"\n",
		"--setup", profile, "--access-key-id", u.AccessKeyID, "--secret-stdin", "-r", region,
		"--seed-file", seedFile, "--mfa-process", `oathtool --totp -b "$(cat mfa-seed)"`)
	end := time.Now()
	// Read what reached AWS before this test's own IAM calls add to the recording.
	iamCalls, stsCalls := rec.iamCalls(t), rec.stsCalls(t)
	if r.ExitCode != 0 {
		t.Fatalf("assume --setup failed:\n%s", r)
	}
	if r.Stdout != "" {
		t.Errorf("--setup printed on stdout: %q", r.Stdout)
	}
	if want := "Run next:  assume " + profile + "\n"; !strings.HasSuffix(r.Stderr, want) {
		t.Errorf("stderr does not end with %q:\n%s", want, r.Stderr)
	}

	cfg, creds := readText(t, sb.configFile), readText(t, sb.credsFile)
	m := mfaSerialLine.FindStringSubmatch(cfg)
	if m == nil {
		t.Fatalf("no mfa_serial in the config file:\n%s", cfg)
	}
	serial := m[1]
	if want := config + "\n[profile " + profile + "]\nregion = " + region + "\nmfa_serial = " + serial + "\n"; cfg != want {
		t.Errorf("config file:\n%s\nwant:\n%s", cfg, want)
	}
	if want := credentials + "\n[" + profile + "]\naws_access_key_id = " + u.AccessKeyID + "\naws_secret_access_key = " + u.SecretAccessKey + "\n"; creds != want {
		t.Errorf("credentials file:\n%s\nwant:\n%s", creds, want)
	}
	for _, p := range []string{sb.configFile, sb.credsFile, seedFile} {
		checkMode(t, p, 0o600)
	}
	seed, owner, found := virtualDevice(t, serial)
	if !found || owner != u.Name {
		t.Fatalf("device %s: found %t, assigned to %q; want it enabled for %s", serial, found, owner, u.Name)
	}
	if got := strings.TrimSpace(readText(t, seedFile)); got != seed {
		t.Errorf("the seed file holds %q, IAM has %q", got, seed)
	}
	for _, secret := range []string{u.SecretAccessKey, seed} {
		if strings.Contains(r.Stderr, secret) {
			t.Errorf("stderr shows a secret (%.4s…):\n%s", secret, r.Stderr)
		}
	}

	// What reached AWS: two consecutive codes of the new seed to enable it, then a GetSessionToken signed by the
	// user's key with a third code.
	var enable *iamCall
	for i, c := range iamCalls {
		if c.SigningKeyID != u.AccessKeyID {
			t.Errorf("IAM %s was signed by %s, want the user's key", c.Action, c.SigningKeyID)
		}
		if c.Action == "EnableMFADevice" {
			enable = &iamCalls[i]
		}
	}
	if enable == nil {
		t.Fatalf("no EnableMFADevice call recorded: %+v", iamCalls)
	}
	code1, code2 := enable.Params.Get("AuthenticationCode1"), enable.Params.Get("AuthenticationCode2")
	if !consecutiveCodes(t, seed, code1, code2, start, end) {
		t.Errorf("EnableMFADevice got %s and %s, not two consecutive codes of the device", code1, code2)
	}
	if enable.Params.Get("UserName") != u.Name || enable.Params.Get("SerialNumber") != serial {
		t.Errorf("EnableMFADevice params %v", enable.Params)
	}
	gst := only(stsCalls, "GetSessionToken")
	if len(gst) != 1 {
		t.Fatalf("recorded %d GetSessionToken calls, want 1", len(gst))
	}
	proof := gst[0]
	if proof.SerialNumber != serial || proof.SigningKeyID != u.AccessKeyID || proof.DurationSeconds != "900" {
		t.Errorf("GetSessionToken %v, want the new device, the user's key and 900 s", proof)
	}
	if proof.TokenCode == code1 || proof.TokenCode == code2 || !codeOf(t, seed, proof.TokenCode, start, end) {
		t.Errorf("GetSessionToken code %s is not a fresh code of the device (enable used %s, %s)", proof.TokenCode, code1, code2)
	}

	// The profile works: assume PROFILE -m CODE, evaluated in bash, exports a session.
	u.MFASerial, u.MFASeed = serial, seed
	run := sb.shellWithProbe(t, "bash", evalLine("bash", profile+" -m "+u.code(t)), nil)
	checkExported(t, run.env, profile)
	if run.identity == nil {
		t.Fatalf("get-caller-identity failed: %s\n%s", run.idErr, run.Result)
	}

	// A second --setup finds the device: nothing created, nothing rewritten.
	r2 := sb.assume(t, nil, "--setup", profile, "-m", u.code(t))
	if r2.ExitCode != 0 || r2.Stdout != "" {
		t.Fatalf("second --setup:\n%s", r2)
	}
	if !strings.Contains(r2.Stderr, "already uses your MFA device "+serial) {
		t.Errorf("second --setup did not find the device:\n%s", r2.Stderr)
	}
	if readText(t, sb.configFile) != cfg || readText(t, sb.credsFile) != creds {
		t.Errorf("second --setup changed the files")
	}
	if n := countDevices(t, u.Name); n != 1 {
		t.Errorf("IAM user %s has %d MFA devices, want exactly the one", u.Name, n)
	}
}

// TestSetupFindsAdministratorsDevice: the user's device exists (an administrator made it) and the profile is new:
// --setup finds it through ListMFADevices, writes mfa_serial, and checks it with -m. The secret comes from
// ASSUME_SECRET_ACCESS_KEY.
func TestSetupFindsAdministratorsDevice(t *testing.T) {
	u := createMFAUser(t, "setup-found")
	sb := newSandbox(t)
	r := sb.assume(t, map[string]string{"ASSUME_SECRET_ACCESS_KEY": u.SecretAccessKey},
		"--setup", "e2e-found", "--access-key-id", u.AccessKeyID, "-r", region, "-m", u.code(t))
	if r.ExitCode != 0 || r.Stdout != "" {
		t.Fatalf("assume --setup:\n%s", r)
	}
	if !strings.Contains(r.Stderr, "found the MFA device "+u.MFASerial) {
		t.Errorf("stderr:\n%s", r.Stderr)
	}
	if m := mfaSerialLine.FindStringSubmatch(readText(t, sb.configFile)); m == nil || m[1] != u.MFASerial {
		t.Errorf("config file:\n%s", readText(t, sb.configFile))
	}
	if strings.Contains(r.Stderr, u.SecretAccessKey) {
		t.Errorf("stderr shows the secret")
	}
}

// TestSetupRefusesWithoutACodeSource: no terminal, no --mfa-process: no device is created, the keys stay written,
// and the message says what to pass.
func TestSetupRefusesWithoutACodeSource(t *testing.T) {
	u := createUser(t, "setup-nocodes")
	sb := newSandbox(t)
	r := sb.assume(t, map[string]string{"ASSUME_SECRET_ACCESS_KEY": u.SecretAccessKey},
		"--setup", "e2e-nocodes", "--access-key-id", u.AccessKeyID, "--seed-file", "seed")
	checkOneLineError(t, testkit.Result{Stdout: r.Stdout, Stderr: lastLine(r.Stderr), ExitCode: r.ExitCode}, 2, u.SecretAccessKey)
	if !strings.Contains(r.Stderr, "--mfa-process") {
		t.Errorf("stderr:\n%s", r.Stderr)
	}
	out, err := iamClient(t).ListVirtualMFADevices(ctxFor(t, 30*time.Second), &iam.ListVirtualMFADevicesInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range out.VirtualMFADevices {
		if strings.HasSuffix(aws.ToString(d.SerialNumber), "/"+u.Name) {
			t.Errorf("a device was created: %s", aws.ToString(d.SerialNumber))
		}
	}
}

// countDevices is the number of MFA devices enabled for an IAM user.
func countDevices(t *testing.T, user string) int {
	t.Helper()
	out, err := iamClient(t).ListMFADevices(ctxFor(t, 30*time.Second), &iam.ListMFADevicesInput{UserName: aws.String(user)})
	if err != nil {
		t.Fatalf("iam ListMFADevices: %v", err)
	}
	return len(out.MFADevices)
}

func lastLine(s string) string {
	l := lines(s)
	if len(l) == 0 {
		return ""
	}
	return l[len(l)-1] + "\n"
}

var groupedSeed = regexp.MustCompile(`(?m)^\s+((?:[A-Z2-7]{4} )+[A-Z2-7]{1,4})\s*$`)

// TestSetupInteractiveInTmux drives the guided set-up in a real terminal: the prompts appear, the answers are
// typed, the secret key is not echoed, the device's secret is shown on the terminal, and the files are written.
func TestSetupInteractiveInTmux(t *testing.T) {
	testkit.RequireTool(t, "tmux")
	u := createUser(t, "setup-tty")
	sb := newSandbox(t)
	profile := "e2e-tty"
	stdoutFile := filepath.Join(sb.dir, "stdout")
	// stdout goes to a file to check it stays empty; the exit code is printed after assume ends.
	s := newTerminal(t, testkit.TmuxOptions{
		Dir: sb.dir, Name: "first", Width: 160, Height: 50, Poll: 100 * time.Millisecond,
		Env:  sb.environ(map[string]string{"TERM": "xterm-256color"}),
		Argv: []string{"sh", "-c", fmt.Sprintf(`assume --setup %s >%s; echo "@@exit=$?"; exec sleep 600`, profile, stdoutFile)},
	})
	// waitFor waits until the terminal has shown want, and returns all it has shown.
	waitFor := func(want string) string {
		t.Helper()
		return s.waitForText(want, 1, 45*time.Second)
	}

	waitFor("AWS access key ID")
	s.TypeLine(u.AccessKeyID)
	waitFor("Secret access key for " + u.AccessKeyID)
	s.TypeLine(u.SecretAccessKey)
	waitFor("Default region for this profile")
	s.TypeLine(region)
	// The keyring is offered, with the reason; this profile keeps its keys in the file.
	waitFor("Keep the access key in the encrypted file keyring instead of the credentials file?")
	s.TypeLine("n")
	screen := waitFor("Create a virtual MFA device named " + u.Name)
	if strings.Contains(screen, u.SecretAccessKey) {
		t.Errorf("the secret access key was echoed:\n%s", screen)
	}
	s.TypeLine("y")
	screen = waitFor("Code shown by the app now")
	m := groupedSeed.FindStringSubmatch(screen)
	if m == nil {
		t.Fatalf("no secret key for manual entry on the terminal:\n%s", screen)
	}
	seed := strings.ReplaceAll(m[1], " ", "")
	now := time.Now()
	codes := make([]string, 3)
	for i := range codes {
		c, err := testkit.TOTP(seed, now.Add(time.Duration(i)*30*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		codes[i] = c
	}
	s.TypeLine(codes[0])
	waitFor("next code")
	s.TypeLine(codes[1])
	waitFor("A new code")
	s.TypeLine(codes[2])
	screen = waitFor("@@exit=")

	if !strings.Contains(screen, "@@exit=0") {
		t.Fatalf("assume --setup failed:\n%s", screen)
	}
	if !strings.Contains(screen, "Run next:  assume "+profile) {
		t.Errorf("no next step shown:\n%s", screen)
	}
	// moto's QR code PNG is not a real image: the terminal says so and offers the otpauth link.
	if !strings.Contains(screen, "otpauth://totp/") || !strings.Contains(screen, "secret="+seed) {
		t.Errorf("no otpauth link for the device:\n%s", screen)
	}
	if out := readText(t, stdoutFile); out != "" {
		t.Errorf("stdout: %q", out)
	}
	serial := fmt.Sprintf("arn:aws:iam::%s:mfa/%s", strings.Split(u.ARN, ":")[4], u.Name)
	wantConfig := "[profile " + profile + "]\nregion = " + region + "\nmfa_serial = " + serial + "\n"
	if got := readText(t, sb.configFile); got != wantConfig {
		t.Errorf("config file:\n%s\nwant:\n%s", got, wantConfig)
	}
	wantCreds := "[" + profile + "]\naws_access_key_id = " + u.AccessKeyID + "\naws_secret_access_key = " + u.SecretAccessKey + "\n"
	if got := readText(t, sb.credsFile); got != wantCreds {
		t.Errorf("credentials file:\n%s\nwant:\n%s", got, wantCreds)
	}
	if iamSeed, owner, found := virtualDevice(t, serial); !found || owner != u.Name || iamSeed != seed {
		t.Errorf("device %s: found %t, user %q, seed matches %t", serial, found, owner, iamSeed == seed)
	}

	// A second profile for the same user: the set-up finds the device and offers it (or a new one).
	second := profile + "-again"
	s.NewSession("second", 160, 50, "sh", "-c", fmt.Sprintf(`assume --setup %s >>%s; echo "@@exit=$?"; exec sleep 600`, second, stdoutFile))
	waitFor("AWS access key ID")
	s.TypeLine(u.AccessKeyID)
	waitFor("Secret access key for " + u.AccessKeyID)
	s.TypeLine(u.SecretAccessKey)
	waitFor("Default region for this profile")
	s.TypeLine(region)
	// This one accepts: the keys go to the encrypted file, whose passphrase is asked twice on the terminal.
	waitFor("Keep the access key in the encrypted file keyring")
	s.TypeLine("")
	waitFor("Passphrase of the encrypted keyring file")
	s.TypeLine("tmux passphrase")
	waitFor("The same passphrase again")
	s.TypeLine("tmux passphrase")
	screen = waitFor("Which one should profile " + second + " use?")
	if !strings.Contains(screen, serial) || !strings.Contains(screen, "Create a new virtual MFA device") {
		t.Errorf("the device choice does not offer %s and a new device:\n%s", serial, screen)
	}
	s.TypeLine("") // Enter: the first choice, the device found
	waitFor("A new code")
	code, err := testkit.TOTP(seed, time.Now().Add(90*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	s.TypeLine(code)
	screen = waitFor("@@exit=")
	if !strings.Contains(screen, "@@exit=0") || !strings.Contains(screen, "Run next:  assume "+second) {
		t.Errorf("second set-up:\n%s", screen)
	}
	wantConfig += "\n[profile " + second + "]\nkeyring = file\nkeyring_access_key_id = " + u.AccessKeyID + "\nregion = " + region + "\nmfa_serial = " + serial + "\n"
	if creds := readText(t, sb.credsFile); strings.Contains(creds, "["+second+"]") {
		t.Errorf("the second profile's keys went to the credentials file:\n%s", creds)
	}
	if got := readText(t, sb.configFile); got != wantConfig {
		t.Errorf("config file after the second set-up:\n%s\nwant:\n%s", got, wantConfig)
	}
	if n := countDevices(t, u.Name); n != 1 {
		t.Errorf("IAM user %s has %d MFA devices, want the one", u.Name, n)
	}
	if out := readText(t, stdoutFile); out != "" {
		t.Errorf("stdout: %q", out)
	}
}
