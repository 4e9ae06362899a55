package setup

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/prompt"
	"github.com/assume-cli/assume/internal/session"
	"github.com/assume-cli/assume/internal/testkit"
)

// fixture is one set-up run against the fake AWS, with real files in a temporary folder.
type fixture struct {
	t        *testing.T
	clock    *fakeClock
	aws      *fakeAWS
	dir      string
	paths    awsfile.Paths
	log      bytes.Buffer
	screen   *bytes.Buffer // nil: no terminal
	prompter *scriptedPrompter
	opts     Options
	// processCalls counts runs of the mfa_process command.
	processCalls int
	// processSeed, when set, is the seed the command computes codes from (default: the --seed-file's content).
	processSeed string
}

func newFixture(t *testing.T) *fixture {
	clock := newClock()
	dir := t.TempDir()
	f := &fixture{
		t: t, clock: clock, aws: newFakeAWS(t, clock), dir: dir,
		paths: awsfile.Paths{Config: filepath.Join(dir, "aws", "config"), Credentials: filepath.Join(dir, "aws", "credentials")},
	}
	f.opts.Profile = "dev"
	return f
}

// interactive gives the run a terminal with these answers.
func (f *fixture) interactive(answers ...answer) {
	f.screen = &bytes.Buffer{}
	f.prompter = &scriptedPrompter{testkit.Prompter{T: f.t, Answers: script(answers)}}
}

// withProcess makes codes come from an mfa_process command that reads the seed file, as
// `oathtool --totp -b "$(cat F)"` does.
func (f *fixture) withProcess() {
	f.opts.SeedFile = filepath.Join(f.dir, "seed")
	f.opts.MFAProcess = "oathtool --totp -b \"$(cat seed)\""
}

func (f *fixture) env() Env {
	env := Env{
		Clients: f.aws.clients(),
		Store:   FileStore{Paths: f.paths},
		Log:     &f.log,
		Now:     f.clock.Now,
		Sleep:   f.clock.Sleep,
		RunProcess: func(_ context.Context, profile, command string) (string, error) {
			f.processCalls++
			if command != f.opts.MFAProcess && f.opts.MFAProcess != "" {
				f.t.Errorf("ran %q, want --mfa-process %q", command, f.opts.MFAProcess)
			}
			seed := f.processSeed
			if seed == "" {
				b, err := os.ReadFile(f.opts.SeedFile)
				if err != nil {
					return "", err
				}
				seed = strings.TrimSpace(string(b))
			}
			return totpAt(f.t, seed, f.clock.Now()) + "\n", nil
		},
	}
	if f.prompter != nil {
		env.Prompter = f.prompter
		env.Screen = f.screen
	}
	return env
}

func (f *fixture) run() (*Result, error) {
	f.t.Helper()
	return f.runContext(context.Background())
}

func (f *fixture) runContext(ctx context.Context) (*Result, error) {
	f.t.Helper()
	res, err := Run(ctx, f.opts, f.env())
	if f.prompter != nil && err == nil {
		f.prompter.done()
	}
	return res, err
}

func (f *fixture) file(path string) string {
	f.t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		f.t.Fatal(err)
	}
	return string(b)
}

func (f *fixture) writeFiles(config, credentials string) {
	f.t.Helper()
	if err := os.MkdirAll(filepath.Dir(f.paths.Config), 0o700); err != nil {
		f.t.Fatal(err)
	}
	for path, text := range map[string]string{f.paths.Config: config, f.paths.Credentials: credentials} {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			f.t.Fatal(err)
		}
	}
}

// profile reads the profile back the way `assume PROFILE` will.
func (f *fixture) profile() map[string]string {
	f.t.Helper()
	files, err := awsfile.Load(f.paths)
	if err != nil {
		f.t.Fatal(err)
	}
	p, _ := files.Profile(f.opts.Profile)
	return p.Values
}

// checkNoSecrets fails when a secret shows in the log (stderr).
func (f *fixture) checkNoSecrets(secrets ...string) {
	f.t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(f.log.String(), s) {
			f.t.Errorf("the log shows a secret (%.4s…):\n%s", s, f.log.String())
		}
	}
}

func (f *fixture) onlyDevice() *fakeDevice {
	f.t.Helper()
	if len(f.aws.devices) != 1 {
		f.t.Fatalf("%d devices exist, want 1", len(f.aws.devices))
	}
	for _, d := range f.aws.devices {
		return d
	}
	return nil
}

func fileMode(t *testing.T, path string) os.FileMode {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Mode().Perm()
}

// TestCreateWithoutTerminal is the administrator's (and the end-to-end test's) path: every answer is a flag, and
// the codes come from a command that reads the saved seed.
func TestCreateWithoutTerminal(t *testing.T) {
	f := newFixture(t)
	keys := f.aws.addUser("alice")
	f.opts.AccessKeyID, f.opts.SecretAccessKey, f.opts.Region = keys.AccessKeyID, keys.SecretAccessKey, "eu-west-1"
	f.withProcess()

	res, err := f.run()
	if err != nil {
		t.Fatalf("set-up failed: %v\nlog:\n%s", err, f.log.String())
	}
	d := f.onlyDevice()
	if !d.enabled || d.user != "alice" {
		t.Errorf("device %+v is not enabled for alice", d)
	}
	if d.serial != f.aws.serial("alice") {
		t.Errorf("device serial %s, want one named after the user", d.serial)
	}
	want := Result{Profile: "dev", User: "alice", Account: f.aws.account, MFASerial: d.serial, Created: true, Checked: true}
	if *res != want {
		t.Errorf("result %+v, want %+v", *res, want)
	}
	p := f.profile()
	if p["aws_access_key_id"] != keys.AccessKeyID || p["aws_secret_access_key"] != keys.SecretAccessKey ||
		p["region"] != "eu-west-1" || p["mfa_serial"] != d.serial {
		t.Errorf("profile written as %v", p)
	}
	if got := f.file(f.paths.Config); got != "[profile dev]\nregion = eu-west-1\nmfa_serial = "+d.serial+"\n" {
		t.Errorf("config file:\n%s", got)
	}
	if got := f.file(f.paths.Credentials); strings.Contains(got, "mfa_serial") || !strings.HasPrefix(got, "[dev]\n") {
		t.Errorf("credentials file:\n%s", got)
	}
	for _, path := range []string{f.paths.Config, f.paths.Credentials, f.opts.SeedFile} {
		if m := fileMode(t, path); m != 0o600 {
			t.Errorf("%s has mode %o, want 0600", path, m)
		}
	}
	if got := strings.TrimSpace(f.file(f.opts.SeedFile)); got != d.seed {
		t.Errorf("seed file holds %q, want the device's seed", got)
	}
	// Two codes for enabling from consecutive windows, then a fresh one for the check: the command ran three
	// times, and the run waited for two window changes (about a minute), no more.
	if f.processCalls != 3 {
		t.Errorf("mfa_process ran %d times, want 3", f.processCalls)
	}
	if f.clock.slept < 30*time.Second || f.clock.slept > 62*time.Second {
		t.Errorf("waited %s for new codes, want between 30 s and 62 s", f.clock.slept)
	}
	if n := f.aws.called("GetSessionToken"); n != 1 {
		t.Errorf("GetSessionToken called %d times, want 1", n)
	}
	log := f.log.String()
	if !strings.HasSuffix(log, "Run next:  assume dev\n") {
		t.Errorf("the log does not end with the command to run next:\n%s", log)
	}
	f.checkNoSecrets(keys.SecretAccessKey, d.seed)
}

// TestEnableAnswerLostAndResent: EnableMFADevice succeeded, its answer was lost, and the SDK sent the call
// again, which AWS refuses because the device is now enabled. The device is this run's and is enabled: the
// set-up goes on instead of deleting it.
func TestEnableAnswerLostAndResent(t *testing.T) {
	f := newFixture(t)
	keys := f.aws.addUser("ari")
	f.opts.AccessKeyID, f.opts.SecretAccessKey = keys.AccessKeyID, keys.SecretAccessKey
	f.withProcess()
	f.aws.resent["EnableMFADevice"] = true
	res, err := f.run()
	if err != nil {
		t.Fatalf("set-up failed: %v\nlog:\n%s", err, f.log.String())
	}
	d := f.onlyDevice()
	if !d.enabled || d.user != "ari" || res.MFASerial != d.serial || f.profile()["mfa_serial"] != d.serial {
		t.Errorf("device %+v, result %+v, profile %v", d, *res, f.profile())
	}
	if n := f.aws.called("EnableMFADevice"); n != 1 {
		t.Errorf("EnableMFADevice called %d times, want 1", n)
	}
}

// TestInteractiveCreate is the person at the terminal: keys typed (the secret hidden), the secret shown on the
// terminal only, codes read off the "app".
func TestInteractiveCreate(t *testing.T) {
	f := newFixture(t)
	keys := f.aws.addUser("bob")
	f.aws.qrPNG = nil // no QR code: the secret and the otpauth URI are shown instead
	var seed string
	appCode := func(wait time.Duration) func(string) (string, error) {
		return func(string) (string, error) {
			if seed == "" {
				m := regexp.MustCompile(`(?m)^\s+((?:[A-Z2-7]{4} )+[A-Z2-7]{1,4})\s*$`).FindStringSubmatch(f.screen.String())
				if m == nil {
					t.Fatalf("no secret on the terminal:\n%s", f.screen.String())
				}
				seed = strings.ReplaceAll(m[1], " ", "")
			}
			f.clock.Advance(wait) // the person waits for the app to show the next code
			return totpAt(t, seed, f.clock.Now()), nil
		}
	}
	f.interactive(
		answer{"input", "access key ID", says(keys.AccessKeyID)},
		answer{"secret", "Secret access key for " + keys.AccessKeyID, says(keys.SecretAccessKey)},
		answer{"input", "region", says("ap-southeast-2")},
		answer{"confirm", "has no MFA device. Create a virtual MFA device named bob", says("y")},
		answer{"input", "Code shown by the app now", appCode(0)},
		answer{"input", "next code", appCode(totpStep)},
		answer{"input", "A new code", appCode(totpStep)},
	)
	f.opts.Profile = "default"
	res, err := f.run()
	if err != nil {
		t.Fatalf("set-up failed: %v\nlog:\n%s", err, f.log.String())
	}
	if !res.Created || !res.Checked {
		t.Errorf("result %+v", res)
	}
	d := f.onlyDevice()
	if seed != d.seed {
		t.Errorf("the terminal showed the secret %q, want the device's %q", seed, d.seed)
	}
	screen := f.screen.String()
	for _, want := range []string{"cannot be shown", "otpauth://totp/Amazon%20Web%20Services:bob@" + f.aws.account + "?secret=" + d.seed + "&issuer=Amazon%20Web%20Services"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the terminal lacks %q:\n%s", want, screen)
		}
	}
	if got := f.file(f.paths.Config); got != "[default]\nregion = ap-southeast-2\nmfa_serial = "+d.serial+"\n" {
		t.Errorf("config file:\n%s", got)
	}
	f.checkNoSecrets(keys.SecretAccessKey, d.seed)
	if f.processCalls != 0 {
		t.Errorf("ran a command %d times without one configured", f.processCalls)
	}
}

// TestInteractiveShowsQRCode: a readable PNG is drawn on the terminal, and --qr-file saves it.
func TestInteractiveShowsQRCode(t *testing.T) {
	f := newFixture(t)
	keys := f.aws.addUser("carol")
	modules := sampleModules(29, 7)
	f.aws.qrPNG = encodePNG(t, modules, 6, 4)
	f.writeFiles("[profile dev]\nregion = eu-north-1\n", "[dev]\naws_access_key_id = "+keys.AccessKeyID+"\naws_secret_access_key = "+keys.SecretAccessKey+"\n")
	f.opts.QRFile = filepath.Join(f.dir, "qr", "code.png")
	var seed string
	code := func(wait time.Duration) func(string) (string, error) {
		return func(string) (string, error) {
			seed = f.onlyDevice().seed // scanned from the QR code
			f.clock.Advance(wait)
			return totpAt(t, seed, f.clock.Now()), nil
		}
	}
	f.interactive(
		answer{"confirm", "Create a virtual MFA device named carol", says("y")},
		answer{"input", "Code shown by the app now", code(0)},
		answer{"input", "next code", code(totpStep)},
		answer{"input", "A new code", code(totpStep)},
	)
	if _, err := f.run(); err != nil {
		t.Fatalf("set-up failed: %v\nlog:\n%s", err, f.log.String())
	}
	drawn := parseDrawing(t, f.screen.String())
	if !equalModules(drawn, modules) {
		t.Errorf("the QR code drawn on the terminal differs from the one in the PNG:\n%s", f.screen.String())
	}
	if got := f.file(f.opts.QRFile); got != string(f.aws.qrPNG) {
		t.Errorf("--qr-file holds %d bytes, want the PNG's %d", len(got), len(f.aws.qrPNG))
	}
	if m := fileMode(t, f.opts.QRFile); m != 0o600 {
		t.Errorf("QR file mode %o, want 0600", m)
	}
	if !strings.Contains(f.screen.String(), groupSeed(seed)) {
		t.Errorf("the terminal lacks the secret for manual entry")
	}
	// Keys and region were there already: only mfa_serial is added, every other byte kept.
	if got, want := f.file(f.paths.Config), "[profile dev]\nregion = eu-north-1\nmfa_serial = "+f.aws.serial("carol")+"\n"; got != want {
		t.Errorf("config file:\n%s\nwant:\n%s", got, want)
	}
	if f.aws.regions[0] != "eu-north-1" {
		t.Errorf("clients made for region %q, want the profile's", f.aws.regions[0])
	}
}

// TestExistingDeviceIsFound: a second set-up (or a user whose administrator made the device) writes the device
// that is there, creates nothing, and checks it with the code given by -m.
func TestExistingDeviceIsFound(t *testing.T) {
	f := newFixture(t)
	keys := f.aws.addUser("dave")
	d := f.aws.addDevice("dave", "daves-phone")
	f.writeFiles("# my settings\n[profile dev]\nregion = us-west-2 ; Oregon\n\n[profile other]\nregion = eu-west-1\n",
		"[dev]\naws_access_key_id = "+keys.AccessKeyID+"\naws_secret_access_key = "+keys.SecretAccessKey+"\n")
	f.opts.Code = totpAt(t, d.seed, f.clock.Now())

	res, err := f.run()
	if err != nil {
		t.Fatalf("set-up failed: %v\nlog:\n%s", err, f.log.String())
	}
	if res.Created || !res.Checked || res.MFASerial != d.serial {
		t.Errorf("result %+v", res)
	}
	if n := f.aws.called("CreateVirtualMFADevice"); n != 0 {
		t.Errorf("created a device although one exists")
	}
	want := "# my settings\n[profile dev]\nregion = us-west-2 ; Oregon\nmfa_serial = " + d.serial + "\n\n[profile other]\nregion = eu-west-1\n"
	if got := f.file(f.paths.Config); got != want {
		t.Errorf("config file:\n%s\nwant:\n%s", got, want)
	}

	// Run again: nothing to write, and the same code is not sent twice.
	f.log.Reset()
	f.clock.Advance(totpStep)
	f.opts.Code = totpAt(t, d.seed, f.clock.Now())
	if _, err := f.run(); err != nil {
		t.Fatalf("second set-up failed: %v\nlog:\n%s", err, f.log.String())
	}
	if !strings.Contains(f.log.String(), "already uses your MFA device "+d.serial) {
		t.Errorf("second run log:\n%s", f.log.String())
	}
	if got := f.file(f.paths.Config); got != want {
		t.Errorf("second run changed the config file:\n%s", got)
	}
}

func TestSeveralDevices(t *testing.T) {
	t.Run("without a terminal, --mfa-serial is required", func(t *testing.T) {
		f := newFixture(t)
		keys := f.aws.addUser("erin")
		a, b := f.aws.addDevice("erin", "one"), f.aws.addDevice("erin", "two")
		f.opts.AccessKeyID, f.opts.SecretAccessKey = keys.AccessKeyID, keys.SecretAccessKey
		_, err := f.run()
		var ue *session.UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "--mfa-serial") ||
			!strings.Contains(err.Error(), a.serial) || !strings.Contains(err.Error(), b.serial) {
			t.Errorf("error %v, want a usage error naming both devices and --mfa-serial", err)
		}
	})
	t.Run("on a terminal, the person picks one", func(t *testing.T) {
		f := newFixture(t)
		keys := f.aws.addUser("erin")
		f.aws.addDevice("erin", "one")
		b := f.aws.addDevice("erin", "two")
		f.opts.AccessKeyID, f.opts.SecretAccessKey, f.opts.Region = keys.AccessKeyID, keys.SecretAccessKey, "eu-west-1"
		f.interactive(
			answer{"select", "has 2 MFA devices", says(b.serial)},
			answer{"input", "A new code", func(string) (string, error) { return totpAt(t, b.seed, f.clock.Now()), nil }},
		)
		res, err := f.run()
		if err != nil {
			t.Fatalf("set-up failed: %v", err)
		}
		if res.MFASerial != b.serial || f.profile()["mfa_serial"] != b.serial {
			t.Errorf("picked %s, wrote %q", res.MFASerial, f.profile()["mfa_serial"])
		}
	})
}

// TestDeniedPermissions: each IAM refusal names the permission the user lacks and who can help.
func TestDeniedPermissions(t *testing.T) {
	denied := apiError("AccessDenied", "User: arn:aws:iam::210987654321:user/team/frank is not authorized to perform this action")
	for _, tc := range []struct {
		op, want string
	}{
		{"ListMFADevices", "lacks iam:ListMFADevices"},
		{"CreateVirtualMFADevice", "lacks iam:CreateVirtualMFADevice"},
		{"EnableMFADevice", "lacks iam:EnableMFADevice"},
	} {
		t.Run(tc.op, func(t *testing.T) {
			f := newFixture(t)
			keys := f.aws.addUser("frank")
			f.opts.AccessKeyID, f.opts.SecretAccessKey = keys.AccessKeyID, keys.SecretAccessKey
			f.withProcess()
			f.aws.fail[tc.op] = denied
			_, err := f.run()
			if err == nil {
				t.Fatal("set-up succeeded")
			}
			for _, want := range []string{tc.want, "ask an administrator", "not authorized"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			if len(f.aws.devices) != 0 {
				t.Errorf("a device is left behind: %+v", f.onlyDevice())
			}
			if f.profile()["mfa_serial"] != "" {
				t.Errorf("mfa_serial written after a failure")
			}
			// The keys were checked before the MFA step, so they are kept for the next try.
			if f.profile()["aws_access_key_id"] != keys.AccessKeyID {
				t.Errorf("the checked keys were not written")
			}
		})
	}
}

// TestWrongCodesDeleteTheDevice: codes from the wrong seed fail twice; the device is deleted with its seed file.
func TestWrongCodesDeleteTheDevice(t *testing.T) {
	f := newFixture(t)
	keys := f.aws.addUser("gina")
	f.opts.AccessKeyID, f.opts.SecretAccessKey = keys.AccessKeyID, keys.SecretAccessKey
	f.withProcess()
	f.processSeed = randomBase32(40) // another device's codes
	_, err := f.run()
	if err == nil {
		t.Fatal("set-up succeeded with wrong codes")
	}
	for _, want := range []string{"did not accept the codes", "deleted again", "assume --setup dev"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if n := f.aws.called("EnableMFADevice"); n != 2 {
		t.Errorf("EnableMFADevice called %d times, want 2 (one retry)", n)
	}
	if len(f.aws.devices) != 0 || f.aws.called("DeleteVirtualMFADevice") != 1 {
		t.Errorf("the unenabled device was not deleted")
	}
	if _, err := os.Stat(f.opts.SeedFile); !os.IsNotExist(err) {
		t.Errorf("the seed of the deleted device is still in %s", f.opts.SeedFile)
	}
	if f.profile()["mfa_serial"] != "" {
		t.Errorf("mfa_serial written after a failure")
	}
}

// TestInteractiveRetryAfterWrongCodes: the person mistypes, is told so, and succeeds with two new codes.
func TestInteractiveRetryAfterWrongCodes(t *testing.T) {
	f := newFixture(t)
	keys := f.aws.addUser("hal")
	f.opts.AccessKeyID, f.opts.SecretAccessKey, f.opts.Region = keys.AccessKeyID, keys.SecretAccessKey, "eu-west-1"
	code := func(wait time.Duration) func(string) (string, error) {
		return func(string) (string, error) {
			f.clock.Advance(wait)
			return totpAt(t, f.onlyDevice().seed, f.clock.Now()), nil
		}
	}
	f.interactive(
		answer{"secret", "Secret access key", says(keys.SecretAccessKey)}, // not reached: the secret was given
	)
	f.prompter.Answers = script([]answer{
		{"confirm", "Create", says("y")},
		{"input", "Code shown by the app now", says("000000")},
		{"input", "next code", says("111111")},
		{"input", "Code shown by the app now", code(totpStep)},
		{"input", "next code", code(totpStep)},
		{"input", "A new code", code(totpStep)},
	})
	if _, err := f.run(); err != nil {
		t.Fatalf("set-up failed: %v\nlog:\n%s", err, f.log.String())
	}
	if !strings.Contains(f.log.String(), "did not accept those codes") {
		t.Errorf("the person was not told the codes failed:\n%s", f.log.String())
	}
	if !f.onlyDevice().enabled {
		t.Errorf("device not enabled")
	}
}

// TestCancelledAtCodePromptDeletesTheDevice: Ctrl-C at the code prompt leaves no device behind.
func TestCancelledAtCodePromptDeletesTheDevice(t *testing.T) {
	f := newFixture(t)
	keys := f.aws.addUser("ivy")
	f.opts.AccessKeyID, f.opts.SecretAccessKey, f.opts.Region = keys.AccessKeyID, keys.SecretAccessKey, "eu-west-1"
	f.interactive(
		answer{"confirm", "Create", says("y")},
		answer{"input", "Code shown by the app now", func(string) (string, error) { return "", prompt.ErrCancelled }},
	)
	_, err := f.run()
	if !errors.Is(err, prompt.ErrCancelled) || !strings.Contains(err.Error(), "deleted again") {
		t.Errorf("error %v, want the cancellation and that the device was deleted", err)
	}
	if len(f.aws.devices) != 0 {
		t.Errorf("a device is left behind")
	}
}

// TestInterruptedWhileWaitingDeletesTheDevice: a signal (the context ends) while waiting for the next code.
func TestInterruptedWhileWaitingDeletesTheDevice(t *testing.T) {
	f := newFixture(t)
	keys := f.aws.addUser("jo")
	f.opts.AccessKeyID, f.opts.SecretAccessKey = keys.AccessKeyID, keys.SecretAccessKey
	f.withProcess()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.clock.onSleep = cancel
	_, err := f.runContext(ctx)
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "interrupted") || !strings.Contains(err.Error(), "deleted again") {
		t.Errorf("error %v, want interrupted and the device deleted", err)
	}
	if len(f.aws.devices) != 0 {
		t.Errorf("a device is left behind")
	}
}

// TestUndeletableDeviceSaysHowToFinish: when the clean-up fails too, the message gives the exact command.
func TestUndeletableDeviceSaysHowToFinish(t *testing.T) {
	f := newFixture(t)
	keys := f.aws.addUser("kim")
	f.opts.AccessKeyID, f.opts.SecretAccessKey = keys.AccessKeyID, keys.SecretAccessKey
	f.withProcess()
	f.aws.fail["EnableMFADevice"] = apiError("ServiceFailure", "internal error")
	f.aws.fail["DeleteVirtualMFADevice"] = apiError("AccessDenied", "not authorized to perform iam:DeleteVirtualMFADevice")
	_, err := f.run()
	if err == nil {
		t.Fatal("set-up succeeded")
	}
	for _, want := range []string{
		"could not enable the MFA device (ServiceFailure: internal error)",
		"created but not enabled",
		"aws iam delete-virtual-mfa-device --serial-number " + f.aws.serial("kim"),
		"assume --setup dev",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if _, statErr := os.Stat(f.opts.SeedFile); statErr != nil {
		t.Errorf("the seed file of a device that still exists was removed: %v", statErr)
	}
}

func TestLeftoverDeviceWithTheSameName(t *testing.T) {
	f := newFixture(t)
	keys := f.aws.addUser("lee")
	f.aws.devices[f.aws.serial("lee")] = &fakeDevice{serial: f.aws.serial("lee"), seed: randomBase32(40)}
	f.opts.AccessKeyID, f.opts.SecretAccessKey = keys.AccessKeyID, keys.SecretAccessKey
	f.withProcess()
	_, err := f.run()
	if err == nil || !strings.Contains(err.Error(), "aws iam delete-virtual-mfa-device --serial-number "+f.aws.serial("lee")) ||
		!strings.Contains(err.Error(), "--mfa-device-name") {
		t.Errorf("error %v, want how to delete the leftover or choose another name", err)
	}
	// --mfa-device-name gets around it.
	f.opts.DeviceName = "lee-laptop"
	if _, err := f.run(); err != nil {
		t.Fatalf("set-up with another name failed: %v", err)
	}
	if f.profile()["mfa_serial"] != f.aws.serial("lee-laptop") {
		t.Errorf("mfa_serial = %q", f.profile()["mfa_serial"])
	}
}

func TestBadKeys(t *testing.T) {
	for _, tc := range []struct {
		name    string
		mangle  func(id, secret string) (string, string)
		wantErr string
	}{
		{"unknown key", func(id, s string) (string, string) { return "AKIAUNKNOWN000000000", s }, "AWS does not know the access key AKIAUNKNOWN000000000"},
		{"wrong secret", func(id, s string) (string, string) { return id, s[:39] + "x" }, "the secret access key does not belong to access key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			keys := f.aws.addUser("max")
			f.opts.AccessKeyID, f.opts.SecretAccessKey = tc.mangle(keys.AccessKeyID, keys.SecretAccessKey)
			_, err := f.run()
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %v, want %q", err, tc.wantErr)
			}
			if _, err := os.Stat(f.paths.Credentials); !os.IsNotExist(err) {
				t.Errorf("keys that failed the check were written")
			}
			f.checkNoSecrets(f.opts.SecretAccessKey)
			if err != nil && strings.Contains(err.Error(), f.opts.SecretAccessKey) {
				t.Errorf("the error shows the secret")
			}
		})
	}
}

func TestProofRejected(t *testing.T) {
	f := newFixture(t)
	keys := f.aws.addUser("ned")
	d := f.aws.addDevice("ned", "ned")
	f.opts.AccessKeyID, f.opts.SecretAccessKey = keys.AccessKeyID, keys.SecretAccessKey
	f.opts.Code = totpAt(t, d.seed, f.clock.Now().Add(-5*time.Minute)) // an old code
	_, err := f.run()
	if err == nil || !strings.Contains(err.Error(), "profile dev is written, but STS did not accept the MFA code") ||
		!strings.Contains(err.Error(), "run `assume dev` with a new code") {
		t.Errorf("error %v", err)
	}
	if f.profile()["mfa_serial"] != d.serial {
		t.Errorf("mfa_serial not written before the check")
	}
}

// TestRefusals are the set-ups refused before any AWS call or file change.
func TestRefusals(t *testing.T) {
	for _, tc := range []struct {
		name        string
		config      string
		credentials string
		opts        func(o *Options)
		usage       bool
		want        string
	}{
		{name: "no profile name", opts: func(o *Options) { o.Profile = "" }, usage: true, want: "assume --setup PROFILE"},
		{name: "bad profile name", opts: func(o *Options) { o.Profile = "a b" }, usage: true, want: "cannot be a profile name"},
		{name: "role profile", config: "[profile dev]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n", want: "run `assume --setup base` on its source profile"},
		{name: "sso profile", config: "[profile dev]\nsso_session = corp\n", want: "gets its credentials through sso_session"},
		{name: "no keys, no terminal", usage: true, want: "pass --access-key-id ID with the secret piped to --secret-stdin"},
		{name: "id without secret", opts: func(o *Options) { o.AccessKeyID = "AKIAIOSFODNN7EXAMPLE" }, usage: true, want: "--access-key-id needs its secret"},
		{name: "secret without id", opts: func(o *Options) { o.SecretAccessKey = "x" }, usage: true, want: "without its ID"},
		{name: "temporary key", opts: func(o *Options) { o.AccessKeyID, o.SecretAccessKey = "ASIAIOSFODNN7EXAMPLE", "s" }, usage: true, want: "temporary access key"},
		{name: "temporary credentials in the profile", credentials: "[dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = s\naws_session_token = t\n", want: "holds temporary credentials"},
		{name: "bad region", opts: func(o *Options) {
			o.AccessKeyID, o.SecretAccessKey, o.Region = "AKIAIOSFODNN7EXAMPLE", "s", "Frankfurt"
		}, usage: true, want: "is not an AWS region"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.writeFiles(tc.config, tc.credentials)
			if tc.opts != nil {
				tc.opts(&f.opts)
			}
			_, err := f.run()
			var ue *session.UsageError
			if err == nil || !strings.Contains(err.Error(), tc.want) || errors.As(err, &ue) != tc.usage {
				t.Errorf("error %v (usage error: %t), want %q (usage error: %t)", err, errors.As(err, &ue), tc.want, tc.usage)
			}
			if n := len(f.aws.calls); n != 0 {
				t.Errorf("called AWS: %v", f.aws.calls)
			}
			if got := f.file(f.paths.Config) + f.file(f.paths.Credentials); got != tc.config+tc.credentials {
				t.Errorf("files changed:\n%s", got)
			}
		})
	}
}

// TestCreateNeedsCodesAndAPlaceForTheSecret: without a terminal, a device is created only when its codes can be
// had and its secret saved; -m cannot serve a device that does not exist yet. Nothing is created otherwise.
func TestCreateNeedsCodesAndAPlaceForTheSecret(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts func(o *Options)
		want string
	}{
		{"no code source", func(o *Options) { o.SeedFile = "seed" }, "pass --mfa-process CMD"},
		{"-m", func(o *Options) { o.SeedFile, o.Code, o.MFAProcess = "seed", "123456", "x" }, "-m gives one code"},
		{"nowhere for the secret", func(o *Options) { o.MFAProcess = "x" }, "pass --seed-file F"},
		{"bad device name", func(o *Options) { o.SeedFile, o.MFAProcess, o.DeviceName = "seed", "x", "my phone" }, "cannot name an MFA device"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			keys := f.aws.addUser("olga")
			f.opts.AccessKeyID, f.opts.SecretAccessKey = keys.AccessKeyID, keys.SecretAccessKey
			tc.opts(&f.opts)
			_, err := f.run()
			var ue *session.UsageError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want a usage error with %q", err, tc.want)
			}
			if n := f.aws.called("CreateVirtualMFADevice"); n != 0 {
				t.Errorf("a device was created")
			}
		})
	}
}

// TestDeclinedCreation: the person says no; the keys stay, and the run ends with advice, not a device.
func TestDeclinedCreation(t *testing.T) {
	f := newFixture(t)
	keys := f.aws.addUser("pat")
	f.opts.AccessKeyID, f.opts.SecretAccessKey, f.opts.Region = keys.AccessKeyID, keys.SecretAccessKey, "eu-west-1"
	f.interactive(answer{"confirm", "Create a virtual MFA device", says("n")})
	_, err := f.run()
	var stopped *StoppedError
	if !errors.As(err, &stopped) || !strings.Contains(err.Error(), "assume --setup dev") {
		t.Errorf("error %v, want StoppedError with advice", err)
	}
	if len(f.aws.devices) != 0 || f.profile()["aws_access_key_id"] != keys.AccessKeyID {
		t.Errorf("devices %d, profile %v", len(f.aws.devices), f.profile())
	}
}

func TestUserName(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:iam::123456789012:user/alice":           "alice",
		"arn:aws:iam::123456789012:user/dev/team/bob":    "bob",
		"arn:aws-cn:iam::123456789012:user/c.d@e":        "c.d@e",
		"arn:aws:sts::123456789012:assumed-role/r/s":     "",
		"arn:aws:iam::123456789012:root":                 "",
		"arn:aws:iam::123456789012:role/not-a-user-role": "",
	} {
		got, ok := userName(arn)
		if got != want || ok != (want != "") {
			t.Errorf("userName(%q) = %q, %t; want %q", arn, got, ok, want)
		}
	}
}

func TestShellWord(t *testing.T) {
	for in, want := range map[string]string{"dev": "dev", "team-a.prod_1": "team-a.prod_1", "it's": `'it'\''s'`, "a$b": "'a$b'"} {
		if got := shellWord(in); got != want {
			t.Errorf("shellWord(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestStaleSettingInCredentialsFile: a setting in the credentials file wins over the config file's, so a stale
// mfa_serial there would hide the one written; the set-up says so instead of claiming success.
func TestStaleSettingInCredentialsFile(t *testing.T) {
	f := newFixture(t)
	keys := f.aws.addUser("quinn")
	d := f.aws.addDevice("quinn", "quinn")
	stale := f.aws.serial("quinn-old-phone")
	f.writeFiles("", "[dev]\naws_access_key_id = "+keys.AccessKeyID+"\naws_secret_access_key = "+keys.SecretAccessKey+"\nmfa_serial = "+stale+"\n")
	f.opts.Code = totpAt(t, d.seed, f.clock.Now())
	_, err := f.run()
	if err == nil || !strings.Contains(err.Error(), "still reads mfa_serial = "+stale) || !strings.Contains(err.Error(), "remove that line") {
		t.Errorf("error %v, want the stale mfa_serial named", err)
	}
	if n := f.aws.called("GetSessionToken"); n != 0 {
		t.Errorf("checked a profile that does not read as written")
	}
}

// TestSecurityKeysAreNotOffered: a FIDO security key is listed among the user's MFA devices but cannot give STS a
// code, so it is neither offered nor chosen; with only such a key, a virtual device is created.
func TestSecurityKeysAreNotOffered(t *testing.T) {
	f := newFixture(t)
	keys := f.aws.addUser("rita")
	key := fmt.Sprintf("arn:aws:iam::%s:u2f/user/rita/yubikey-ABCDEFGHIJKLMNOP", f.aws.account)
	f.aws.devices[key] = &fakeDevice{serial: key, user: "rita", enabled: true}
	f.opts.AccessKeyID, f.opts.SecretAccessKey = keys.AccessKeyID, keys.SecretAccessKey
	f.withProcess()
	res, err := f.run()
	if err != nil {
		t.Fatalf("set-up failed: %v\nlog:\n%s", err, f.log.String())
	}
	if res.MFASerial != f.aws.serial("rita") || !res.Created {
		t.Errorf("result %+v, want a new virtual device", res)
	}
	if !strings.Contains(f.log.String(), "skipping the security key "+key) {
		t.Errorf("log:\n%s", f.log.String())
	}
}
