package awsfile

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestKeySetComesFromOneFile(t *testing.T) {
	tests := []struct {
		name                string
		config, credentials string
		want                map[string]string
		inConfig            bool
		partial             string // "": complete or none; else the file named in the *KeysError
	}{
		{
			name:        "a secret alone in the credentials file does not join the config file's id",
			config:      "[profile p]\naws_access_key_id = AKIAONE\naws_secret_access_key = secretone\n",
			credentials: "[p]\naws_secret_access_key = secretcred\n",
			want:        map[string]string{"aws_secret_access_key": "secretcred"},
			partial:     "credentials",
		},
		{
			name:        "a lone token in the credentials file does not join the config file's pair",
			config:      "[profile p]\naws_access_key_id = AKIAONE\naws_secret_access_key = secretone\n",
			credentials: "[p]\naws_session_token = TOKVALUE1\n",
			want:        map[string]string{"aws_session_token": "TOKVALUE1"},
			partial:     "credentials",
		},
		{
			name:        "an empty token in the credentials file leaves the config file's set whole",
			config:      "[profile p]\naws_access_key_id = AKIAONE\naws_secret_access_key = secretone\naws_session_token = tokone\n",
			credentials: "[p]\naws_session_token =\nregion = r\n",
			want: map[string]string{"aws_access_key_id": "AKIAONE", "aws_secret_access_key": "secretone",
				"aws_session_token": "tokone", "region": "r"},
			inConfig: true,
		},
		{
			name:        "the credentials file's whole set wins and the config file's token is left out",
			config:      "[profile p]\naws_access_key_id = AKIAONE\naws_secret_access_key = secretone\naws_session_token = tokone\n",
			credentials: "[p]\naws_access_key_id = AKIATWO\naws_secret_access_key = secrettwo\n",
			want:        map[string]string{"aws_access_key_id": "AKIATWO", "aws_secret_access_key": "secrettwo"},
		},
		{
			name:        "an id in one file and the secret in the other is no key set",
			config:      "[profile p]\naws_access_key_id = AKIAONE\n",
			credentials: "[p]\naws_secret_access_key = secretcred\n",
			want:        map[string]string{"aws_secret_access_key": "secretcred"},
			partial:     "credentials",
		},
		{
			name:     "an id alone in the config file",
			config:   "[profile p]\naws_access_key_id = AKIAONE\n",
			want:     map[string]string{"aws_access_key_id": "AKIAONE"},
			inConfig: true,
			partial:  "config",
		},
		{
			name:        "the legacy aws_security_token is read, before aws_session_token as the AWS CLI does",
			credentials: "[p]\naws_access_key_id = ASIA1\naws_secret_access_key = s\naws_session_token = new\naws_security_token = legacy\n",
			want:        map[string]string{"aws_access_key_id": "ASIA1", "aws_secret_access_key": "s", "aws_session_token": "legacy"},
		},
		{
			name:   "no keys anywhere",
			config: "[profile p]\nregion = r\n",
			want:   map[string]string{"region": "r"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			paths := writeFiles(t, tt.config, tt.credentials)
			f, err := Load(paths)
			if err != nil {
				t.Fatal(err)
			}
			p, ok := f.Profile("p")
			if !ok {
				t.Fatal("profile p not found")
			}
			if !reflect.DeepEqual(p.Values, tt.want) {
				t.Errorf("Values = %q, want %q", p.Values, tt.want)
			}
			if p.KeysInConfig != tt.inConfig {
				t.Errorf("KeysInConfig = %v, want %v", p.KeysInConfig, tt.inConfig)
			}
			var ke *KeysError
			switch {
			case tt.partial == "" && p.KeysErr != nil:
				t.Errorf("KeysErr = %v, want none", p.KeysErr)
			case tt.partial != "" && !errors.As(p.KeysErr, &ke):
				t.Errorf("KeysErr = %v, want a *KeysError", p.KeysErr)
			case tt.partial != "":
				file, section := paths.Credentials, "[p]"
				if tt.partial == "config" {
					file, section = paths.Config, "[profile p]"
				}
				msg := p.KeysErr.Error()
				if !strings.Contains(msg, file) || !strings.Contains(msg, section) {
					t.Errorf("KeysErr = %q, want it to name %s and %s", msg, file, section)
				}
				for _, v := range tt.want {
					if strings.Contains(msg, v) {
						t.Errorf("KeysErr = %q quotes a value", msg)
					}
				}
			}
		})
	}
}

func TestOversizedFileIsRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse file: the cap must stop the read, not the disk.
	if err := f.Truncate(MaxFileSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, p := range []Paths{{Config: path}, {Credentials: path}} {
		_, err := Load(p)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "larger than 64 MiB") {
			t.Errorf("Load(%+v) = %v, want one sentence naming the file and the cap", p, err)
		}
		if _, err := ProfileNames(p); err == nil {
			t.Errorf("ProfileNames(%+v) read an oversized file", p)
		}
	}
	// Exactly at the cap is read.
	if err := os.Truncate(path, MaxFileSize); err != nil {
		t.Fatal(err)
	}
	if _, err := ProfileNames(Paths{Config: path}); err != nil {
		t.Errorf("a file of exactly MaxFileSize bytes: %v", err)
	}
}
