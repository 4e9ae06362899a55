package keystore

import (
	"context"
	"errors"

	gokeyring "github.com/zalando/go-keyring"
)

// osKeyring is the operating system's own keyring: the macOS Keychain (through /usr/bin/security, so it works in
// builds without cgo), the Windows Credential Manager, or the Secret Service's default collection over D-Bus. Each
// item is service "assume", account PROFILE.
type osKeyring struct{}

func (osKeyring) get(_ context.Context, profile string) ([]byte, error) {
	s, err := gokeyring.Get(Service, profile)
	if errors.Is(err, gokeyring.ErrNotFound) {
		return nil, &Error{Kind: NotFound}
	}
	return []byte(s), err
}

func (osKeyring) set(_ context.Context, profile string, data []byte) error {
	return gokeyring.Set(Service, profile, string(data))
}

func (osKeyring) remove(_ context.Context, profile string) error {
	err := gokeyring.Delete(Service, profile)
	if errors.Is(err, gokeyring.ErrNotFound) {
		return &Error{Kind: NotFound}
	}
	return err
}
