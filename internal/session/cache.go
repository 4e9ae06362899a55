package session

import "time"

// Credentials are one set of AWS credentials, as cached and handed out. (The AWS SDK's own type
// lives in a package whose start-up cost every run would pay: see internal/fastpath.)
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	CanExpire       bool
	Expires         time.Time
	Source          string // what made them: "GetSessionToken", "AssumeRole", a provider's name
}

// Entry is one cached credential set.
type Entry struct {
	Profile     string
	Kind        string // "session" (GetSessionToken), "role", or an SDK profile's kind
	Credentials Credentials
}

// Margin is how long before expiry a cached credential stops being handed out,
// so nobody receives keys that die mid-command.
const Margin = 5 * time.Minute

// Fresh reports whether a cached entry may still be handed out at now.
func Fresh(e Entry, now time.Time) bool {
	return e.Credentials.CanExpire && e.Credentials.Expires.After(now.Add(Margin))
}
