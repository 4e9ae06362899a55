package keystore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	gokeyring "github.com/zalando/go-keyring"
)

// osKeyring is the operating system's own keyring: the macOS Keychain (through /usr/bin/security, so it works in
// builds without cgo), the Windows Credential Manager, or the Secret Service's default collection over D-Bus. Each
// item is service "assume", account PROFILE.
type osKeyring struct {
	// getenv, for the Secret Service only: it must find a running session bus, because the D-Bus library would
	// otherwise start one of its own (dbus-launch), which outlives assume.
	getenv func(string) string
}

func (k osKeyring) checkBus() error {
	if k.getenv == nil {
		return nil
	}
	if a := k.getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return nil
	}
	runtimeDir := k.getenv("XDG_RUNTIME_DIR")
	if runtimeDir == "" {
		runtimeDir = fmt.Sprintf("/run/user/%d", os.Getuid())
	}
	if _, err := os.Stat(filepath.Join(runtimeDir, "bus")); err == nil {
		return nil
	}
	return &Error{Kind: Unavailable, Msg: "the Secret Service keyring needs a D-Bus session, and none is running (DBUS_SESSION_BUS_ADDRESS is not set); log in to a desktop session, or choose pass or file with --keyring"}
}

func (k osKeyring) get(_ context.Context, profile string) ([]byte, error) {
	if err := k.checkBus(); err != nil {
		return nil, err
	}
	s, err := gokeyring.Get(Service, profile)
	if errors.Is(err, gokeyring.ErrNotFound) {
		return nil, &Error{Kind: NotFound}
	}
	return []byte(s), err
}

func (k osKeyring) set(_ context.Context, profile string, data []byte) error {
	if err := k.checkBus(); err != nil {
		return err
	}
	return gokeyring.Set(Service, profile, string(data))
}

func (k osKeyring) remove(_ context.Context, profile string) error {
	if err := k.checkBus(); err != nil {
		return err
	}
	err := gokeyring.Delete(Service, profile)
	if errors.Is(err, gokeyring.ErrNotFound) {
		return &Error{Kind: NotFound}
	}
	return err
}
