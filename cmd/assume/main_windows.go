//go:build windows

// Command assume exports AWS credentials for a profile, with MFA and cached sessions, for a
// shell to evaluate.
//
// Windows has no exec to hand a run over to assume-full without a child process in between, so
// there assume is the whole program itself, as assume-full is.
package main

import (
	"os"

	"github.com/assume-cli/assume/internal/cli"
)

func main() {
	os.Exit(cli.RunProcess())
}
