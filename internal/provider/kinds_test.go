package provider_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/assume-cli/assume/internal/awsfile"
	"github.com/assume-cli/assume/internal/fakests"
	"github.com/assume-cli/assume/internal/provider"
	"github.com/assume-cli/assume/internal/session"
)

func TestKindOfPrecedence(t *testing.T) {
	keys := map[string]string{"aws_access_key_id": "AKIAK", "aws_secret_access_key": "s"}
	with := func(extra map[string]string) map[string]string {
		v := map[string]string{}
		for k, x := range keys {
			v[k] = x
		}
		for k, x := range extra {
			v[k] = x
		}
		return v
	}
	sso := map[string]string{"sso_account_id": "1", "sso_role_name": "R"}
	tests := []struct {
		name         string
		values       map[string]string
		keysInConfig bool
		asSource     bool
		want         session.Kind
	}{
		{"role_arn before keys", with(map[string]string{"role_arn": "r", "source_profile": "x"}), false, false, session.KindRole},
		{"a source's own keys before its role_arn", with(map[string]string{"role_arn": "r", "source_profile": "x"}), false, true, session.KindStatic},
		{"web identity before keys, also for a source", with(map[string]string{"role_arn": "r", "web_identity_token_file": "f"}), false, true, session.KindWebIdentity},
		{"SSO before credentials-file keys", with(sso), false, false, session.KindSSO},
		{"SSO before config-file keys", with(sso), true, false, session.KindSSO},
		{"credentials-file keys before credential_process", with(map[string]string{"credential_process": "p"}), false, false, session.KindStatic},
		{"credential_process before config-file keys", with(map[string]string{"credential_process": "p"}), true, false, session.KindProcess},
		{"credentials-file keys before login_session", with(map[string]string{"login_session": "l"}), false, false, session.KindStatic},
		{"login_session before config-file keys", with(map[string]string{"login_session": "l"}), true, false, session.KindLogin},
		{"login_session before credential_process", map[string]string{"login_session": "l", "credential_process": "p"}, false, false, session.KindLogin},
		{"mfa_serial with keys", with(map[string]string{"mfa_serial": "m"}), false, false, session.KindMFAUser},
		{"only sso_account_id and sso_role_name is SSO (and invalid)", sso, false, false, session.KindSSO},
		{"sso_session alone is no way to credentials", map[string]string{"sso_session": "corp"}, false, false, session.KindUnknown},
		{"settings only", map[string]string{"region": "r", "output": "json"}, false, false, session.KindNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := session.KindOf(awsfile.Profile{Values: tt.values, KeysInConfig: tt.keysInConfig}, tt.asSource)
			if got != tt.want {
				t.Errorf("KindOf = %s, want %s", got, tt.want)
			}
		})
	}
}

// A source profile with keys and a role_arn of its own signs with its own keys: never with its source's.
func TestSourceWithOwnKeysSigns(t *testing.T) {
	const top, mid = "arn:aws:iam::111111111111:role/top", "arn:aws:iam::222222222222:role/mid"
	s := fakests.New([]fakests.User{
		{Name: "mid", AccessKeyID: "AKIAMID", SecretAccessKey: "mid-secret"},
		{Name: "low", AccessKeyID: "AKIALOW", SecretAccessKey: "low-secret", MFASerial: "arn:aws:iam::1:mfa/low", Code: "123456"},
	}, []fakests.Role{{ARN: top}, {ARN: mid}})
	t.Cleanup(s.Close)
	f := files{
		"top": {"role_arn": top, "source_profile": "mid"},
		"mid": {"role_arn": mid, "source_profile": "low", "aws_access_key_id": "AKIAMID", "aws_secret_access_key": "mid-secret"},
		"low": {"aws_access_key_id": "AKIALOW", "aws_secret_access_key": "low-secret", "mfa_serial": "arn:aws:iam::1:mfa/low"},
	}
	p, err := session.Resolve(f, "top")
	if err != nil {
		t.Fatal(err)
	}
	if p.Source == nil || p.Source.Kind != session.KindStatic || p.Source.Source != nil || p.MFA() != "" {
		t.Fatalf("top's source = %+v, want mid as static keys with no source and no MFA", p.Source)
	}
	_, err = provider.Get(context.Background(), p, provider.Options{Clients: provider.NewClientFactory("us-east-1", s.URL, nil)})
	if err != nil {
		t.Fatal(err)
	}
	calls := s.Calls()
	if len(calls) != 1 || calls[0].AccessKeyID != "AKIAMID" || calls[0].RoleArn != top {
		t.Errorf("STS calls = %+v, want one AssumeRole of top signed by AKIAMID", calls)
	}
}

func TestPartialKeySetIsRefused(t *testing.T) {
	e := newSourcesEnv(t)
	e.writeConfig(t, "[profile p]\naws_access_key_id = AKIAONE\naws_secret_access_key = secretone\n"+
		"[profile sso]\nsso_start_url = https://x/start\nsso_region = us-east-1\nsso_account_id = 1\nsso_role_name = R\n")
	writeCredentials(t, e, "[p]\naws_secret_access_key = secretcred\n[sso]\naws_session_token = leftover\n")
	_, err := e.resolve(t, "p")
	var ke *awsfile.KeysError
	if !errors.As(err, &ke) || !strings.Contains(err.Error(), e.paths.Credentials) || !strings.Contains(err.Error(), "[p]") {
		t.Fatalf("resolve p = %v, want a *KeysError naming %s and [p]", err, e.paths.Credentials)
	}
	checkOneSentence(t, err, "has aws_secret_access_key but no aws_access_key_id", "secretcred", "secretone")
	// A kind above the keys does not use them, so their leftovers do not matter.
	if p, err := e.resolve(t, "sso"); err != nil || p.Kind != session.KindSSO {
		t.Errorf("resolve sso = %+v, %v; want an SSO profile", p, err)
	}
}

func TestLoginSessionWithoutSignInAdvisesAWSLogin(t *testing.T) {
	e := newSourcesEnv(t)
	e.writeConfig(t, "[profile web]\nlogin_session = arn:aws:iam::123456789012:user/nobody\nregion = eu-west-1\n"+
		"aws_access_key_id = AKIALEFTOVER\naws_secret_access_key = leftover\n")
	p, err := e.resolve(t, "web")
	if err != nil || p.Kind != session.KindLogin {
		t.Fatalf("resolve = %+v, %v; want a login profile (its login_session ranks above keys in the config file)", p, err)
	}
	_, err = e.get(t, "web", "", nil)
	checkOneSentence(t, err, "aws login --profile web")
	var se *provider.SourceError
	if !errors.As(err, &se) || se.SSOLogin != "aws login --profile web" {
		t.Errorf("error %v does not carry the sign-in command", err)
	}
}

func writeCredentials(t *testing.T, e *sourcesEnv, text string) {
	t.Helper()
	if err := os.WriteFile(e.paths.Credentials, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Leftover keys next to SSO settings or a credential_process are not exported: the profile's kind is (the SDK
// alone would pick the keys).
func TestLeftoverKeysDoNotWinOverTheKind(t *testing.T) {
	e := newSourcesEnv(t)
	portal := newPortal(t)
	e.writeConfig(t, ssoConfig+"\n[profile dev]\naws_access_key_id = AKIALEFTOVER00000001\naws_secret_access_key = leftover\n"+
		"[profile proc]\ncredential_process = "+procScript(t, e, "ASIAPROCESS000000001")+
		"\naws_access_key_id = AKIALEFTOVER00000002\naws_secret_access_key = leftover\n")
	e.writeSSOToken(t, "corp", ssoToken{AccessToken: "session-token-1", ExpiresAt: time.Now().Add(8 * time.Hour).UTC().Format(time.RFC3339)})
	dev := portalCreds("ASIASSODEV0000000001")
	portal.Allow("session-token-1", ssoAccount, "Developer", dev)

	if got := e.mustGet(t, "dev", "").Credentials.AccessKeyID; got != dev.AccessKeyID {
		t.Errorf("assume dev exported %s, want the SSO role's %s", got, dev.AccessKeyID)
	}
	if got := e.mustGet(t, "proc", "").Credentials.AccessKeyID; got != "ASIAPROCESS000000001" {
		t.Errorf("assume proc exported %s, want the process's key", got)
	}
}

// procScript writes a credential_process script printing a key that expires in an hour, and returns its path.
func procScript(t *testing.T, e *sourcesEnv, id string) string {
	t.Helper()
	path := filepath.Join(e.dir, "proc-"+id+".sh")
	exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	script := fmt.Sprintf("#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"%s\", \"SecretAccessKey\": \"s\", \"SessionToken\": \"t\", \"Expiration\": \"%s\"}'\n", id, exp)
	if err := os.WriteFile(path, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return path
}
