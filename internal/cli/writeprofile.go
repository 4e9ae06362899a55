package cli

import (
	"fmt"
	"time"

	"github.com/assume-cli/assume/internal/awsfile"
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

// writeProfile puts the credentials under [name] in the shared credentials
// file, as aws-mfa does, refusing to replace long-term keys.
func writeProfile(path, name string, c render.Credentials) error {
	if c.SessionToken == "" {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("--write-profile writes temporary credentials, and profile %q gives long-term keys; use it directly instead", c.Profile)}
	}
	kv := []awsfile.KV{
		{Key: "aws_access_key_id", Value: c.AccessKeyID},
		{Key: "aws_secret_access_key", Value: c.SecretAccessKey},
		{Key: "aws_session_token", Value: c.SessionToken},
		{Key: "expiration", Value: c.Expires.UTC().Format(time.RFC3339)},
	}
	err := awsfile.SetKeys(path, name, kv, func(current map[string]string) error {
		if current != nil && current["aws_access_key_id"] != "" && current["aws_session_token"] == "" {
			return fmt.Errorf("[%s] in %s holds long-term keys, which --write-profile will not overwrite; choose another name", name, path)
		}
		return nil
	})
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: err}
	}
	return nil
}
