package cli

import (
	"context"
	"os"
)

// RunProcess runs the whole program on this process's arguments, streams and environment and
// returns its exit code: what assume-full does, and what assume does on Windows, where it cannot
// hand a run over to assume-full.
func RunProcess() int {
	// The one change to the process environment. The AWS SDK's configuration
	// loader reads AWS_PROFILE from the process itself and fails when it names a
	// profile missing from the files it is given, and assume gives it none: the
	// profile is already resolved by name. A stale AWS_PROFILE (left by another
	// tool) must not break that, and assume never reads it, so it goes here,
	// before anything runs. A command run with -- never gets it either.
	os.Unsetenv("AWS_PROFILE")
	return Main(context.Background(), os.Args[1:], SystemDeps())
}
