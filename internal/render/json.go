package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// jsonCredentials is the --format json object. Empty fields are left out.
type jsonCredentials struct {
	Profile         string `json:",omitempty"`
	AccessKeyID     string `json:"AccessKeyId,omitempty"`
	SecretAccessKey string `json:",omitempty"`
	SessionToken    string `json:",omitempty"`
	Expiration      string `json:",omitempty"`
	Region          string `json:",omitempty"`
}

// credentialProcess is the output the AWS SDKs and CLI expect from a
// credential_process command. Version must be 1.
type credentialProcess struct {
	Version         int
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string
	SessionToken    string `json:",omitempty"`
	Expiration      string `json:",omitempty"`
}

func writeJSON(b *bytes.Buffer, c Credentials) error {
	v := jsonCredentials{
		Profile:         c.Profile,
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey,
		SessionToken:    c.SessionToken,
		Region:          c.Region,
	}
	if !c.Expires.IsZero() {
		v.Expiration = formatExpiration(c.Expires)
	}
	return encodeJSONLine(b, v, c.Profile, c.AccessKeyID, c.SecretAccessKey, c.SessionToken, c.Region)
}

func writeCredentialProcess(b *bytes.Buffer, c Credentials) error {
	v := credentialProcess{
		Version:         1,
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey,
		SessionToken:    c.SessionToken,
	}
	if !c.Expires.IsZero() {
		v.Expiration = formatExpiration(c.Expires)
	}
	return encodeJSONLine(b, v, c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
}

// encodeJSONLine writes v as one line and a newline. encoding/json would
// silently replace invalid UTF-8 with U+FFFD, handing out something other
// than the credentials, so such input is refused instead.
func encodeJSONLine(b *bytes.Buffer, v any, fields ...string) error {
	for _, f := range fields {
		if !utf8.ValidString(f) {
			return errors.New("render: a credential field is not valid UTF-8, which JSON cannot hold")
		}
	}
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
