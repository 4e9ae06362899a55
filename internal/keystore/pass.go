package keystore

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// passStore keeps each item as the entry assume/PROFILE of the pass password store, encrypted with the store's GPG
// key. pass itself honours PASSWORD_STORE_DIR and GNUPGHOME; gpg-agent asks for the key's passphrase, if any.
type passStore struct{ getenv func(string) string }

// maxEntry caps what is read back from pass: an item is a few hundred bytes.
const maxEntry = 64 << 10

func entry(profile string) string { return Service + "/" + profile }

func (p passStore) run(ctx context.Context, stdin []byte, args ...string) ([]byte, error) {
	path, err := exec.LookPath("pass")
	if err != nil {
		return nil, &Error{Kind: Unavailable, Msg: "the pass backend needs the `pass` command, which is not installed; install it (Debian: apt-get install pass) or choose another with --keyring"}
	}
	cmd := exec.CommandContext(ctx, path, args...)
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	var out bytes.Buffer
	var errOut capped
	cmd.Stdout = &limited{w: &out, n: maxEntry}
	cmd.Stderr = &errOut
	err = cmd.Run()
	if err == nil {
		return out.Bytes(), nil
	}
	msg := errOut.String()
	switch {
	case strings.Contains(msg, "is not in the password store"):
		return nil, &Error{Kind: NotFound}
	case strings.Contains(msg, "pass init"):
		return nil, &Error{Kind: Unavailable, Msg: "the pass password store is not set up; run `pass init GPG-KEY-ID` first, or choose another keyring with --keyring"}
	case strings.Contains(msg, "decryption failed"), strings.Contains(msg, "No secret key"), strings.Contains(msg, "pinentry"):
		return nil, &Error{Kind: Unavailable, Msg: fmt.Sprintf("gpg could not decrypt the pass entry %s (%s); unlock your GPG key (gpg-agent) and try again", args[len(args)-1], oneLine(lastLine(msg)))}
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return nil, fmt.Errorf("pass %s failed (%s)", args[0], oneLine(cmp.Or(lastLine(msg), err.Error())))
}

func (p passStore) get(ctx context.Context, profile string) ([]byte, error) {
	return p.run(ctx, nil, "show", entry(profile))
}

func (p passStore) set(ctx context.Context, profile string, data []byte) error {
	_, err := p.run(ctx, append(data, '\n'), "insert", "--multiline", "--force", entry(profile))
	return err
}

func (p passStore) remove(ctx context.Context, profile string) error {
	_, err := p.run(ctx, nil, "rm", "--force", entry(profile))
	return err
}

// limited writes at most n bytes and then fails, so a runaway command cannot fill memory.
type limited struct {
	w io.Writer
	n int
}

func (l *limited) Write(b []byte) (int, error) {
	if len(b) > l.n {
		return 0, errors.New("output too long")
	}
	l.n -= len(b)
	return l.w.Write(b)
}

// capped keeps the first 4 KiB of a command's stderr, for classifying its failure.
type capped struct{ bytes.Buffer }

func (c *capped) Write(b []byte) (int, error) {
	if room := 4096 - c.Len(); room > 0 {
		c.Buffer.Write(b[:min(len(b), room)])
	}
	return len(b), nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
