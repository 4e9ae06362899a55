// Package setup is `assume --setup PROFILE`: from nothing to a working MFA profile in one command. It writes the
// access keys and region into the profile, checks them, finds the IAM user's MFA device or creates and enables a
// virtual one (QR code on the terminal), writes mfa_serial, and proves the result with GetSessionToken.
//
// Every answer can come from Options instead of a prompt, so the flow also runs without a terminal. IAM, STS,
// the prompts and the files sit behind small interfaces so that every failure path can be tested.
package setup

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/prompt"
	"github.com/assume-cli/assume/internal/session"
)

// Options are the answers given on the command line; an empty one is asked for on the terminal, or left alone.
type Options struct {
	Profile         string
	AccessKeyID     string
	SecretAccessKey string // from stdin or a variable, never a flag
	Region          string
	MFASerial       string // use this device instead of looking for one
	DeviceName      string // name of a new virtual device; default: the IAM user's name
	QRFile          string // save the new device's QR code PNG here
	SeedFile        string // save the new device's Base32 secret here
	Code            string // -m: one code, for the final check
	MFAProcess      string // --mfa-process; else the profile's mfa_process
	Keyring         bool   // keep the keys in Env.Keyring instead of the credentials file
}

// Env is what the flow needs from the world.
type Env struct {
	Clients Clients
	Store   Store
	// Prompter asks the person; nil when there is no terminal.
	Prompter prompt.Prompter
	// Screen is the terminal, where the QR code and the secret are shown; nil when there is none. Never stdout, and
	// never stderr unless stderr is that terminal: the secret must not land in a log.
	Screen io.Writer
	// Log receives progress and advice (stderr). Never a secret.
	Log io.Writer
	// RunProcess runs the mfa_process command of profile and returns the code it printed.
	RunProcess func(ctx context.Context, profile, command string) (string, error)
	Now        func() time.Time
	Sleep      func(ctx context.Context, d time.Duration) error
	// DefaultRegion is offered at the region prompt (AWS_REGION, AWS_DEFAULT_REGION).
	DefaultRegion string
	// Keyring, when not nil, is offered as the place for the keys (keyring.go).
	Keyring KeyStore
}

// Result says what was set up.
type Result struct {
	Profile   string
	User      string
	Account   string
	MFASerial string
	Created   bool // a virtual MFA device was created and enabled
	Checked   bool // GetSessionToken accepted a code from the device
}

// StoppedError: the person declined to create a device; what was written so far stays.
type StoppedError struct{ Msg string }

func (e *StoppedError) Error() string { return e.Msg }

// Run carries out the set-up. It writes nothing on stdout.
func Run(ctx context.Context, opts Options, env Env) (*Result, error) {
	if env.Now == nil {
		env.Now = time.Now
	}
	if env.Sleep == nil {
		env.Sleep = sleepContext
	}
	r := &run{opts: opts, env: env}
	r.codes = &codes{
		given:      opts.Code,
		prompter:   env.Prompter,
		now:        env.Now,
		sleep:      env.Sleep,
		notify:     r.say,
		used:       map[string]bool{},
		lastWindow: -1,
	}
	if err := r.run(ctx); err != nil {
		return nil, err
	}
	return &r.result, nil
}

type run struct {
	opts   Options
	env    Env
	codes  *codes
	result Result

	current map[string]string // the profile's settings before the set-up
	keys    aws.Credentials
	region  string
	arn     string // the caller's ARN
	iam     IAM
	sts     STS

	useKeyring bool // the keys go to (or are in) env.Keyring
}

func (r *run) say(format string, a ...any) {
	fmt.Fprintf(r.env.Log, "assume: "+format+"\n", a...)
}

func (r *run) interactive() bool { return r.env.Prompter != nil }

func (r *run) run(ctx context.Context) error {
	if err := r.chooseProfile(); err != nil {
		return err
	}
	name := r.result.Profile
	current, _, err := r.env.Store.Profile(name)
	if err != nil {
		return err
	}
	r.current = current
	if r.current == nil {
		r.current = map[string]string{}
	}
	if err := r.checkKind(); err != nil {
		return err
	}
	if command := cmp.Or(r.opts.MFAProcess, r.current["mfa_process"]); command != "" && r.env.RunProcess != nil {
		r.codes.process = func(ctx context.Context) (string, error) { return r.env.RunProcess(ctx, name, command) }
	}

	fromKeyring, err := r.keysFromKeyring(ctx)
	if err != nil {
		return err
	}
	newKeys := false
	if !fromKeyring {
		if newKeys, err = r.chooseKeys(); err != nil {
			return err
		}
	}
	newRegion, err := r.chooseRegion()
	if err != nil {
		return err
	}
	if err := r.checkKeys(ctx); err != nil {
		return err
	}
	if err := r.chooseKeyring(); err != nil {
		return err
	}
	stored, err := r.storeInKeyring(ctx, newKeys)
	if err != nil {
		return err
	}
	if err := r.writeKeys(newKeys && !stored, newRegion); err != nil {
		return err
	}

	serial, err := r.chooseDevice(ctx)
	if err != nil {
		return err
	}
	r.result.MFASerial = serial
	if serial != r.current["mfa_serial"] {
		if err := r.env.Store.SetConfig(name, []awsfile.KV{{Key: "mfa_serial", Value: serial}}); err != nil {
			return fmt.Errorf("the MFA device %s is ready, but writing mfa_serial to %s failed (%v): add the line `mfa_serial = %s` under [%s] yourself",
				serial, r.env.Store.Where().Config, err, serial, awsfile.ConfigSection(name))
		}
		r.say("wrote mfa_serial = %s to [%s] in %s", serial, awsfile.ConfigSection(name), r.env.Store.Where().Config)
		if err := r.checkWritten("mfa_serial", serial); err != nil {
			return err
		}
	}
	if err := r.prove(ctx); err != nil {
		return err
	}
	r.finish()
	return nil
}

// checkWritten reads the profile back as assume will: a setting in the credentials file's section wins over the
// config file's, so a stale one there would hide what was just written.
func (r *run) checkWritten(key, want string) error {
	values, _, err := r.env.Store.Profile(r.result.Profile)
	if err != nil {
		return err
	}
	if got := values[key]; got != want {
		return fmt.Errorf("wrote %s = %s to %s, but profile %s still reads %s = %s, most likely from [%s] in %s, which wins: remove that line and run `assume --setup %s` again",
			key, want, r.env.Store.Where().Config, r.result.Profile, key, got, r.result.Profile, r.env.Store.Where().Credentials, shellWord(r.result.Profile))
	}
	return nil
}

// finish says what was set up, and the one command to run next.
func (r *run) finish() {
	res := r.result
	how := "not yet checked with a code"
	if res.Checked {
		how = "STS accepted a code from it"
	}
	r.say("profile %s is set up: IAM user %s in account %s, MFA device %s (%s)", res.Profile, res.User, res.Account, res.MFASerial, how)
	fmt.Fprintf(r.env.Log, "Run next:  assume %s\n", shellWord(res.Profile))
}

var badProfileChars = " \t\r\n[]#;"

func (r *run) chooseProfile() error {
	name := r.opts.Profile
	if name == "" && r.interactive() {
		var err error
		if name, err = r.env.Prompter.Input("Name of the profile to set up:", "default"); err != nil {
			return err
		}
		name = strings.TrimSpace(name)
	}
	if name == "" {
		return &session.UsageError{Msg: "--setup needs the name of the profile to set up: assume --setup PROFILE"}
	}
	if strings.ContainsAny(name, badProfileChars) {
		return &session.UsageError{Msg: fmt.Sprintf("%q cannot be a profile name: leave out spaces and the characters []#;", name)}
	}
	r.result.Profile = name
	return nil
}

// checkKind refuses profiles that get credentials some other way than an IAM user's keys: set-up writes keys and
// mfa_serial. The profile's kind without its keys says whether anything else is there.
func (r *run) checkKind() error {
	others := maps.Clone(r.current)
	for _, k := range awsfile.KeyNames {
		delete(others, k)
	}
	// A key kept in the keyring is the same IAM user's key, only elsewhere.
	delete(others, session.KeyringSetting)
	delete(others, session.KeyringIDSetting)
	kind := session.KindOf(awsfile.Profile{Values: others}, false)
	if kind == session.KindNone {
		return nil
	}
	key := kindSetting[kind]
	if key == "" { // settings that make no whole, such as credential_source without role_arn
		for _, k := range []string{"credential_source", "web_identity_token_file", "sso_session", "sso_start_url", "sso_region", "source_profile"} {
			if others[k] != "" {
				key = k
				break
			}
		}
	}
	advice := "--setup is for a profile with an IAM user's access keys; choose another profile name"
	if src := r.current["source_profile"]; kind == session.KindRole && src != "" && src != r.result.Profile {
		advice = fmt.Sprintf("--setup is for an IAM user's access keys: run `assume --setup %s` on its source profile instead", shellWord(src))
	}
	return fmt.Errorf("profile %q gets its credentials through %s; %s", r.result.Profile, key, advice)
}

// kindSetting names the setting that makes a profile of each kind.
var kindSetting = map[session.Kind]string{
	session.KindRole:        "role_arn",
	session.KindWebIdentity: "web_identity_token_file",
	session.KindSSO:         "sso_account_id and sso_role_name",
	session.KindLogin:       "login_session",
	session.KindProcess:     "credential_process",
}

// The patterns compile on first use, not at start-up: every run of assume (each <TAB> included) would pay for
// them, and only --setup uses them.
var accessKeyIDPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Z0-9]{16,128}$`) })

func checkAccessKeyID(id string) error {
	if !accessKeyIDPattern().MatchString(id) {
		return &session.UsageError{Msg: "an access key ID is 16 to 128 capital letters and digits, like AKIAIOSFODNN7EXAMPLE"}
	}
	if strings.HasPrefix(id, "ASIA") {
		return &session.UsageError{Msg: fmt.Sprintf("%s is a temporary access key (ASIA…); --setup needs your IAM user's long-term key (AKIA…), from the IAM console's Security credentials tab", id)}
	}
	return nil
}

func checkSecret(secret string) error {
	if secret == "" || strings.ContainsAny(secret, " \t\r\n") {
		return &session.UsageError{Msg: "the secret access key must be one word without spaces (40 characters from the IAM console)"}
	}
	return nil
}

// chooseKeys settles the access keys: the ones given, the ones already in the profile, or typed. It reports whether
// they must be written.
func (r *run) chooseKeys() (bool, error) {
	curID, curSecret := r.current["aws_access_key_id"], r.current["aws_secret_access_key"]
	id, secret := r.opts.AccessKeyID, r.opts.SecretAccessKey
	if r.current["aws_session_token"] != "" {
		// Written by --write-profile or aws-mfa: long-term keys do not belong there, nor an MFA device.
		return false, fmt.Errorf("profile %q holds temporary credentials (aws_session_token); set up your IAM user's long-term keys under another profile name", r.result.Profile)
	}
	switch {
	case id != "":
		if err := checkAccessKeyID(id); err != nil {
			return false, err
		}
		if secret == "" && r.interactive() {
			var err error
			if secret, err = r.askSecret(id); err != nil {
				return false, err
			}
		}
		if secret == "" {
			return false, &session.UsageError{Msg: "--access-key-id needs its secret: pipe it to --secret-stdin, or set ASSUME_SECRET_ACCESS_KEY"}
		}
	case secret != "":
		return false, &session.UsageError{Msg: "a secret access key was given without its ID: add --access-key-id"}
	case curID != "" && curSecret != "":
		r.keys = aws.Credentials{AccessKeyID: curID, SecretAccessKey: curSecret}
		r.say("using the access key %s already in profile %s", curID, r.result.Profile)
		return false, nil
	case r.interactive():
		var err error
		if id, err = r.askKeyID(); err != nil {
			return false, err
		}
		if secret, err = r.askSecret(id); err != nil {
			return false, err
		}
	default:
		return false, &session.UsageError{Msg: fmt.Sprintf("profile %q has no access keys and there is no terminal to ask on: pass --access-key-id ID with the secret piped to --secret-stdin (or in ASSUME_SECRET_ACCESS_KEY)", r.result.Profile)}
	}
	if err := checkSecret(secret); err != nil {
		return false, err
	}
	r.keys = aws.Credentials{AccessKeyID: id, SecretAccessKey: secret}
	return id != curID || secret != curSecret, nil
}

func (r *run) askKeyID() (string, error) {
	msg := "AWS access key ID (AKIA…):"
	for attempt := 0; attempt < 3; attempt++ {
		id, err := r.env.Prompter.Input(msg, "")
		if err != nil {
			return "", err
		}
		id = strings.TrimSpace(id)
		err = checkAccessKeyID(id)
		if err == nil {
			return id, nil
		}
		msg = sentenceCase(err.Error()) + ". AWS access key ID:"
	}
	return "", &session.UsageError{Msg: "no valid access key ID was typed"}
}

func (r *run) askSecret(id string) (string, error) {
	for attempt := 0; attempt < 3; attempt++ {
		secret, err := r.env.Prompter.Secret(fmt.Sprintf("Secret access key for %s:", id))
		if err != nil {
			return "", err
		}
		secret = strings.TrimSpace(secret)
		if checkSecret(secret) == nil {
			return secret, nil
		}
	}
	return "", &session.UsageError{Msg: "no valid secret access key was typed"}
}

var regionPattern = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z]{2,}(-[a-z]+)+-[0-9]+$`) })

// chooseRegion settles the region; it reports whether it must be written.
func (r *run) chooseRegion() (bool, error) {
	region, cur := r.opts.Region, r.current["region"]
	if region == "" && cur == "" && r.interactive() {
		var err error
		for attempt := 0; ; attempt++ {
			region, err = r.env.Prompter.Input("Default region for this profile:", cmp.Or(r.env.DefaultRegion, "us-east-1"))
			if err != nil {
				return false, err
			}
			region = strings.TrimSpace(region)
			if regionPattern().MatchString(region) || attempt == 2 {
				break
			}
		}
	}
	if region == "" {
		r.region = cur
		if cur == "" {
			r.say("no region set for profile %s (add -r REGION to set one)", r.result.Profile)
		}
		return false, nil
	}
	if !regionPattern().MatchString(region) {
		return false, &session.UsageError{Msg: fmt.Sprintf("%q is not an AWS region; use a name like eu-west-1 or us-east-1", region)}
	}
	r.region = region
	return region != cur, nil
}

// checkKeys asks STS who the keys belong to and keeps the IAM user's name.
func (r *run) checkKeys(ctx context.Context) error {
	var err error
	r.iam, r.sts, err = r.env.Clients(ctx, r.keys, r.region, r.current["endpoint_url"])
	if err != nil {
		return err
	}
	out, err := callerIdentity(ctx, r.sts, r.keys.AccessKeyID)
	if err != nil {
		return err
	}
	r.arn = aws.ToString(out.Arn)
	r.result.Account = aws.ToString(out.Account)
	user, ok := userName(r.arn)
	if !ok {
		if strings.HasSuffix(r.arn, ":root") {
			return fmt.Errorf("these are the account's root user keys; create an IAM user with its own keys and set that up instead")
		}
		return fmt.Errorf("the keys belong to %s, not to an IAM user; --setup needs an IAM user's long-term keys", r.arn)
	}
	r.result.User = user
	r.say("the keys belong to IAM user %s in account %s", user, r.result.Account)
	return nil
}

// userName takes the user name from an IAM user ARN (arn:aws:iam::123456789012:user/path/name).
func userName(s string) (string, bool) {
	a, err := arn.Parse(s)
	if err != nil || a.Service != "iam" || !strings.HasPrefix(a.Resource, "user/") {
		return "", false
	}
	return a.Resource[strings.LastIndexByte(a.Resource, '/')+1:], true
}

func (r *run) writeKeys(newKeys, newRegion bool) error {
	name, where := r.result.Profile, r.env.Store.Where()
	if newKeys {
		kv := []awsfile.KV{{Key: "aws_access_key_id", Value: r.keys.AccessKeyID}, {Key: "aws_secret_access_key", Value: r.keys.SecretAccessKey}}
		if err := r.env.Store.SetCredentials(name, kv); err != nil {
			return fmt.Errorf("could not write the keys to %s: %v", where.Credentials, err)
		}
		r.say("wrote the access keys to [%s] in %s", name, where.Credentials)
	}
	if newRegion {
		if err := r.env.Store.SetConfig(name, []awsfile.KV{{Key: "region", Value: r.region}}); err != nil {
			return fmt.Errorf("could not write the region to %s: %v", where.Config, err)
		}
		r.say("wrote region = %s to [%s] in %s", r.region, awsfile.ConfigSection(name), where.Config)
		if err := r.checkWritten("region", r.region); err != nil {
			return err
		}
	}
	return nil
}

const createOption = "Create a new virtual MFA device"

// chooseDevice returns the MFA serial for the profile: the one given, the user's existing device, or a new one.
func (r *run) chooseDevice(ctx context.Context) (string, error) {
	if r.opts.MFASerial != "" {
		r.say("using the MFA device %s given with --mfa-serial", r.opts.MFASerial)
		return r.opts.MFASerial, nil
	}
	existing := r.current["mfa_serial"]
	out, err := r.iam.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String(r.result.User)})
	if err != nil {
		if existing != "" {
			r.say("could not list your MFA devices (%s); keeping mfa_serial = %s", apiMessage(err), existing)
			return existing, nil
		}
		if apiCode(err) == "AccessDenied" {
			return "", deniedError("iam:ListMFADevices", "or pass --mfa-serial ARN if you know your device's serial", err)
		}
		return "", fmt.Errorf("could not list the MFA devices of IAM user %s (%s); pass --mfa-serial ARN if you know your device's serial", r.result.User, apiMessage(err))
	}
	var serials []string
	for _, d := range out.MFADevices {
		s := aws.ToString(d.SerialNumber)
		switch {
		case s == "":
		case strings.Contains(s, ":u2f/"):
			// A FIDO security key or passkey signs in to the console only: STS takes no code from it.
			r.say("skipping the security key %s: AWS accepts it for the console, not for GetSessionToken", s)
		default:
			serials = append(serials, s)
		}
	}
	if existing != "" {
		if slices.Contains(serials, existing) {
			r.say("profile %s already uses your MFA device %s", r.result.Profile, existing)
			return existing, nil
		}
		r.say("the profile's mfa_serial %s is not one of IAM user %s's MFA devices", existing, r.result.User)
	}

	switch {
	case len(serials) > 0 && r.interactive():
		options := append(slices.Clone(serials), createOption)
		msg := fmt.Sprintf("IAM user %s has an MFA device. Which one should profile %s use?", r.result.User, r.result.Profile)
		if len(serials) > 1 {
			msg = fmt.Sprintf("IAM user %s has %d MFA devices. Which one should profile %s use?", r.result.User, len(serials), r.result.Profile)
		}
		i, err := r.env.Prompter.Select(msg, options, nil)
		if err != nil {
			return "", err
		}
		if i < len(serials) {
			return serials[i], nil
		}
	case len(serials) == 1:
		r.say("found the MFA device %s of IAM user %s", serials[0], r.result.User)
		return serials[0], nil
	case len(serials) > 1:
		return "", &session.UsageError{Msg: fmt.Sprintf("IAM user %s has %d MFA devices; choose one with --mfa-serial: %s", r.result.User, len(serials), strings.Join(serials, ", "))}
	case r.interactive():
		ok, err := r.env.Prompter.Confirm(fmt.Sprintf("IAM user %s has no MFA device. Create a virtual MFA device named %s now?", r.result.User, r.deviceName()), true)
		if err != nil {
			return "", err
		}
		if !ok {
			return "", &StoppedError{Msg: fmt.Sprintf("profile %s has its keys but no MFA device yet; run `assume --setup %s` again when you are ready to add one", r.result.Profile, shellWord(r.result.Profile))}
		}
	}
	return r.createDevice(ctx)
}

func (r *run) deviceName() string { return cmp.Or(r.opts.DeviceName, r.result.User) }

// validDeviceName: IAM allows [\w+=,.@-]{1,226}. Checked by hand rather than
// with a regexp, which would be compiled at every start of assume.
func validDeviceName(name string) bool {
	if len(name) == 0 || len(name) > 226 {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("_+=,.@-", c)) {
			return false
		}
	}
	return true
}

// createDevice creates a virtual MFA device, shows it to the person, and enables it with two consecutive codes.
// A device that is created but not enabled is deleted again, whatever stopped the set-up.
func (r *run) createDevice(ctx context.Context) (_ string, err error) {
	name := r.deviceName()
	switch {
	case !validDeviceName(name):
		return "", &session.UsageError{Msg: fmt.Sprintf("%q cannot name an MFA device: use letters, digits and +=,.@_- (at most 226)", name)}
	case r.opts.Code != "":
		return "", &session.UsageError{Msg: "a new MFA device needs two consecutive codes from it, and -m gives one code chosen before the device existed: leave out -m (you will be asked for the codes), or pass --mfa-process CMD"}
	case !r.codes.canPair():
		return "", &session.UsageError{Msg: "a new MFA device needs two consecutive codes from it and there is no terminal to ask on: pass --mfa-process CMD, e.g. with --seed-file F: --mfa-process 'oathtool --totp -b \"$(cat F)\"'"}
	case r.env.Screen == nil && r.opts.SeedFile == "" && r.opts.QRFile == "":
		return "", &session.UsageError{Msg: "there is no terminal to show the new MFA device's secret on: pass --seed-file F (or --qr-file F) to save it"}
	}

	out, err := r.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name)})
	if err != nil {
		switch apiCode(err) {
		case "AccessDenied":
			return "", deniedError("iam:CreateVirtualMFADevice", fmt.Sprintf("or to create and enable a device for you; then run `assume --setup %s` again", shellWord(r.result.Profile)), err)
		case "EntityAlreadyExists":
			return "", fmt.Errorf("a virtual MFA device named %s already exists, most likely left by a set-up that did not finish: delete it with `aws iam delete-virtual-mfa-device --serial-number %s` and run again, or choose another name with --mfa-device-name",
				name, r.serialFor(name))
		case "LimitExceeded":
			return "", fmt.Errorf("AWS will not create another MFA device (%s): remove one you no longer use, or pass --mfa-serial with one you have", apiMessage(err))
		}
		return "", fmt.Errorf("could not create a virtual MFA device (%s)", apiMessage(err))
	}
	device := out.VirtualMFADevice
	if device == nil || aws.ToString(device.SerialNumber) == "" || len(device.Base32StringSeed) == 0 {
		return "", errors.New("AWS created an MFA device but sent back no serial number or secret; look for it in the IAM console and delete it")
	}
	// serial is not the named result: a `return "", err` must not blank it before the clean-up below reads it.
	serial := aws.ToString(device.SerialNumber)
	seed := strings.TrimSpace(string(device.Base32StringSeed))
	r.say("created the virtual MFA device %s", serial)

	enabled := false
	var saved []string
	defer func() {
		if !enabled {
			err = r.undoDevice(ctx, serial, saved, err)
		}
	}()

	modules, qrErr := qrModules(device.QRCodePNG)
	if r.opts.SeedFile != "" {
		if err := r.env.Store.WriteSecretFile(r.opts.SeedFile, []byte(seed+"\n")); err != nil {
			return "", fmt.Errorf("could not save the MFA secret to %s: %v", r.opts.SeedFile, err)
		}
		saved = append(saved, r.opts.SeedFile)
		r.say("saved the device's secret to %s (mode 0600): keep it as safe as a password, or delete it", r.opts.SeedFile)
	}
	if r.opts.QRFile != "" {
		if qrErr == nil {
			if err := r.env.Store.WriteSecretFile(r.opts.QRFile, device.QRCodePNG); err != nil {
				return "", fmt.Errorf("could not save the QR code to %s: %v", r.opts.QRFile, err)
			}
			saved = append(saved, r.opts.QRFile)
			r.say("saved the QR code to %s (mode 0600): it holds the device's secret, so delete it once scanned", r.opts.QRFile)
		} else {
			r.say("warning: the QR code AWS sent is unusable (%v), so it was not saved to %s", qrErr, r.opts.QRFile)
			if r.env.Screen == nil && r.opts.SeedFile == "" {
				return "", errors.New("the QR code AWS sent is unusable and there is no terminal to show the secret on: pass --seed-file F to save the secret instead")
			}
		}
	}
	if r.env.Screen != nil {
		if err := r.show(name, seed, modules, qrErr); err != nil {
			return "", err
		}
	}

	if err := r.enable(ctx, serial, name); err != nil {
		return "", err
	}
	enabled = true
	r.result.Created = true
	r.say("enabled the MFA device %s for IAM user %s", serial, r.result.User)
	return serial, nil
}

// serialFor is the serial a virtual device named name gets: arn:PARTITION:iam::ACCOUNT:mfa/NAME.
func (r *run) serialFor(name string) string {
	partition := "aws"
	if a, err := arn.Parse(r.arn); err == nil {
		partition = a.Partition
	}
	return fmt.Sprintf("arn:%s:iam::%s:mfa/%s", partition, r.result.Account, name)
}

// show puts the QR code and the secret on the terminal.
func (r *run) show(name, seed string, modules [][]bool, qrErr error) error {
	var b strings.Builder
	b.WriteString("\n")
	if qrErr == nil {
		b.WriteString("Scan this QR code with your authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, …):\n\n")
		if err := drawQR(&b, modules); err != nil {
			return err
		}
		b.WriteString("\nOr add the account by hand: time-based, 6 digits, with this secret key:\n\n")
	} else {
		fmt.Fprintf(&b, "The QR code cannot be shown: %v.\nIn your authenticator app, add an account by hand: time-based, 6 digits, with this secret key:\n\n", qrErr)
	}
	fmt.Fprintf(&b, "    %s\n\n", groupSeed(seed))
	if qrErr != nil {
		fmt.Fprintf(&b, "(Some apps also open this link: %s)\n\n", otpauthURI(name, r.result.Account, seed))
	}
	_, err := io.WriteString(r.env.Screen, b.String())
	return err
}

// enabledForUser reports whether the device serial is enabled for the user being set up (IAM lists only the
// devices assigned to a user).
func (r *run) enabledForUser(ctx context.Context, serial string) bool {
	out, err := r.iam.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String(r.result.User)})
	if err != nil {
		return false
	}
	for _, d := range out.MFADevices {
		if aws.ToString(d.SerialNumber) == serial {
			return true
		}
	}
	return false
}

// enable calls EnableMFADevice with two consecutive codes; the person may try again when AWS rejects them.
func (r *run) enable(ctx context.Context, serial, name string) error {
	attempts := 3
	if r.codes.process != nil {
		attempts = 2 // a command's codes fail again for the same reason; one retry covers a window boundary
	}
	for attempt := 1; ; attempt++ {
		code1, code2, err := r.codes.pair(ctx, name)
		if err != nil {
			return err
		}
		_, err = r.iam.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{
			UserName:            aws.String(r.result.User),
			SerialNumber:        aws.String(serial),
			AuthenticationCode1: aws.String(code1),
			AuthenticationCode2: aws.String(code2),
		})
		if err == nil {
			return nil
		}
		switch code := apiCode(err); {
		case code == "EntityAlreadyExists" && r.enabledForUser(ctx, serial):
			// This run's call enabled it, and its answer was lost: the SDK sent the call again, which
			// AWS refuses for an enabled device.
			return nil
		case code == "AccessDenied":
			return deniedError("iam:EnableMFADevice", fmt.Sprintf("or to enable the device for you; then run `assume --setup %s` again", shellWord(r.result.Profile)), err)
		case code == "InvalidAuthenticationCode" && attempt < attempts:
			r.say("AWS did not accept those codes (%s); check that the app shows %s and that its clock is right, then try two new codes", apiMessage(err), name)
		case code == "InvalidAuthenticationCode":
			return fmt.Errorf("AWS did not accept the codes (%s): check that the codes come from the new device and that the clocks of this computer and the app are right", apiMessage(err))
		case lateAnswer(err) != nil:
			return fmt.Errorf("could not enable the MFA device: %w", lateAnswer(err))
		case isNetworkError(err):
			return fmt.Errorf("could not reach AWS IAM to enable the MFA device (%s)", apiMessage(err))
		default:
			return fmt.Errorf("could not enable the MFA device (%s)", apiMessage(err))
		}
	}
}

// undoDevice deletes a device that was created but not enabled, and the files that hold its secret. It keeps the
// cause of the failure and adds what became of the device.
func (r *run) undoDevice(ctx context.Context, serial string, saved []string, cause error) error {
	why := strings.TrimSuffix(cause.Error(), ".")
	if errors.Is(cause, context.Canceled) {
		why = "interrupted"
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	_, err := r.iam.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)})
	if err != nil {
		return &undoError{cause: cause, msg: fmt.Sprintf("%s; the new MFA device %s was left created but not enabled, and deleting it failed (%s): delete it with `aws iam delete-virtual-mfa-device --serial-number %s` (or ask an administrator to), then run `assume --setup %s` again",
			why, serial, apiMessage(err), serial, shellWord(r.result.Profile))}
	}
	for _, f := range saved {
		if err := r.env.Store.RemoveFile(f); err == nil {
			r.say("removed %s: it held the secret of the deleted device", f)
		}
	}
	return &undoError{cause: cause, msg: fmt.Sprintf("%s; the new MFA device was deleted again, so run `assume --setup %s` to start over",
		why, shellWord(r.result.Profile))}
}

// undoError keeps the cause (a usage error stays one) with a message that says what became of the device.
type undoError struct {
	cause error
	msg   string
}

func (e *undoError) Error() string { return e.msg }
func (e *undoError) Unwrap() error { return e.cause }

// prove calls GetSessionToken with a fresh code from the device: the profile works end to end.
func (r *run) prove(ctx context.Context) error {
	name := r.result.Profile
	if !r.codes.available() {
		r.say("not checked with an MFA code (no -m, --mfa-process or terminal); `assume %s` will check it", shellWord(name))
		return nil
	}
	code, err := r.codes.fresh(ctx, "your MFA device")
	if err != nil {
		return err
	}
	_, err = r.sts.GetSessionToken(ctx, &sts.GetSessionTokenInput{
		DurationSeconds: aws.Int32(900), // the shortest: these credentials are only a proof and are thrown away
		SerialNumber:    aws.String(r.result.MFASerial),
		TokenCode:       aws.String(code),
	})
	if err != nil {
		advice := fmt.Sprintf("then run `assume %s` with a new code", shellWord(name))
		switch {
		case apiCode(err) == "AccessDenied" && strings.Contains(apiMessage(err), "MultiFactorAuthentication"):
			return fmt.Errorf("profile %s is written, but STS did not accept the MFA code (%s): check that the code comes from %s and that the clocks are right, %s",
				name, apiMessage(err), r.result.MFASerial, advice)
		case apiCode(err) == "AccessDenied":
			return fmt.Errorf("profile %s is written, but STS refused GetSessionToken (%s): a policy may deny sts:GetSessionToken; ask an administrator, %s", name, apiMessage(err), advice)
		default:
			return fmt.Errorf("profile %s is written, but the check with GetSessionToken failed (%s); %s", name, apiMessage(err), advice)
		}
	}
	r.result.Checked = true
	return nil
}

// shellWord quotes s for a POSIX shell when it needs it, for commands shown to the person.
func shellWord(s string) string {
	safe := s != ""
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("@%+=:,./_-", c)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func sentenceCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
