// Command assume-full is the whole of assume: it exports AWS credentials for a profile, with
// MFA and cached sessions, for a shell to evaluate. The small assume program answers the
// everyday runs that need neither the network nor the AWS SDK itself and hands every other run
// to this one, unchanged.
package main

import (
	"os"

	"github.com/assume-cli/assume/internal/cli"
)

func main() {
	os.Exit(cli.RunProcess())
}
