package session_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/session"
)

// randomPair writes a config and a credentials file whose every key value names the file and the section occurrence
// it sits in (AKIA-c3, SECRET-c3, TOKEN-c3: the config file's fourth section), with repeated and quoted sections,
// partial key sets, both token spellings, role chains and other kinds mixed in.
func randomPair(seed uint64) (config, credentials string) {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	names := []string{"a", "b", "c", "default", "team;dev"}
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	var files [2]strings.Builder
	for f, prefix := range []string{"c", "k"} {
		b := &files[f]
		for occ := range 1 + r.IntN(7) {
			name := pick(names)
			switch {
			case f == 1:
				fmt.Fprintf(b, "[%s]\n", name)
			case name == "default" && r.IntN(2) == 0:
				b.WriteString("[default]\n")
			case r.IntN(4) == 0:
				fmt.Fprintf(b, "[profile \"%s\"]\n", name)
			default:
				fmt.Fprintf(b, "[profile %s]\n", name)
			}
			tag := fmt.Sprintf("%s%d", prefix, occ)
			lines := []string{
				"aws_access_key_id = AKIA-" + tag,
				"aws_secret_access_key = SECRET-" + tag,
				"aws_session_token = TOKEN-" + tag,
				"aws_security_token = TOKEN-" + tag,
				"aws_access_key_id =",
				"aws_session_token =",
				"role_arn = arn:aws:iam::111111111111:role/r",
				"source_profile = " + pick(names),
				"mfa_serial = arn:aws:iam::111111111111:mfa/u",
				"credential_process = /bin/true",
				"sso_account_id = 111111111111",
				"sso_role_name = R",
				"region = eu-west-1",
				"# aws_access_key_id = AKIA-comment",
			}
			for _, l := range lines {
				if r.IntN(3) == 0 {
					b.WriteString(l + "\n")
				}
			}
		}
	}
	return files[0].String(), files[1].String()
}

// A key id, its secret and its token always come from one section: never from two files, two sections or two
// occurrences of one section.
func FuzzKeySetComesFromOneSection(f *testing.F) {
	for seed := range uint64(300) {
		f.Add(seed)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, seed uint64) {
		config, credentials := randomPair(seed)
		sub, err := os.MkdirTemp(dir, "pair")
		if err != nil {
			t.Fatal(err)
		}
		defer os.RemoveAll(sub)
		paths := awsfile.Paths{Config: filepath.Join(sub, "config"), Credentials: filepath.Join(sub, "credentials")}
		if err := os.WriteFile(paths.Config, []byte(config), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(paths.Credentials, []byte(credentials), 0o600); err != nil {
			t.Fatal(err)
		}
		files, err := awsfile.Load(paths)
		if err != nil {
			t.Fatalf("Load: %v\nconfig:\n%s\ncredentials:\n%s", err, config, credentials)
		}
		for _, name := range files.Names() {
			p, err := session.Resolve(files, name)
			if err != nil {
				continue
			}
			for q := p; q != nil; q = q.Source {
				id, secret, token := q.AccessKeyID, q.SecretAccessKey, q.SessionToken
				if id == "" && secret == "" && token == "" {
					continue
				}
				if id == "" || secret == "" {
					t.Errorf("profile %q (source %q, kind %s) resolved to a partial key set %q/%q",
						name, q.Name, q.Kind, id, secret)
				}
				from := strings.TrimPrefix(id, "AKIA-")
				if strings.TrimPrefix(secret, "SECRET-") != from || (token != "" && strings.TrimPrefix(token, "TOKEN-") != from) {
					t.Errorf("profile %q (source %q) pairs %s with %s and %q\nconfig:\n%s\ncredentials:\n%s",
						name, q.Name, id, secret, token, config, credentials)
				}
			}
		}
	})
}
