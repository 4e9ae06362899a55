// Package render turns credentials into text for each output format: shell
// statements to eval (bash, zsh, fish, PowerShell, POSIX sh), a dotenv file,
// and JSON.
//
// Every renderer builds its whole output in memory first, so a caller's
// writer receives either the complete text or nothing at all. Errors never
// quote a value, only variable names, because values are secrets.
package render

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Credentials is what gets exported.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string    // empty for long-term keys
	Expires         time.Time // zero for long-term keys
	Region          string    // empty when unknown
	Profile         string
}

// Var is one environment variable to set.
type Var struct{ Name, Value string }

// Env lists variables to set, in order, and names to remove.
type Env struct {
	Set   []Var
	Unset []string
}

// Format names an output format.
type Format string

// The output formats. Each constant is typed so that all of them, not only
// the first, are Formats.
const (
	Bash              Format = "bash"
	Zsh               Format = "zsh"
	Fish              Format = "fish"
	PowerShell        Format = "powershell"
	Sh                Format = "sh" // any POSIX shell: dash, busybox sh, ksh, mksh
	Dotenv            Format = "dotenv"
	JSON              Format = "json"
	CredentialProcess Format = "credential-process"
)

var allFormats = []Format{Bash, Zsh, Fish, PowerShell, Sh, Dotenv, JSON, CredentialProcess}

// Formats returns the format names, for help and completion. Other names of
// a shell (such as pwsh) belong to package shell, which knows the shells.
func Formats() []string {
	names := make([]string, len(allFormats))
	for i, f := range allFormats {
		names[i] = string(f)
	}
	return names
}

// ParseFormat returns the format named s, by its own name only.
func ParseFormat(s string) (Format, error) {
	for _, f := range allFormats {
		if string(f) == s {
			return f, nil
		}
	}
	return "", fmt.Errorf("unknown format %q: use one of %s", s, strings.Join(Formats(), ", "))
}

// IsShell reports whether f is a shell whose output is meant to be evaluated.
func (f Format) IsShell() bool {
	switch f {
	case Bash, Zsh, Fish, PowerShell, Sh:
		return true
	}
	return false
}

// Names of the variables assume manages.
const (
	varAccessKeyID     = "AWS_ACCESS_KEY_ID"
	varSecretAccessKey = "AWS_SECRET_ACCESS_KEY"
	varSessionToken    = "AWS_SESSION_TOKEN"
	varSecurityToken   = "AWS_SECURITY_TOKEN"
	varExpiration      = "AWS_CREDENTIAL_EXPIRATION"
	varRegion          = "AWS_REGION"
	varDefaultRegion   = "AWS_DEFAULT_REGION"
	varAssumeProfile   = "ASSUME_PROFILE"
	varAwsumeProfile   = "AWSUME_PROFILE"
	varProfile         = "AWS_PROFILE"
	varDefaultProfile  = "AWS_DEFAULT_PROFILE"
	varVault           = "AWS_VAULT"
	varAwsuProfile     = "AWSU_PROFILE"
	varSSOProfile      = "AWS_SSO_PROFILE"
)

// formatExpiration writes an expiry as RFC 3339 in UTC, as the AWS tools expect.
func formatExpiration(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

// EnvFor returns the variables to set and remove for c, following the
// "Variables" section of docs/cli.md.
func EnvFor(c Credentials) Env {
	var e Env
	e.Set = append(e.Set,
		Var{varAccessKeyID, c.AccessKeyID},
		Var{varSecretAccessKey, c.SecretAccessKey})
	if c.SessionToken != "" {
		e.Set = append(e.Set, Var{varSessionToken, c.SessionToken})
	} else {
		e.Unset = append(e.Unset, varSessionToken)
	}
	// AWS_SECURITY_TOKEN is the legacy name of the session token; a stale one
	// would be sent alongside the new keys by old SDKs, so it always goes.
	e.Unset = append(e.Unset, varSecurityToken)
	if !c.Expires.IsZero() {
		e.Set = append(e.Set, Var{varExpiration, formatExpiration(c.Expires)})
	} else {
		e.Unset = append(e.Unset, varExpiration)
	}
	// An unknown region leaves whatever the user chose in place.
	if c.Region != "" {
		e.Set = append(e.Set, Var{varRegion, c.Region}, Var{varDefaultRegion, c.Region})
	}
	// AWSUME_PROFILE is AWSume's variable, which prompts such as starship and
	// powerlevel10k already read for the profile's name.
	e.Set = append(e.Set, Var{varAssumeProfile, c.Profile}, Var{varAwsumeProfile, c.Profile})
	// A profile variable next to exported keys would make tools mix the two;
	// other tools' profile variables left from before would make a prompt
	// show the wrong account.
	e.Unset = append(e.Unset, varProfile, varDefaultProfile, varVault, varAwsuProfile, varSSOProfile)
	return e
}

// UnsetEnv is the --unset output: every variable an export sets or removes
// (docs/cli.md "Variables"), so the shell ends as if assume had never run there,
// with neither keys nor a profile variable left to mix.
func UnsetEnv() Env {
	return Env{Unset: []string{
		varAccessKeyID, varSecretAccessKey, varSessionToken, varSecurityToken,
		varExpiration, varRegion, varDefaultRegion, varAssumeProfile, varAwsumeProfile,
		varProfile, varDefaultProfile, varVault, varAwsuProfile, varSSOProfile,
	}}
}

// Export writes c in format f. Shell formats and dotenv render EnvFor(c);
// json and credential-process render c itself.
func Export(w io.Writer, f Format, c Credentials) error {
	if c.AccessKeyID == "" || c.SecretAccessKey == "" {
		return errors.New("render: credentials lack an access key ID or secret access key")
	}
	switch f {
	case JSON:
		return writeOut(w, func(b *bytes.Buffer) error { return writeJSON(b, c) })
	case CredentialProcess:
		return writeOut(w, func(b *bytes.Buffer) error { return writeCredentialProcess(b, c) })
	}
	return WriteEnv(w, f, EnvFor(c))
}

// Unset writes the statements clearing UnsetEnv(). Formats that cannot
// remove a variable (json, dotenv, credential-process) are an error.
func Unset(w io.Writer, f Format) error {
	if !f.IsShell() {
		return fmt.Errorf("render: format %s cannot unset variables; use a shell format", formatName(f))
	}
	return WriteEnv(w, f, UnsetEnv())
}

// WriteEnv renders env for a shell format, or for dotenv, which can only
// assign: there the Unset names are left out.
func WriteEnv(w io.Writer, f Format, env Env) error {
	r, ok := envRenderers[f]
	if !ok {
		return fmt.Errorf("render: format %s cannot express environment variables", formatName(f))
	}
	return writeOut(w, func(b *bytes.Buffer) error {
		for _, v := range env.Set {
			if err := checkName(v.Name); err != nil {
				return err
			}
			if strings.IndexByte(v.Value, 0) >= 0 {
				return fmt.Errorf("render: the value of %s contains a NUL byte, which no environment variable can hold", v.Name)
			}
			if err := r.export(b, v.Name, v.Value); err != nil {
				return err
			}
		}
		for _, name := range env.Unset {
			if err := checkName(name); err != nil {
				return err
			}
			r.unset(b, name)
		}
		return nil
	})
}

// envRenderer writes one statement per call, each ending in a newline.
// export may fail only for a value the format cannot represent.
type envRenderer interface {
	export(b *bytes.Buffer, name, value string) error
	unset(b *bytes.Buffer, name string)
}

var envRenderers = map[Format]envRenderer{
	Bash:       bashShell{},
	Zsh:        zshShell{},
	Fish:       fishShell{},
	PowerShell: powerShell{},
	Sh:         shShell{},
	Dotenv:     dotenvFile{},
}

// writeOut renders into a buffer and writes it only when rendering succeeded,
// so that a failure never leaves half a script on w.
func writeOut(w io.Writer, render func(*bytes.Buffer) error) error {
	var b bytes.Buffer
	if err := render(&b); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// checkName accepts only names every format can spell without quoting:
// ^[A-Za-z_][A-Za-z0-9_]*$. The name is printed in errors with %q so that a
// hostile name cannot inject text into the message.
func checkName(name string) error {
	ok := name != ""
	for i := 0; ok && i < len(name); i++ {
		c := name[i]
		ok = c == '_' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || i > 0 && '0' <= c && c <= '9'
	}
	if !ok {
		return fmt.Errorf("render: invalid variable name %q", name)
	}
	return nil
}

// formatName shows a format in an error message; it may be anything a caller
// passed, so it is quoted.
func formatName(f Format) string {
	return fmt.Sprintf("%q", string(f))
}

// isPlain reports whether s consists only of characters that need no quoting
// in any format: [A-Za-z0-9+/=._:@,-]. Access keys, secret keys, session
// tokens (base64), regions, expiry times and most profile names are plain.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case strings.IndexByte("+/=._:@,-", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// hexDigits spells bytes in escapes.
const hexDigits = "0123456789abcdef"
