package cli

import (
	"context"
	"errors"
)

// SetupOptions are the flags of `assume --setup PROFILE`.
type SetupOptions struct {
	Setup  bool   `help:"Guided set-up of PROFILE: access keys, region and the MFA device."`
	QRFile string `name:"qr-file" placeholder:"F" help:"With --setup, also save the MFA QR code as a PNG."`
}

func runSetup(ctx context.Context, o *Options, d Deps) error {
	return errors.New("--setup is not available yet")
}
