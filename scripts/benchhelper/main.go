// Command benchhelper does the two things scripts/bench.sh cannot do in bash alone.
//
//	benchhelper seed -key ID -secret S [-mfa-serial ARN -code C] -role ARN -- COMMAND [ARG...]
//
// starts the in-process fake STS (internal/fakests) knowing one IAM user and one role, runs COMMAND
// with AWS_ENDPOINT_URL_STS pointing at it, and checks that COMMAND succeeded after calling
// AssumeRole. Run as `assume ROLE --format bash`, it fills assume's cache the way a real first run
// does, so the timed runs that follow are true cache hits.
//
//	benchhelper maxrss -n N -- COMMAND [ARG...]
//
// runs COMMAND N times (stdout and stderr discarded) and prints the largest peak resident set size
// of the runs, in KiB, as the kernel reports it to wait4. It is an upper bound: Go starts a child
// with vfork, so until it execs the child counts this helper's own memory (about 7 MiB), which the
// kernel keeps as the child's high-water mark. scripts/bench.sh prefers GNU time when it is there.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"

	"github.com/assume-cli/assume/internal/fakests"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "seed":
		err = seed(os.Args[2:])
	case "maxrss":
		err = maxRSS(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchhelper:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: benchhelper seed -key ID -secret S [-mfa-serial ARN -code C] -role ARN -- COMMAND [ARG...]\n       benchhelper maxrss -n N -- COMMAND [ARG...]")
	os.Exit(2)
}

// command splits the arguments after "--"; flag parsing stops there.
func command(fs *flag.FlagSet, args []string) ([]string, error) {
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return nil, errors.New("no command given after --")
	}
	return rest, nil
}

func seed(args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	key := fs.String("key", "", "the user's access key ID")
	secret := fs.String("secret", "", "the user's secret access key")
	serial := fs.String("mfa-serial", "", "the user's MFA device (empty: none)")
	code := fs.String("code", "", "the code the device shows")
	role := fs.String("role", "", "the role's ARN")
	cmdArgs, err := command(fs, args)
	if err != nil {
		return err
	}
	if *key == "" || *secret == "" || *role == "" {
		return errors.New("seed needs -key, -secret and -role")
	}
	sts := fakests.New(
		[]fakests.User{{Name: "bench", AccessKeyID: *key, SecretAccessKey: *secret, MFASerial: *serial, Code: *code}},
		[]fakests.Role{{ARN: *role, RequireMFA: *serial != ""}},
	)
	defer sts.Close()

	cmd := exec.Command(cmdArgs[0], cmdArgs[1:]...)
	cmd.Env = append(os.Environ(), "AWS_ENDPOINT_URL_STS="+sts.URL)
	cmd.Stderr = os.Stderr // assume's notice; stdout holds credentials and is dropped
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("seeding run %v: %w", cmdArgs, err)
	}
	if n := sts.CallCount("AssumeRole"); n != 1 {
		return fmt.Errorf("seeding run made %d AssumeRole calls, want 1: nothing new was cached", n)
	}
	return nil
}

func maxRSS(args []string) error {
	fs := flag.NewFlagSet("maxrss", flag.ContinueOnError)
	runs := fs.Int("n", 5, "how many runs")
	cmdArgs, err := command(fs, args)
	if err != nil {
		return err
	}
	var peak int64
	for range *runs {
		var stderr bytes.Buffer
		cmd := exec.Command(cmdArgs[0], cmdArgs[1:]...)
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%v: %w\n%s", cmdArgs, err, stderr.Bytes())
		}
		kib, err := peakKiB(cmd.ProcessState)
		if err != nil {
			return err
		}
		peak = max(peak, kib)
	}
	fmt.Println(peak)
	return nil
}
