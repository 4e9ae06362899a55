package session

import "fmt"

// UnknownProfileError: the profile is in neither file.
type UnknownProfileError struct {
	Name string
}

func (e *UnknownProfileError) Error() string {
	return fmt.Sprintf("profile %q is not in your AWS config or credentials file", e.Name)
}

// ConfigError: the profile exists but cannot be used as written.
type ConfigError struct {
	Profile string
	Msg     string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("profile %q cannot be used: %s", e.Profile, e.Msg)
}

// UsageError: a flag value is wrong; the exit code is 2.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }
