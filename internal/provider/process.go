package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/processcreds"

	"github.com/assume-cli/assume/internal/child"
	"github.com/assume-cli/assume/internal/deadline"
)

// MaxProcessOutput caps what is read from a credential_process: the JSON
// with a session token of a few KiB fits many times over.
const MaxProcessOutput = 1 << 20

// processProvider runs a credential_process and reads the credential JSON
// it prints, as the SDK's provider does, but through child.Output: with a
// deadline, a cap on its output, and its process group killed with it.
// Its stdin and stderr are assume's, so it can prompt on the terminal.
type processProvider struct {
	Command string
	Timeout time.Duration
}

// processError is a credential_process output that cannot be used, said
// without repeating the output (it may hold a secret).
type processError struct{ msg string }

func (e *processError) Error() string { return e.msg }

func (p *processProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	out, err := child.Output(ctx, child.Spec{
		Command: p.Command, What: "its credential_process",
		Timeout: p.Timeout, TimeoutVar: deadline.ProcessVar, MaxOutput: MaxProcessOutput,
		Stdin: os.Stdin, Stderr: os.Stderr,
	})
	if err != nil {
		return aws.Credentials{}, err
	}
	if runtime.GOOS == "windows" {
		// cmd /C escapes the quotes it passes through (as the SDK notes).
		out = bytes.ReplaceAll(out, []byte(`\"`), []byte(`"`))
	}
	var resp processcreds.CredentialProcessResponse // the credential JSON, Version 1
	if err := json.Unmarshal(out, &resp); err != nil {
		var (
			syntax *json.SyntaxError
			typ    *json.UnmarshalTypeError
			when   *time.ParseError
		)
		switch {
		case errors.As(err, &syntax):
			return aws.Credentials{}, &processError{`its credential_process printed something that is not JSON on stdout; it must print only {"Version": 1, "AccessKeyId": …, "SecretAccessKey": …}`}
		case errors.As(err, &typ):
			return aws.Credentials{}, &processError{fmt.Sprintf("its credential_process printed JSON whose %q field has the wrong type", typ.Field)}
		case errors.As(err, &when):
			return aws.Credentials{}, &processError{"its credential_process printed an Expiration that is not an RFC 3339 time"}
		}
		return aws.Credentials{}, &processError{"its credential_process printed output that is not the credential JSON"}
	}
	switch {
	case resp.Version != 1:
		return aws.Credentials{}, &processError{"its credential_process printed unusable credentials: wrong version in process output (not 1)"}
	case resp.AccessKeyID == "":
		return aws.Credentials{}, &processError{"its credential_process printed unusable credentials: missing AccessKeyId in process output"}
	case resp.SecretAccessKey == "":
		return aws.Credentials{}, &processError{"its credential_process printed unusable credentials: missing SecretAccessKey in process output"}
	}
	c := aws.Credentials{
		AccessKeyID: resp.AccessKeyID, SecretAccessKey: resp.SecretAccessKey,
		SessionToken: resp.SessionToken, AccountID: resp.AccountID, Source: "ProcessProvider",
	}
	if resp.Expiration != nil {
		c.CanExpire, c.Expires = true, *resp.Expiration
	}
	return c, nil
}
