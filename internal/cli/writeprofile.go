package cli

import (
	"errors"
	"fmt"
	"time"

	"github.com/assume-cli/assume/internal/atomicfile"
	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/deadline"
	"github.com/assume-cli/assume/internal/display"
	"github.com/assume-cli/assume/internal/render"
)

// checkWrittenName refuses a profile name assume would write into a file (with
// --write-profile or --setup) when it holds a character that does not show as
// itself (a control character, an escape sequence, a bidirectional override,
// a byte that is not UTF-8): the name would stay in the file and reach every
// tool that lists profiles.
func checkWrittenName(flag, name string) error {
	if display.Safe(name) != name {
		return usageErr("the profile name %s for %s holds control characters or other characters that do not print; choose a name of printable characters", display.Quote(name), flag)
	}
	return nil
}

// writeProfile puts the credentials under [name] in the shared credentials file, as aws-mfa does, refusing to
// replace or hide long-term keys: those in any [name] section of the credentials file, and those of the config
// file's [profile name], which a [name] section in the credentials file would shadow.
func writeProfile(d Deps, pth awsfile.Paths, name string, c render.Credentials) error {
	if c.SessionToken == "" {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("--write-profile writes temporary credentials, and profile %q gives long-term keys; use it directly instead", c.Profile)}
	}
	wait, err := lockWait(d, pth.Credentials)
	if err != nil {
		return err
	}
	if err := configKeysGuard(pth.Config, name); err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	kv := []awsfile.KV{
		{Key: "aws_access_key_id", Value: c.AccessKeyID},
		{Key: "aws_secret_access_key", Value: c.SecretAccessKey},
		{Key: "aws_session_token", Value: c.SessionToken},
		{Key: "expiration", Value: c.Expires.UTC().Format(time.RFC3339)},
	}
	err = awsfile.SetKeysWith(pth.Credentials, name, kv, func(occurrences []map[string]string) error {
		// Each occurrence on its own: a second [name] with a leftover token must not make the first one's
		// long-term keys look like a session.
		for _, s := range occurrences {
			if longTermKeys(s) {
				return fmt.Errorf("[%s] in %s holds long-term keys, which --write-profile will not overwrite; choose another name", name, pth.Credentials)
			}
		}
		return nil
	}, wait)
	var timeout *atomicfile.LockTimeoutError
	if errors.As(err, &timeout) {
		err = fmt.Errorf("gave up after %s waiting for another assume to finish writing %s; try again when it is done (%s waits longer)",
			waitDuration(timeout.Timeout), pth.Credentials, deadline.LockVar)
	}
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	return nil
}

// configKeysGuard refuses a name whose config-file profile holds long-term keys: the SDKs read keys from the
// credentials file first, so a session written there would hide them, and the profile would stop being what it was.
func configKeysGuard(config, name string) error {
	sections := []string{"profile " + name}
	if name == "default" {
		sections = append(sections, "default")
	}
	for _, section := range sections {
		occurrences, err := awsfile.SectionSettings(config, section)
		if err != nil {
			return err
		}
		for _, s := range occurrences {
			if longTermKeys(s) {
				return fmt.Errorf("[%s] in %s holds long-term keys, which a session written to [%s] in the credentials file would hide; choose another name for --write-profile", section, config, name)
			}
		}
	}
	return nil
}

// longTermKeys reports settings with an access key and no session token.
func longTermKeys(s map[string]string) bool {
	return (s["aws_access_key_id"] != "" || s["aws_secret_access_key"] != "") && s["aws_session_token"] == "" && s["aws_security_token"] == ""
}
