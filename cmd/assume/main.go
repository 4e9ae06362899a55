// Command assume exports AWS credentials for a profile, with MFA and cached
// sessions, for a shell to evaluate.
package main

import (
	"context"
	"os"

	"github.com/assume-cli/assume/internal/cli"
)

func main() {
	// The one change to the process environment. The AWS SDK's configuration
	// loader reads AWS_PROFILE from the process itself and fails when it names a
	// profile missing from the files it is given, and assume gives it none: the
	// profile is already resolved by name. A stale AWS_PROFILE (left by another
	// tool) must not break that, and assume never reads it, so it goes here,
	// before anything runs. A command run with -- never gets it either.
	os.Unsetenv("AWS_PROFILE")
	os.Exit(cli.Main(context.Background(), os.Args[1:], cli.SystemDeps()))
}
