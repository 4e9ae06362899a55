package setup

import (
	"os"

	"github.com/assume-cli/assume/internal/atomicfile"
	"github.com/assume-cli/assume/internal/awsfile"
)

// Store reads the profile being set up and edits the shared files.
type Store interface {
	// Profile returns the profile's merged settings (keys lowercase); ok is false when neither file has it.
	Profile(name string) (values map[string]string, ok bool, err error)
	// SetCredentials sets keys in the profile's section of the credentials file.
	SetCredentials(profile string, kv []awsfile.KV) error
	// SetConfig sets keys in the profile's section of the config file.
	SetConfig(profile string, kv []awsfile.KV) error
	// Where names the files, for messages.
	Where() awsfile.Paths
	// WriteSecretFile writes a file that holds a secret (the MFA seed, its QR code): atomically, mode 0600.
	WriteSecretFile(path string, data []byte) error
	// RemoveFile removes a file written by WriteSecretFile.
	RemoveFile(path string) error
}

// FileStore is the Store of the shared config and credentials files at Paths, edited in place with every
// untouched byte kept (awsfile.SetKeys).
type FileStore struct{ Paths awsfile.Paths }

func (s FileStore) Profile(name string) (map[string]string, bool, error) {
	files, err := awsfile.Load(s.Paths)
	if err != nil {
		return nil, false, err
	}
	p, ok := files.Profile(name)
	return p.Values, ok, nil
}

func (s FileStore) SetCredentials(profile string, kv []awsfile.KV) error {
	return awsfile.SetKeys(s.Paths.Credentials, profile, kv, nil)
}

func (s FileStore) SetConfig(profile string, kv []awsfile.KV) error {
	return awsfile.SetKeys(s.Paths.Config, awsfile.ConfigSection(profile), kv, nil)
}

func (s FileStore) Where() awsfile.Paths { return s.Paths }

func (s FileStore) WriteSecretFile(path string, data []byte) error {
	return atomicfile.WriteFile(path, data, 0o600)
}

func (s FileStore) RemoveFile(path string) error { return os.Remove(path) }
