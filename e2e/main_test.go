package e2e

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/testkit"
)

// suite is what TestMain prepares once for every test.
var suite struct {
	workDir string // temp folder for the whole run

	bin testkit.Binary // assume, built once

	moto    *emulator
	motoErr error // why moto_server is not running
}

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "assume-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	suite.workDir = dir
	defer os.RemoveAll(dir)

	suite.bin = testkit.BuildAssume(filepath.Join(dir, "bin"))

	if _, err := exec.LookPath("moto_server"); err != nil {
		suite.motoErr = errors.New("moto_server is not installed (pip package moto[server])")
	} else {
		suite.moto, suite.motoErr = startEmulator(filepath.Join(dir, "moto"))
	}
	if suite.moto != nil {
		defer suite.moto.stop()
	}

	code := m.Run()
	if code != 0 && suite.moto != nil {
		// The emulator's log explains some failures (a refused request, a Python traceback); its
		// lines for successful requests only hide them.
		if log, err := os.ReadFile(suite.moto.logPath); err == nil {
			fmt.Fprintf(os.Stderr, "--- moto_server log, without successful requests (%s) ---\n%s\n",
				suite.moto.logPath, tail(withoutSuccesses(string(log)), 8192))
		}
	}
	return code
}

// emulator is a moto_server process on 127.0.0.1.
type emulator struct {
	url           string
	logPath       string
	recordingPath string
	cmd           *exec.Cmd
	exited        chan struct{}
}

func startEmulator(dir string) (*emulator, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var lastErr error
	// A free port found by listening on :0 can be taken by someone else before moto binds it;
	// trying again with a new port covers that race.
	for attempt := 1; attempt <= 3; attempt++ {
		e, err := startEmulatorOnce(dir, attempt)
		if err == nil {
			return e, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

func startEmulatorOnce(dir string, attempt int) (*emulator, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	e := &emulator{
		url:           fmt.Sprintf("http://127.0.0.1:%d", port),
		logPath:       filepath.Join(dir, fmt.Sprintf("moto-%d.log", attempt)),
		recordingPath: filepath.Join(dir, "recording.jsonl"),
		exited:        make(chan struct{}),
	}
	logFile, err := os.Create(e.logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()

	e.cmd = exec.Command("moto_server", "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	e.cmd.Dir = dir
	e.cmd.Stdout = logFile
	e.cmd.Stderr = logFile
	// The recorder writes to a file named by this variable (default: moto_recording in the
	// working directory).
	e.cmd.Env = append(os.Environ(), "MOTO_RECORDER_FILEPATH="+e.recordingPath)
	testkit.OwnProcessGroup(e.cmd)
	if err := e.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start moto_server: %w", err)
	}
	go func() {
		_ = e.cmd.Wait()
		close(e.exited)
	}()

	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-e.exited:
			log, _ := os.ReadFile(e.logPath)
			return nil, fmt.Errorf("moto_server exited before answering on port %d:\n%s", port, tail(string(log), 2048))
		default:
		}
		resp, err := client.Get(e.url + "/moto-api/data.json")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return e, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	e.stop()
	log, _ := os.ReadFile(e.logPath)
	return nil, fmt.Errorf("moto_server did not answer on port %d within 90s:\n%s", port, tail(string(log), 2048))
}

// stop ends moto_server by its PID: SIGTERM, then SIGKILL if it lingers.
func (e *emulator) stop() {
	if e.cmd == nil || e.cmd.Process == nil {
		return
	}
	select {
	case <-e.exited:
		return
	default:
	}
	_ = e.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-e.exited:
	case <-time.After(5 * time.Second):
		_ = e.cmd.Process.Kill()
		<-e.exited
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

var successLine = regexp.MustCompile(`" [23]\d\d -?\s*$`)

func withoutSuccesses(log string) string {
	var kept []string
	for _, l := range strings.Split(log, "\n") {
		if !successLine.MatchString(l) {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// requireEmulator returns the running moto_server, or skips/fails as testkit.RequireTool does.
func requireEmulator(t testing.TB) *emulator {
	t.Helper()
	if suite.moto == nil {
		testkit.Missing(t, fmt.Sprintf("moto_server is not running: %v", suite.motoErr))
	}
	return suite.moto
}

// requireAssume returns the built binary. A build failure fails the test: the CLI is the thing
// under test, so its absence is never a reason to skip.
func requireAssume(t testing.TB) string {
	t.Helper()
	return suite.bin.Require(t)
}

// ctxFor bounds every command a test runs, so that an unexpected prompt cannot hang the suite.
func ctxFor(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}
