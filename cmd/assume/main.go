// Command assume exports AWS credentials for a profile, with MFA and cached
// sessions, for a shell to evaluate.
package main

import (
	"context"
	"os"

	"github.com/assume-cli/assume/internal/cli"
)

func main() {
	os.Exit(cli.Main(context.Background(), os.Args[1:], cli.SystemDeps()))
}
