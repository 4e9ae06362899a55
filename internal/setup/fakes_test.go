package setup

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"

	"github.com/assume-cli/assume/internal/testkit"
)

// totpAt is the test's own "authenticator app": the code of seed at a moment (testkit.TOTP).
func totpAt(t testing.TB, seed string, at time.Time) string {
	t.Helper()
	code, err := testkit.TOTP(seed, at)
	if err != nil {
		t.Fatalf("seed %q: %v", seed, err)
	}
	return code
}

// fakeClock is a clock whose Sleep moves time forward at once, so waiting for a TOTP window costs nothing.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	slept time.Duration
	// onSleep, when set, runs before each sleep (a test cancels the context there).
	onSleep func()
}

func newClock() *fakeClock {
	// 10 s into a 30-s window, so a wait for the next one is visible.
	return &fakeClock{t: time.Unix(1_800_000_010, 0)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if c.onSleep != nil {
		c.onSleep()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.slept += d
	return nil
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fakeAWS is an in-memory IAM and STS that checks what the real ones check: which key signs, that the secret
// matches, that EnableMFADevice gets two consecutive codes of the device's seed, and that GetSessionToken gets a
// current code of an enabled device that was not used before.
type fakeAWS struct {
	t       testing.TB
	clock   *fakeClock
	account string

	mu      sync.Mutex
	users   map[string]*fakeUser // by access key id
	devices map[string]*fakeDevice
	// fail makes an operation fail with this error before doing anything.
	fail map[string]error
	// resent makes an operation's answer get lost once it is done, so that the SDK sends it again:
	// the caller sees the second answer.
	resent map[string]bool
	calls  []string
	// usedCodes are the codes AWS has seen for each device; it refuses a code twice.
	usedCodes map[string]map[string]bool
	// qrPNG is what CreateVirtualMFADevice returns as QRCodePNG.
	qrPNG []byte
	// regions records the region each client set was made for.
	regions []string
}

type fakeUser struct {
	name, secret string
}

type fakeDevice struct {
	serial, seed, user string
	enabled            bool
}

func newFakeAWS(t testing.TB, clock *fakeClock) *fakeAWS {
	return &fakeAWS{
		t: t, clock: clock, account: "210987654321",
		users:     map[string]*fakeUser{},
		devices:   map[string]*fakeDevice{},
		fail:      map[string]error{},
		resent:    map[string]bool{},
		usedCodes: map[string]map[string]bool{},
		qrPNG:     []byte("not a png"),
	}
}

// addUser adds an IAM user with long-term keys and returns them.
func (f *fakeAWS) addUser(name string) aws.Credentials {
	id := "AKIA" + strings.ToUpper(randomBase32(12))[:16]
	secret := randomBase32(25)[:40]
	f.users[id] = &fakeUser{name: name, secret: secret}
	return aws.Credentials{AccessKeyID: id, SecretAccessKey: secret}
}

// addDevice gives a user an enabled virtual device.
func (f *fakeAWS) addDevice(user, name string) *fakeDevice {
	d := &fakeDevice{serial: f.serial(name), seed: randomBase32(40), user: user, enabled: true}
	f.devices[d.serial] = d
	return d
}

func (f *fakeAWS) serial(name string) string {
	return fmt.Sprintf("arn:aws:iam::%s:mfa/%s", f.account, name)
}

func randomBase32(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

func apiError(code, msg string) error {
	return &smithy.GenericAPIError{Code: code, Message: msg}
}

func (f *fakeAWS) called(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c == op {
			n++
		}
	}
	return n
}

// begin records a call, checks the signer and returns the caller.
func (f *fakeAWS) begin(op string, c caller) (*fakeUser, error) {
	f.calls = append(f.calls, op)
	u, ok := f.users[c.keys.AccessKeyID]
	switch {
	case !ok:
		return nil, apiError("InvalidClientTokenId", "The security token included in the request is invalid.")
	case u.secret != c.keys.SecretAccessKey:
		return nil, apiError("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.")
	}
	if err := f.fail[op]; err != nil {
		return nil, err
	}
	return u, nil
}

func (f *fakeAWS) clients() Clients {
	return func(_ context.Context, keys aws.Credentials, region, _ string) (IAM, STS, error) {
		f.mu.Lock()
		f.regions = append(f.regions, region)
		f.mu.Unlock()
		c := caller{f: f, keys: keys}
		return c, c, nil
	}
}

// caller is the IAM and STS client of one set of keys.
type caller struct {
	f    *fakeAWS
	keys aws.Credentials
}

func (c caller) GetCallerIdentity(_ context.Context, _ *sts.GetCallerIdentityInput, _ ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	u, err := c.f.begin("GetCallerIdentity", c)
	if err != nil {
		return nil, err
	}
	return &sts.GetCallerIdentityOutput{
		Account: aws.String(c.f.account),
		Arn:     aws.String(fmt.Sprintf("arn:aws:iam::%s:user/team/%s", c.f.account, u.name)),
		UserId:  aws.String("AIDA" + strings.ToUpper(u.name)),
	}, nil
}

func (c caller) ListMFADevices(_ context.Context, in *iam.ListMFADevicesInput, _ ...func(*iam.Options)) (*iam.ListMFADevicesOutput, error) {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	if _, err := c.f.begin("ListMFADevices", c); err != nil {
		return nil, err
	}
	out := &iam.ListMFADevicesOutput{}
	for _, d := range c.f.devices {
		if d.enabled && d.user == aws.ToString(in.UserName) {
			out.MFADevices = append(out.MFADevices, iamtypes.MFADevice{SerialNumber: aws.String(d.serial), UserName: aws.String(d.user)})
		}
	}
	return out, nil
}

func (c caller) CreateVirtualMFADevice(_ context.Context, in *iam.CreateVirtualMFADeviceInput, _ ...func(*iam.Options)) (*iam.CreateVirtualMFADeviceOutput, error) {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	if _, err := c.f.begin("CreateVirtualMFADevice", c); err != nil {
		return nil, err
	}
	serial := c.f.serial(aws.ToString(in.VirtualMFADeviceName))
	if _, exists := c.f.devices[serial]; exists {
		return nil, apiError("EntityAlreadyExists", "MFADevice entity at the same path and name already exists.")
	}
	d := &fakeDevice{serial: serial, seed: randomBase32(40)}
	c.f.devices[serial] = d
	return &iam.CreateVirtualMFADeviceOutput{VirtualMFADevice: &iamtypes.VirtualMFADevice{
		SerialNumber:     aws.String(serial),
		Base32StringSeed: []byte(d.seed),
		QRCodePNG:        c.f.qrPNG,
	}}, nil
}

func (c caller) EnableMFADevice(_ context.Context, in *iam.EnableMFADeviceInput, _ ...func(*iam.Options)) (*iam.EnableMFADeviceOutput, error) {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	u, err := c.f.begin("EnableMFADevice", c)
	if err != nil {
		return nil, err
	}
	d, ok := c.f.devices[aws.ToString(in.SerialNumber)]
	if !ok || aws.ToString(in.UserName) != u.name {
		return nil, apiError("NoSuchEntity", "no such device for this user")
	}
	if d.enabled {
		return nil, apiError("EntityAlreadyExists", "Device "+d.serial+" already exists.")
	}
	now := c.f.clock.Now()
	for back := 0; back <= 2; back++ { // the second code may be from the window now or up to a minute before
		w := now.Add(-time.Duration(back) * totpStep)
		if aws.ToString(in.AuthenticationCode2) == totpAt(c.f.t, d.seed, w) &&
			aws.ToString(in.AuthenticationCode1) == totpAt(c.f.t, d.seed, w.Add(-totpStep)) {
			d.enabled, d.user = true, u.name
			c.f.use(d.serial, aws.ToString(in.AuthenticationCode1), aws.ToString(in.AuthenticationCode2))
			if c.f.resent["EnableMFADevice"] {
				return nil, apiError("EntityAlreadyExists", "Device "+d.serial+" already exists.")
			}
			return &iam.EnableMFADeviceOutput{}, nil
		}
	}
	return nil, apiError("InvalidAuthenticationCode", "Authentication code for device is not valid.")
}

func (c caller) DeleteVirtualMFADevice(_ context.Context, in *iam.DeleteVirtualMFADeviceInput, _ ...func(*iam.Options)) (*iam.DeleteVirtualMFADeviceOutput, error) {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	if _, err := c.f.begin("DeleteVirtualMFADevice", c); err != nil {
		return nil, err
	}
	d, ok := c.f.devices[aws.ToString(in.SerialNumber)]
	if !ok {
		return nil, apiError("NoSuchEntity", "VirtualMFADevice with serial number "+aws.ToString(in.SerialNumber)+" doesn't exist.")
	}
	if d.enabled {
		return nil, apiError("DeleteConflict", "MFA device is still in use.")
	}
	delete(c.f.devices, d.serial)
	return &iam.DeleteVirtualMFADeviceOutput{}, nil
}

func (c caller) GetSessionToken(_ context.Context, in *sts.GetSessionTokenInput, _ ...func(*sts.Options)) (*sts.GetSessionTokenOutput, error) {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	u, err := c.f.begin("GetSessionToken", c)
	if err != nil {
		return nil, err
	}
	denied := apiError("AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code.")
	d, ok := c.f.devices[aws.ToString(in.SerialNumber)]
	code := aws.ToString(in.TokenCode)
	if !ok || !d.enabled || d.user != u.name || c.f.usedCodes[d.serial][code] {
		return nil, denied
	}
	now := c.f.clock.Now()
	if code != totpAt(c.f.t, d.seed, now) && code != totpAt(c.f.t, d.seed, now.Add(-totpStep)) {
		return nil, denied
	}
	c.f.use(d.serial, code)
	if in.DurationSeconds != nil && *in.DurationSeconds != 900 {
		c.f.t.Errorf("GetSessionToken DurationSeconds = %d, want the shortest, 900", *in.DurationSeconds)
	}
	return &sts.GetSessionTokenOutput{Credentials: &ststypes.Credentials{
		AccessKeyId: aws.String("ASIAFAKE"), SecretAccessKey: aws.String("temp"), SessionToken: aws.String("token"),
		Expiration: aws.Time(now.Add(15 * time.Minute)),
	}}, nil
}

func (f *fakeAWS) use(serial string, codes ...string) {
	if f.usedCodes[serial] == nil {
		f.usedCodes[serial] = map[string]bool{}
	}
	for _, c := range codes {
		f.usedCodes[serial][c] = true
	}
}

// scriptedPrompter answers prompts in order; each answer checks the prompt's kind and wording
// (testkit.Prompter with T set).
type scriptedPrompter struct{ testkit.Prompter }

// answer is a prompt's kind (input, secret, select, confirm), what its wording must contain,
// and the reply.
type answer struct {
	kind, contains string
	reply          func(message string) (string, error)
}

// script is the answers for testkit.Prompter.
func script(answers []answer) []testkit.Answer {
	out := make([]testkit.Answer, len(answers))
	for i, a := range answers {
		out[i] = testkit.Answer{Kind: a.kind, Contains: a.contains, Reply: a.reply}
	}
	return out
}

func says(s string) func(string) (string, error) { return testkit.Says(s) }

func (p *scriptedPrompter) done() {
	p.T.Helper()
	p.Done(p.T)
}
