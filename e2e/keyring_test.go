package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/testkit"
)

// Tests of long-term keys kept in a keyring instead of the credentials file: a real Secret Service (GNOME Keyring on
// a private D-Bus session bus), a real pass store with a throw-away GPG key, and the encrypted file.

// secretService starts a private session bus with an unlocked GNOME Keyring on it and returns the variables that
// point a program at it. Both daemons are stopped at the end of the test.
func secretService(t *testing.T, s *sandbox) map[string]string {
	t.Helper()
	dbusDaemon := testkit.RequireTool(t, "dbus-daemon")
	keyringDaemon := testkit.RequireTool(t, "gnome-keyring-daemon")
	testkit.RequireTool(t, "secret-tool")
	busDir, err := os.MkdirTemp("", "assume-bus-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(busDir) })
	address := "unix:path=" + filepath.Join(busDir, "bus")
	bus := exec.Command(dbusDaemon, "--session", "--nofork", "--nopidfile", "--address="+address)
	bus.Env = s.environ(nil)
	if err := bus.Start(); err != nil {
		t.Fatalf("start dbus-daemon: %v", err)
	}
	t.Cleanup(func() { _ = bus.Process.Kill(); _ = bus.Wait() })
	env := map[string]string{"DBUS_SESSION_BUS_ADDRESS": address}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(filepath.Join(busDir, "bus")); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("dbus-daemon made no socket within 10 s")
		}
	}
	// --unlock reads the login keyring's password on stdin, creating the keyring the first time.
	unlock := exec.CommandContext(ctxFor(t, 30*time.Second), keyringDaemon, "--unlock", "--components=secrets")
	unlock.Env = s.environ(env)
	unlock.Stdin = strings.NewReader("test-login-password")
	// The forked daemon keeps its output open: a file, not a pipe, so that nothing waits for it to close.
	logFile, err := os.Create(filepath.Join(busDir, "keyring.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	unlock.Stdout, unlock.Stderr = logFile, logFile
	if err := unlock.Run(); err != nil {
		t.Fatalf("gnome-keyring-daemon --unlock: %v", err)
	}
	// The daemon forks and stays; it leaves when its bus goes, and this makes sure it does.
	t.Cleanup(func() {
		if pid := daemonPID(s, env); pid != "" {
			_ = exec.Command("kill", pid).Run()
		}
	})
	return env
}

// daemonPID asks the private bus which process owns the Secret Service.
func daemonPID(s *sandbox, env map[string]string) string {
	cmd := exec.Command("dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
		"org.freedesktop.DBus.GetConnectionUnixProcessID", "string:org.freedesktop.secrets")
	cmd.Env = s.environ(env)
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	f := strings.Fields(string(out))
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// secretOf returns the JSON item assume stored in the Secret Service for profile, read with secret-tool.
func secretOf(t *testing.T, s *sandbox, env map[string]string, profile string) string {
	t.Helper()
	cmd := exec.CommandContext(ctxFor(t, 30*time.Second), "secret-tool", "lookup", "service", "assume", "username", profile)
	cmd.Env = s.environ(env)
	out, _ := cmd.Output()
	return string(out)
}

func TestSecretServiceSetupAndCachedRun(t *testing.T) {
	s := newSandbox(t)
	ss := secretService(t, s)
	u := createMFAUser(t, "kr")
	const profile = "kr"

	r := s.runWithStdin(t, ss, u.SecretAccessKey+"\n", "--setup", profile, "--access-key-id", u.AccessKeyID, "--secret-stdin",
		"--keyring", "secret-service", "-r", region, "--mfa-serial", u.MFASerial, "-m", u.code(t))
	if r.ExitCode != 0 || r.Stdout != "" {
		t.Fatalf("--setup --keyring secret-service:\n%s", r)
	}
	if strings.Contains(r.Stderr, u.SecretAccessKey) {
		t.Fatal("--setup wrote the secret access key on stderr")
	}
	if !strings.Contains(r.Stderr, "stored the access key "+u.AccessKeyID+" in the Secret Service keyring") {
		t.Errorf("--setup did not say where the key went:\n%s", r.Stderr)
	}
	creds := readText(t, s.credsFile)
	if strings.Contains(creds, u.SecretAccessKey) || strings.Contains(creds, u.AccessKeyID) {
		t.Fatalf("the credentials file holds the key:\n%s", creds)
	}
	cfg := readText(t, s.configFile)
	if !strings.Contains(cfg, "keyring = secret-service\n") || !strings.Contains(cfg, "keyring_access_key_id = "+u.AccessKeyID+"\n") || strings.Contains(cfg, u.SecretAccessKey) {
		t.Fatalf("config file:\n%s", cfg)
	}
	if item := secretOf(t, s, ss, profile); !strings.Contains(item, u.SecretAccessKey) || !strings.Contains(item, u.AccessKeyID) {
		t.Fatalf("the Secret Service holds no item with the key for %s (secret-tool printed %d bytes)", profile, len(item))
	}

	// -l shows where the key is, without opening the keyring (no bus at all).
	noBus := map[string]string{"DBUS_SESSION_BUS_ADDRESS": "unix:path=" + filepath.Join(s.dir, "no-bus")}
	r = s.assume(t, noBus, "-l")
	if r.ExitCode != 0 || !strings.Contains(r.Stdout, "keyring secret-service") {
		t.Fatalf("-l:\n%s", r)
	}

	// The first run signs GetSessionToken with the key from the keyring.
	rec := startRecording(t)
	r = s.assume(t, ss, profile, "--format", "json", "-m", u.code(t))
	if r.ExitCode != 0 {
		t.Fatalf("assume %s:\n%s", profile, r)
	}
	calls := credentialCalls(rec.stsCalls(t))
	if len(calls) != 1 || calls[0].Action != "GetSessionToken" || calls[0].SigningKeyID != u.AccessKeyID || calls[0].SerialNumber != u.MFASerial {
		t.Fatalf("STS calls = %v, want one GetSessionToken signed by %s", calls, u.AccessKeyID)
	}
	var first map[string]any
	if err := json.Unmarshal([]byte(r.Stdout), &first); err != nil || first["SessionToken"] == nil || first["AccessKeyId"] == u.AccessKeyID {
		t.Fatalf("json: %v\n%s", err, r.Stdout)
	}

	// The second run is a cache hit: with the Secret Service out of reach it still works, and calls nobody.
	r = s.assume(t, noBus, profile, "--format", "json")
	if r.ExitCode != 0 || !strings.Contains(r.Stderr, "cached") {
		t.Fatalf("cached run without a keyring:\n%s", r)
	}
	if again := credentialCalls(rec.stsCalls(t)); len(again) != len(calls) {
		t.Fatalf("cached run made STS calls: %v", again[len(calls):])
	}
	// ...and the keyring really was needed for anything more: --refresh without it fails in one sentence.
	r = s.assume(t, noBus, profile, "--format", "json", "--refresh", "-m", u.code(t))
	checkOneLineError(t, r, 1, u.SecretAccessKey)
	if !strings.Contains(r.Stderr, "Secret Service") {
		t.Errorf("no-keyring error does not name the keyring: %s", r.Stderr)
	}
}

func TestPassKeyringMoveInAndOut(t *testing.T) {
	testkit.RequireTool(t, "pass")
	gpg := testkit.RequireTool(t, "gpg")
	s := newSandbox(t)
	gnupg, err := os.MkdirTemp("", "assume-gpg-") // short: gpg-agent's socket path has a length limit
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = exec.Command("gpgconf", "--homedir", gnupg, "--kill", "gpg-agent").Run()
		os.RemoveAll(gnupg)
	})
	env := map[string]string{"GNUPGHOME": gnupg, "PASSWORD_STORE_DIR": filepath.Join(s.dir, "password-store")}
	run := func(name string, args ...string) {
		t.Helper()
		cmd := exec.CommandContext(ctxFor(t, time.Minute), name, args...)
		cmd.Env = s.environ(env)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
	}
	run(gpg, "--batch", "--passphrase", "", "--quick-gen-key", "assume-test@example.com", "default", "default", "never")
	run("pass", "init", "assume-test@example.com")

	u := createUser(t, "krpass")
	var p profileSet
	p.addUser("pp", u, false)
	s.writeProfiles(t, &p)

	r := s.assume(t, env, "pp", "--to-keyring", "--keyring", "pass")
	if r.ExitCode != 0 || r.Stdout != "" || strings.Contains(r.Stderr, u.SecretAccessKey) {
		t.Fatalf("--to-keyring --keyring pass:\n%s", r)
	}
	if creds := readText(t, s.credsFile); strings.Contains(creds, u.SecretAccessKey) {
		t.Fatalf("the credentials file still holds the secret:\n%s", creds)
	}
	show := exec.CommandContext(ctxFor(t, time.Minute), "pass", "show", "assume/pp")
	show.Env = s.environ(env)
	if out, err := show.Output(); err != nil || !strings.Contains(string(out), u.SecretAccessKey) {
		t.Fatalf("pass show assume/pp: %v", err)
	}

	// A static profile's keys are exported as they are, read from pass on every run.
	r = s.assume(t, env, "pp", "--format", "json")
	if r.ExitCode != 0 || !strings.Contains(r.Stdout, `"SecretAccessKey":"`+u.SecretAccessKey+`"`) {
		t.Fatalf("assume pp from pass:\n%s", r)
	}

	// The way back out.
	r = s.assume(t, env, "pp", "--to-file")
	if r.ExitCode != 0 {
		t.Fatalf("--to-file:\n%s", r)
	}
	creds := readText(t, s.credsFile)
	if !strings.Contains(creds, "aws_secret_access_key = "+u.SecretAccessKey) || strings.Contains(readText(t, s.configFile), "keyring") {
		t.Fatalf("after --to-file:\ncredentials:\n%s\nconfig:\n%s", creds, readText(t, s.configFile))
	}
	show = exec.CommandContext(ctxFor(t, time.Minute), "pass", "show", "assume/pp")
	show.Env = s.environ(env)
	if err := show.Run(); err == nil {
		t.Fatal("the pass entry is still there after --to-file")
	}
}

// The migration keeps every byte of a busy credentials file but the two moved lines, and the encrypted file backend
// opens only with the right passphrase.
func TestMigrationToEncryptedFile(t *testing.T) {
	s := newSandbox(t)
	u := createUser(t, "krfile")
	other := createUser(t, "krother")
	before := "# credentials of the team\r\n" +
		"[default]\n" +
		"aws_access_key_id = " + other.AccessKeyID + "\n" +
		"aws_secret_access_key = " + other.SecretAccessKey + "\n" +
		"\n" +
		"; the key to move, rotated last month\n" +
		"[work]   # IAM user\n" +
		"region = " + region + "\n" +
		"aws_access_key_id=" + u.AccessKeyID + " ; inline comment\n" +
		"# between the two lines\n" +
		"aws_secret_access_key   =   " + u.SecretAccessKey + "\n" +
		"output = json\n" +
		"\n" +
		"[temp]\n" +
		"aws_access_key_id = ASIATEMPORARY0000001\n" +
		"aws_secret_access_key = temporary\n" +
		"aws_session_token = token\n" +
		"# no newline at the end"
	s.writeFiles(t, "# config\n[profile work]\nregion = "+region+"\n", before)
	if err := os.Chmod(s.credsFile, 0o640); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(s.dir, "keyring-files")
	env := map[string]string{"ASSUME_KEYRING_DIR": dir, "ASSUME_KEYRING_PASSPHRASE": "right horse battery"}

	// Temporary credentials are refused, and nothing changes.
	r := s.assume(t, env, "temp", "--to-keyring", "--keyring", "file")
	checkOneLineError(t, r, 1)
	if readText(t, s.credsFile) != before {
		t.Fatal("a refused move changed the credentials file")
	}

	rec := startRecording(t)
	r = s.assume(t, env, "work", "--to-keyring", "--keyring", "file")
	if r.ExitCode != 0 || r.Stdout != "" || strings.Contains(r.Stderr, u.SecretAccessKey) {
		t.Fatalf("--to-keyring --keyring file:\n%s", r)
	}
	calls := rec.stsCalls(t)
	if len(calls) != 1 || calls[0].Action != "GetCallerIdentity" || calls[0].SigningKeyID != u.AccessKeyID {
		t.Fatalf("STS calls = %v, want GetCallerIdentity signed by the key being moved", calls)
	}
	after := readText(t, s.credsFile)
	want := strings.Replace(before, "aws_access_key_id="+u.AccessKeyID+" ; inline comment\n", "", 1)
	want = strings.Replace(want, "aws_secret_access_key   =   "+u.SecretAccessKey+"\n", "", 1)
	if after != want {
		t.Fatalf("credentials file after the move:\n%q\nwant (the original without the two lines):\n%q", after, want)
	}
	checkMode(t, s.credsFile, 0o640)
	checkMode(t, dir, 0o700)
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("keyring folder holds %d files, want 1", len(entries))
	}
	item := filepath.Join(dir, entries[0].Name())
	checkMode(t, item, 0o600)
	if raw := readText(t, item); strings.Contains(raw, u.SecretAccessKey) || strings.Contains(raw, u.AccessKeyID) {
		t.Fatal("the encrypted file holds the key in the clear")
	}
	if cfg := readText(t, s.configFile); !strings.Contains(cfg, "keyring = file\nkeyring_access_key_id = "+u.AccessKeyID+"\n") {
		t.Fatalf("config file:\n%s", cfg)
	}

	// A wrong passphrase: one sentence, nothing on stdout, no secret.
	r = s.assume(t, map[string]string{"ASSUME_KEYRING_DIR": dir, "ASSUME_KEYRING_PASSPHRASE": "wrong"}, "work", "--format", "json")
	checkOneLineError(t, r, 1, u.SecretAccessKey)
	if !strings.Contains(r.Stderr, "passphrase does not open") {
		t.Errorf("wrong passphrase: %s", r.Stderr)
	}
	// No passphrase and no terminal: says which variable to set.
	r = s.assume(t, map[string]string{"ASSUME_KEYRING_DIR": dir}, "work", "--format", "json")
	checkOneLineError(t, r, 1, u.SecretAccessKey)
	if !strings.Contains(r.Stderr, "ASSUME_KEYRING_PASSPHRASE") {
		t.Errorf("no passphrase: %s", r.Stderr)
	}
	// The right one: the keys work with the AWS CLI's own check.
	r = s.assume(t, env, "work", "--format", "json")
	if r.ExitCode != 0 || !strings.Contains(r.Stdout, `"AccessKeyId":"`+u.AccessKeyID+`"`) || !strings.Contains(r.Stdout, `"SecretAccessKey":"`+u.SecretAccessKey+`"`) {
		t.Fatalf("right passphrase:\n%s", r)
	}
	// An item that is missing names the command that stores it.
	if err := os.Remove(item); err != nil {
		t.Fatal(err)
	}
	r = s.assume(t, env, "work", "--format", "json")
	checkOneLineError(t, r, 1)
	if !strings.Contains(r.Stderr, "--to-keyring") || !strings.Contains(r.Stderr, "--setup work --keyring file") {
		t.Errorf("missing item: %s", r.Stderr)
	}
}
