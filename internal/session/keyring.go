package session

// A profile whose long-term keys live in the operating system's keyring says so in the config file, with settings
// that hold no secret:
//
//	[profile alice]
//	keyring = secret-service                     # which keyring; absent or "auto": chosen for the machine
//	keyring_access_key_id = AKIAIOSFODNN7EXAMPLE  # the key's ID, which is not secret
//
// Resolution reads only these, so `assume -l` and completion stay as fast as for any profile, and the cache keys
// (built from the access key ID) change when the key is rotated. The secret is fetched from the keyring only when an
// STS call must be signed with it, that is on a cache miss: a cache hit never opens the keyring.
const (
	KeyringSetting   = "keyring"
	KeyringIDSetting = "keyring_access_key_id"
	keyringAuto      = "auto"
)

// keysInKeyring reports whether the settings v keep their long-term keys in the keyring: they name the key, and the
// files hold no part of a key set themselves (keys in a file win, as they do for every other AWS tool). KindOf and
// fromKeyring both ask it.
func keysInKeyring(v map[string]string) bool {
	return v[KeyringIDSetting] != "" &&
		v["aws_access_key_id"] == "" && v["aws_secret_access_key"] == "" && v["aws_session_token"] == ""
}

// fromKeyring marks p as keeping its keys in the keyring when its settings v say so (keysInKeyring).
func fromKeyring(p *Profile, v map[string]string) {
	if !keysInKeyring(v) {
		return
	}
	p.AccessKeyID = v[KeyringIDSetting]
	p.Keyring = v[KeyringSetting]
	if p.Keyring == "" {
		p.Keyring = keyringAuto
	}
}

// InKeyring reports whether p's long-term keys are in the keyring.
func (p *Profile) InKeyring() bool { return p.Keyring != "" }
