package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/testkit"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// region is the region every test profile is configured with.
const region = "eu-west-1"

// ---------------------------------------------------------------------------------------------
// IAM set-up in the emulator

func iamClient(t testing.TB) *iam.Client {
	e := requireEmulator(t)
	return iam.New(iam.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(e.url),
		// moto accepts any key for IAM administration; these belong to no user.
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIAE2EADMIN", SecretAccessKey: "e2e-admin-secret"}, nil
		}),
	})
}

var nameCounter atomic.Int64

// uniqueName makes IAM names unique across the run, since all tests share one emulator.
func uniqueName(prefix string) string {
	return fmt.Sprintf("%s-%d-%d", prefix, os.Getpid(), nameCounter.Add(1))
}

type iamUser struct {
	Name            string
	ARN             string
	AccessKeyID     string
	SecretAccessKey string
	MFASerial       string // set by addVirtualMFA
	MFASeed         string // Base32 TOTP seed
}

func createUser(t testing.TB, prefix string) *iamUser {
	t.Helper()
	ctx := ctxFor(t, 30*time.Second)
	c := iamClient(t)
	name := uniqueName(prefix)
	u, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})
	if err != nil {
		t.Fatalf("iam CreateUser: %v", err)
	}
	k, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		t.Fatalf("iam CreateAccessKey: %v", err)
	}
	return &iamUser{
		Name:            name,
		ARN:             aws.ToString(u.User.Arn),
		AccessKeyID:     aws.ToString(k.AccessKey.AccessKeyId),
		SecretAccessKey: aws.ToString(k.AccessKey.SecretAccessKey),
	}
}

// createMFAUser creates a user with access keys and an enabled virtual MFA device.
func createMFAUser(t testing.TB, prefix string) *iamUser {
	t.Helper()
	u := createUser(t, prefix)
	u.addVirtualMFA(t)
	return u
}

// addVirtualMFA creates a virtual MFA device and enables it with two consecutive codes, as the
// console does. moto checks neither code, but they are real ones all the same.
func (u *iamUser) addVirtualMFA(t testing.TB) {
	t.Helper()
	ctx := ctxFor(t, 30*time.Second)
	c := iamClient(t)
	d, err := c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(u.Name)})
	var exists *iamtypes.EntityAlreadyExistsException
	if errors.As(err, &exists) {
		// The name is unique to this user, so the device is this call's own: the SDK resent the
		// call after the emulator's answer was lost (seen under -race on a loaded machine), and
		// the seed went with that answer. Delete the device and make it again.
		serial := strings.Replace(u.ARN, ":user/", ":mfa/", 1)
		if _, derr := c.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)}); derr != nil {
			t.Fatalf("iam CreateVirtualMFADevice: %v; deleting %s to try again: %v", err, serial, derr)
		}
		d, err = c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(u.Name)})
	}
	if err != nil {
		t.Fatalf("iam CreateVirtualMFADevice: %v", err)
	}
	u.MFASerial = aws.ToString(d.VirtualMFADevice.SerialNumber)
	u.MFASeed = string(d.VirtualMFADevice.Base32StringSeed)
	if u.MFASerial == "" || u.MFASeed == "" {
		t.Fatalf("iam CreateVirtualMFADevice returned no serial or seed: %+v", d.VirtualMFADevice)
	}
	now := time.Now()
	code1, err := testkit.TOTP(u.MFASeed, now.Add(-30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	code2, err := testkit.TOTP(u.MFASeed, now)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{
		UserName:            aws.String(u.Name),
		SerialNumber:        aws.String(u.MFASerial),
		AuthenticationCode1: aws.String(code1),
		AuthenticationCode2: aws.String(code2),
	})
	if err != nil {
		t.Fatalf("iam EnableMFADevice: %v", err)
	}
}

// code is the device's current TOTP code.
func (u *iamUser) code(t testing.TB) string {
	t.Helper()
	c, err := testkit.TOTP(u.MFASeed, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type iamRole struct {
	Name      string
	ARN       string
	AccountID string
}

// createRole creates a role that trusts principal and allows sessions of up to 12 hours.
func createRole(t testing.TB, prefix, principalARN string) *iamRole {
	t.Helper()
	ctx := ctxFor(t, 30*time.Second)
	trust, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect":    "Allow",
			"Principal": map[string]any{"AWS": principalARN},
			"Action":    "sts:AssumeRole",
			"Condition": map[string]any{"Bool": map[string]any{"aws:MultiFactorAuthPresent": "true"}},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	name := uniqueName(prefix)
	r, err := iamClient(t).CreateRole(ctx, &iam.CreateRoleInput{
		RoleName:                 aws.String(name),
		AssumeRolePolicyDocument: aws.String(string(trust)),
		MaxSessionDuration:       aws.Int32(12 * 3600),
	})
	if err != nil {
		t.Fatalf("iam CreateRole: %v", err)
	}
	arn := aws.ToString(r.Role.Arn)
	// arn:aws:iam::ACCOUNT:role/NAME
	parts := strings.Split(arn, ":")
	if len(parts) < 6 {
		t.Fatalf("unexpected role ARN %q", arn)
	}
	return &iamRole{Name: name, ARN: arn, AccountID: parts[4]}
}

// assumedRoleARN is the caller identity of a session of this role.
func (r *iamRole) assumedRoleARN(sessionName string) string {
	return fmt.Sprintf("arn:aws:sts::%s:assumed-role/%s/%s", r.AccountID, r.Name, sessionName)
}

// ---------------------------------------------------------------------------------------------
// The moto recorder: what assume really sent

// recorderMu serialises tests that read the recorder: it is one log for the whole emulator.
var recorderMu sync.Mutex

type recorder struct {
	e *emulator
}

// startRecording empties the emulator's request log and starts recording into it. The log is
// shared, so the test holds the recorder until it ends.
func startRecording(t testing.TB) *recorder {
	t.Helper()
	e := requireEmulator(t)
	recorderMu.Lock()
	r := &recorder{e: e}
	t.Cleanup(func() {
		_, _ = r.call("POST", "stop-recording")
		recorderMu.Unlock()
	})
	for _, action := range []string{"reset-recording", "start-recording"} {
		if _, err := r.call("POST", action); err != nil {
			t.Fatalf("moto recorder %s: %v", action, err)
		}
	}
	return r
}

func (r *recorder) call(method, action string) ([]byte, error) {
	req, err := http.NewRequest(method, r.e.url+"/moto-api/recorder/"+action, nil)
	if err != nil {
		return nil, err
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, body)
	}
	return body, nil
}

// recordedRequest is one line of moto's recording (JSON Lines).
type recordedRequest struct {
	Headers     map[string]string `json:"headers"`
	Method      string            `json:"method"`
	URL         string            `json:"url"`
	Body        *string           `json:"body"`
	BodyEncoded bool              `json:"body_encoded"`
}

// stsCall is one recorded STS request, with the fields the tests check.
type stsCall struct {
	Action          string
	SerialNumber    string
	TokenCode       string
	DurationSeconds string
	RoleArn         string
	RoleSessionName string
	ExternalID      string
	// SigningKeyID is the access key id in the Authorization header: who signed.
	SigningKeyID string
	// SecurityToken is the X-Amz-Security-Token header: set when temporary credentials signed.
	SecurityToken string
	// Attempts is how many HTTP requests the SDK sent for this one call: more than 1 when its
	// retryer resent it after a network error or a 5xx.
	Attempts int
	Params   url.Values
}

func (c stsCall) String() string {
	return fmt.Sprintf("%s{serial=%q code=%q duration=%q role=%q session=%q external=%q key=%q token=%t attempts=%d}",
		c.Action, c.SerialNumber, c.TokenCode, c.DurationSeconds, c.RoleArn, c.RoleSessionName,
		c.ExternalID, c.SigningKeyID, c.SecurityToken != "", c.Attempts)
}

var credentialScope = regexp.MustCompile(`Credential=([^/,\s]+)/[^/]*/[^/]*/([^/]+)/aws4_request`)

// stsCalls downloads the recording and returns its STS requests in order.
func (r *recorder) stsCalls(t testing.TB) []stsCall {
	t.Helper()
	raw, err := r.call("GET", "download-recording")
	if err != nil {
		t.Fatalf("moto recorder download-recording: %v", err)
	}
	calls, err := parseRecording(raw)
	if err != nil {
		t.Fatalf("parse moto recording: %v", err)
	}
	return calls
}

func parseRecording(raw []byte) ([]stsCall, error) {
	reqs, err := parseRecordedRequests(raw, "sts")
	if err != nil {
		return nil, err
	}
	calls := make([]stsCall, 0, len(reqs))
	invocations := map[string]int{} // SDK invocation id → index in calls
	for _, r := range reqs {
		// A retry is the same call sent again (same invocation id): the tests count calls the
		// program made, not requests a flaky network caused.
		if i, seen := invocations[r.InvocationID]; seen && r.InvocationID != "" {
			calls[i].Attempts++
			continue
		}
		if r.InvocationID != "" {
			invocations[r.InvocationID] = len(calls)
		}
		p := r.Params
		calls = append(calls, stsCall{
			Attempts:        1,
			Action:          p.Get("Action"),
			SerialNumber:    p.Get("SerialNumber"),
			TokenCode:       p.Get("TokenCode"),
			DurationSeconds: p.Get("DurationSeconds"),
			RoleArn:         p.Get("RoleArn"),
			RoleSessionName: p.Get("RoleSessionName"),
			ExternalID:      p.Get("ExternalId"),
			SigningKeyID:    r.SigningKeyID,
			SecurityToken:   r.SecurityToken,
			Params:          p,
		})
	}
	return calls, nil
}

// signedRequest is one recorded request to a service, decoded.
type signedRequest struct {
	SigningKeyID  string // the access key id in the Authorization header
	SecurityToken string // the X-Amz-Security-Token header
	// InvocationID is the amz-sdk-invocation-id header, which AWS SDKs and the AWS CLI keep
	// across the retries of one call.
	InvocationID string
	Params       url.Values
}

// parseRecordedRequests returns the recorded requests signed for service
// ("sts", "iam"), in order, with query and form parameters merged.
func parseRecordedRequests(raw []byte, service string) ([]signedRequest, error) {
	var out []signedRequest
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var req recordedRequest
		if err := json.Unmarshal(line, &req); err != nil {
			return nil, fmt.Errorf("recording line %q: %w", tail(string(line), 200), err)
		}
		headers := make(map[string]string, len(req.Headers))
		for k, v := range req.Headers {
			headers[strings.ToLower(k)] = v
		}
		m := credentialScope.FindStringSubmatch(headers["authorization"])
		if m == nil || m[2] != service {
			continue // unsigned, or another service
		}
		params := url.Values{}
		if u, err := url.Parse(req.URL); err == nil {
			for k, vs := range u.Query() {
				params[k] = append(params[k], vs...)
			}
		}
		if req.Body != nil && *req.Body != "" {
			body := []byte(*req.Body)
			if req.BodyEncoded {
				decoded, err := base64.StdEncoding.DecodeString(*req.Body)
				if err != nil {
					return nil, fmt.Errorf("recorded body is not base64: %w", err)
				}
				body = decoded
			}
			form, err := url.ParseQuery(string(body))
			if err != nil {
				return nil, fmt.Errorf("recorded %s body %q: %w", service, body, err)
			}
			for k, vs := range form {
				params[k] = append(params[k], vs...)
			}
		}
		out = append(out, signedRequest{
			SigningKeyID:  m[1],
			SecurityToken: headers["x-amz-security-token"],
			InvocationID:  headers["amz-sdk-invocation-id"],
			Params:        params,
		})
	}
	return out, sc.Err()
}

// only returns the calls of one action.
func only(calls []stsCall, action string) []stsCall {
	var out []stsCall
	for _, c := range calls {
		if c.Action == action {
			out = append(out, c)
		}
	}
	return out
}

// credentialCalls are the calls that hand out credentials (not GetCallerIdentity & co).
func credentialCalls(calls []stsCall) []stsCall {
	var out []stsCall
	for _, c := range calls {
		if strings.HasPrefix(c.Action, "GetSessionToken") || strings.HasPrefix(c.Action, "AssumeRole") {
			out = append(out, c)
		}
	}
	return out
}

// ---------------------------------------------------------------------------------------------
// A sandbox: a fresh HOME, cache and AWS config for one test

type sandbox struct {
	dir        string
	home       string
	cacheHome  string
	configFile string
	credsFile  string
	env        map[string]string
}

func newSandbox(t testing.TB) *sandbox {
	t.Helper()
	e := requireEmulator(t)
	dir := t.TempDir()
	s := &sandbox{
		dir:        dir,
		home:       filepath.Join(dir, "home"),
		cacheHome:  filepath.Join(dir, "home", ".cache"),
		configFile: filepath.Join(dir, "aws", "config"),
		credsFile:  filepath.Join(dir, "aws", "credentials"),
	}
	for _, d := range []string{s.home, s.cacheHome, filepath.Dir(s.configFile)} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	path := os.Getenv("PATH")
	if suite.bin.Dir != "" {
		path = suite.bin.Dir + string(os.PathListSeparator) + path
	}
	// Nothing of the developer's own AWS set-up leaks in: only these variables are passed on.
	s.env = map[string]string{
		"PATH":                        path,
		"HOME":                        s.home,
		"XDG_CACHE_HOME":              s.cacheHome,
		"XDG_CONFIG_HOME":             filepath.Join(s.home, ".config"),
		"XDG_DATA_HOME":               filepath.Join(s.home, ".local", "share"),
		"TMPDIR":                      os.TempDir(),
		"LANG":                        "C.UTF-8",
		"TERM":                        "dumb",
		"AWS_CONFIG_FILE":             s.configFile,
		"AWS_SHARED_CREDENTIALS_FILE": s.credsFile,
		"AWS_ENDPOINT_URL":            e.url,
		"AWS_EC2_METADATA_DISABLED":   "true",
	}
	for _, kv := range pyenvVars() {
		k, v, _ := strings.Cut(kv, "=")
		s.env[k] = v
	}
	s.writeFiles(t, "", "")
	return s
}

// pyenvVars are this process's PYENV* variables: pyenv's shims (aws, moto_server on this
// machine kind) need them.
func pyenvVars() []string {
	var vars []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PYENV") {
			vars = append(vars, kv)
		}
	}
	return vars
}

// writeFiles writes the sandbox's AWS config and credentials files.
func (s *sandbox) writeFiles(t testing.TB, config, credentials string) {
	t.Helper()
	// configFile and credsFile are the kit's names in one folder.
	testkit.WriteAWSFiles(t, filepath.Dir(s.configFile), config, credentials)
}

// environ is the sandbox environment with overrides; an override with an empty value removes
// the variable.
func (s *sandbox) environ(overrides map[string]string) []string {
	merged := make(map[string]string, len(s.env)+len(overrides))
	for k, v := range s.env {
		merged[k] = v
	}
	for k, v := range overrides {
		if v == "" {
			delete(merged, k)
		} else {
			merged[k] = v
		}
	}
	out := make([]string, 0, len(merged))
	for k, v := range merged {
		out = append(out, k+"="+v)
	}
	return out
}

// profileSet builds config and credentials files.
type profileSet struct {
	config      strings.Builder
	credentials strings.Builder
}

// addUser adds an IAM user's profile: keys in the credentials file, settings in the config file.
func (p *profileSet) addUser(name string, u *iamUser, withMFA bool) {
	fmt.Fprintf(&p.credentials, "[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n\n", name, u.AccessKeyID, u.SecretAccessKey)
	fmt.Fprintf(&p.config, "[profile %s]\nregion = %s\n", name, region)
	if withMFA {
		fmt.Fprintf(&p.config, "mfa_serial = %s\n", u.MFASerial)
	}
	p.config.WriteString("\n")
}

// addProfile adds a config-file profile with the given keys, in order.
func (p *profileSet) addProfile(name string, keyValues ...string) {
	fmt.Fprintf(&p.config, "[profile %s]\n", name)
	for i := 0; i+1 < len(keyValues); i += 2 {
		fmt.Fprintf(&p.config, "%s = %s\n", keyValues[i], keyValues[i+1])
	}
	p.config.WriteString("\n")
}

func (s *sandbox) writeProfiles(t testing.TB, p *profileSet) {
	t.Helper()
	s.writeFiles(t, p.config.String(), p.credentials.String())
}

// ---------------------------------------------------------------------------------------------
// Running assume and shells

// run starts a program in the sandbox with no stdin and no controlling terminal (a new session),
// as in CI: a prompt on /dev/tty must fail instead of waiting.
func (s *sandbox) run(t testing.TB, env map[string]string, name string, args ...string) testkit.Result {
	t.Helper()
	return s.runCmd(t, exec.CommandContext(ctxFor(t, 2*time.Minute), name, args...), env)
}

// runCmd runs cmd in the sandbox, detached from any terminal (testkit.Run).
func (s *sandbox) runCmd(t testing.TB, cmd *exec.Cmd, env map[string]string) testkit.Result {
	t.Helper()
	cmd.Dir = s.dir
	cmd.Env = s.environ(env)
	r, err := testkit.Run(cmd)
	if err != nil {
		t.Fatalf("run %s: %v", cmd.Path, err)
	}
	return r
}

// assume runs the binary directly.
func (s *sandbox) assume(t testing.TB, env map[string]string, args ...string) testkit.Result {
	t.Helper()
	return s.run(t, env, requireAssume(t), args...)
}

// shellCommand is how each shell runs a script without reading any start-up file.
func shellCommand(t testing.TB, shell string) []string {
	t.Helper()
	path := testkit.RequireTool(t, shell)
	argv := testkit.CleanShell(shell, "-c")
	argv[0] = path
	return argv
}

// shellRun is the outcome of a script run by shellWithProbe.
type shellRun struct {
	testkit.Result
	env      map[string]string // the exported environment at the end of the script
	identity *callerIdentity   // aws sts get-caller-identity, run at the end of the script
	idErr    string
}

type callerIdentity struct {
	UserID  string `json:"UserId"`
	Account string `json:"Account"`
	Arn     string `json:"Arn"`
}

const (
	envBegin = "@@e2e-env-begin"
	envEnd   = "@@e2e-env-end"
	idBegin  = "@@e2e-identity-begin"
	idEnd    = "@@e2e-identity-end"
)

// shellWithProbe runs script in a real shell, then, in that same shell, prints the exported
// environment and runs `aws sts get-caller-identity` with it. The syntax of the probe is the same
// in bash, zsh and fish.
func (s *sandbox) shellWithProbe(t testing.TB, shell, script string, env map[string]string) shellRun {
	t.Helper()
	requireAssume(t)
	testkit.RequireTool(t, "aws")
	probe := strings.Join([]string{
		script,
		"echo " + envBegin, "env", "echo " + envEnd,
		"echo " + idBegin, "aws sts get-caller-identity --output json", "echo " + idEnd,
	}, "\n")
	argv := shellCommand(t, shell)
	merged := map[string]string{"SHELL": argv[0]}
	for k, v := range env {
		merged[k] = v
	}
	r := s.run(t, merged, argv[0], append(argv[1:], probe)...)
	run := shellRun{Result: r, env: map[string]string{}}
	envText, ok := between(r.Stdout, envBegin, envEnd)
	if !ok {
		t.Fatalf("%s script did not reach the probe:\n%s", shell, r)
	}
	for _, l := range strings.Split(envText, "\n") {
		if k, v, ok := strings.Cut(l, "="); ok {
			run.env[k] = v
		}
	}
	idText, _ := between(r.Stdout, idBegin, idEnd)
	if strings.TrimSpace(idText) == "" {
		run.idErr = "aws sts get-caller-identity printed nothing; stderr:\n" + r.Stderr
	} else {
		var id callerIdentity
		if err := json.Unmarshal([]byte(idText), &id); err != nil {
			run.idErr = fmt.Sprintf("aws sts get-caller-identity printed %q: %v", idText, err)
		} else {
			run.identity = &id
		}
	}
	return run
}

func between(s, begin, end string) (string, bool) {
	_, after, ok := strings.Cut(s, begin+"\n")
	if !ok {
		return "", false
	}
	inner, _, ok := strings.Cut(after, end)
	return inner, ok
}

// ---------------------------------------------------------------------------------------------
// Assertions on exported credentials

// checkExported checks the variables docs/cli.md promises after `assume PROFILE` for temporary
// credentials.
func checkExported(t testing.TB, env map[string]string, profile string) {
	t.Helper()
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} {
		if env[k] == "" {
			t.Errorf("%s is not exported", k)
		}
	}
	if got := env["ASSUME_PROFILE"]; got != profile {
		t.Errorf("ASSUME_PROFILE = %q, want %q", got, profile)
	}
	if got := env["AWS_REGION"]; got != region {
		t.Errorf("AWS_REGION = %q, want the profile's region %q", got, region)
	}
	if got := env["AWS_DEFAULT_REGION"]; got != region {
		t.Errorf("AWS_DEFAULT_REGION = %q, want the profile's region %q", got, region)
	}
	exp, err := time.Parse(time.RFC3339, env["AWS_CREDENTIAL_EXPIRATION"])
	if err != nil {
		t.Errorf("AWS_CREDENTIAL_EXPIRATION = %q is not RFC 3339: %v", env["AWS_CREDENTIAL_EXPIRATION"], err)
	} else {
		if _, off := exp.Zone(); off != 0 {
			t.Errorf("AWS_CREDENTIAL_EXPIRATION = %q is not UTC", env["AWS_CREDENTIAL_EXPIRATION"])
		}
		if !exp.After(time.Now()) {
			t.Errorf("AWS_CREDENTIAL_EXPIRATION = %q is in the past", env["AWS_CREDENTIAL_EXPIRATION"])
		}
	}
	for _, k := range []string{"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SECURITY_TOKEN"} {
		if v, set := env[k]; set {
			t.Errorf("%s is still set (%q); assume must unset it", k, v)
		}
	}
}

// checkOneLineError checks the error contract: exit code, empty stdout, one line on stderr that
// holds none of the secrets.
func checkOneLineError(t testing.TB, r testkit.Result, wantExit int, secrets ...string) {
	t.Helper()
	if r.ExitCode != wantExit {
		t.Errorf("exit code %d, want %d\n%s", r.ExitCode, wantExit, r)
	}
	if r.Stdout != "" {
		t.Errorf("stdout must be empty on error, got %q", r.Stdout)
	}
	if n := len(lines(r.Stderr)); n != 1 {
		t.Errorf("stderr has %d lines, want one:\n%s", n, r.Stderr)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(r.Stderr, s) {
			t.Errorf("stderr reveals a secret (%.4s…):\n%s", s, r.Stderr)
		}
	}
}
