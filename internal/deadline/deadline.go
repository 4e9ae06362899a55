// Package deadline holds how long assume waits for the world: a network
// call (STS, IAM, SSO, instance metadata) and a child process (mfa_process,
// credential_process), and the variables that change those limits. (The
// AWS SDK middleware that puts the network limit on every API call is in
// internal/sdkdeadline, so that this package links no SDK.)
package deadline

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// The variables that change the limits, and the limits without them. An API
// call that has not answered in 30 seconds is not going to; a command that
// waits for a person (a YubiKey touch, a password manager's unlock) gets as
// long as the AWS SDK gives a credential_process.
const (
	NetworkVar = "ASSUME_TIMEOUT"
	ProcessVar = "ASSUME_PROCESS_TIMEOUT"
	// LockVar bounds the wait for a lock another assume holds (a cache entry it is filling, the
	// credentials file it is editing); its default is atomicfile's.
	LockVar        = "ASSUME_LOCK_TIMEOUT"
	DefaultNetwork = 30 * time.Second
	DefaultProcess = time.Minute
)

// Limits are the deadlines of one run; a zero field means its default.
type Limits struct {
	Network time.Duration // each network call, retries included
	Process time.Duration // each run of a child process
	Lock    time.Duration // each wait for another assume's lock
}

// NetworkOrDefault is the network deadline in force.
func (l Limits) NetworkOrDefault() time.Duration {
	if l.Network > 0 {
		return l.Network
	}
	return DefaultNetwork
}

// ProcessOrDefault is the child-process deadline in force.
func (l Limits) ProcessOrDefault() time.Duration {
	if l.Process > 0 {
		return l.Process
	}
	return DefaultProcess
}

// FromEnv reads ASSUME_TIMEOUT, ASSUME_PROCESS_TIMEOUT and ASSUME_LOCK_TIMEOUT: a duration
// (30s, 2m) or whole seconds; unset or empty means the default.
func FromEnv(getenv func(string) string) (Limits, error) {
	var l Limits
	var err error
	if l.Network, err = parse(NetworkVar, getenv(NetworkVar)); err != nil {
		return Limits{}, err
	}
	if l.Process, err = parse(ProcessVar, getenv(ProcessVar)); err != nil {
		return Limits{}, err
	}
	if l.Lock, err = LockFromEnv(getenv); err != nil {
		return Limits{}, err
	}
	return l, nil
}

// LockFromEnv reads ASSUME_LOCK_TIMEOUT alone, for the runs that take a lock and make no call;
// zero means the default.
func LockFromEnv(getenv func(string) string) (time.Duration, error) {
	return parse(LockVar, getenv(LockVar))
}

func parse(name, v string) (time.Duration, error) {
	if v == "" {
		return 0, nil
	}
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return time.Duration(n) * time.Second, nil
	}
	if d, err := time.ParseDuration(v); err == nil && d > 0 {
		return d, nil
	}
	return 0, fmt.Errorf("%s=%q is not a positive duration: use forms like 30s, 2m or 45", name, v)
}

// NetworkError is a network call that did not finish within its deadline.
type NetworkError struct {
	Service   string // "STS", "SSO"
	Operation string // "GetSessionToken"; may be empty
	Endpoint  string // scheme and host; may be empty
	Timeout   time.Duration
	Err       error
}

func (e *NetworkError) Error() string {
	what := e.Service
	if e.Operation != "" {
		what += " " + e.Operation
	}
	at := ""
	if e.Endpoint != "" {
		at = " at " + e.Endpoint
	}
	return fmt.Sprintf("%s%s did not answer within %s; check your network and endpoint settings, or allow more time with %s (e.g. %s=%s)",
		what, at, e.Timeout, NetworkVar, NetworkVar, 2*e.Timeout)
}

func (e *NetworkError) Unwrap() error { return e.Err }

// Call runs fn with the network deadline d; when d passes first, the error
// is a *NetworkError naming service, operation and the endpoint fn tried.
func Call[T any](ctx context.Context, d time.Duration, service, operation string, fn func(context.Context) (T, error)) (T, error) {
	callCtx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	v, err := fn(callCtx)
	if err != nil && ctx.Err() == nil && errors.Is(callCtx.Err(), context.DeadlineExceeded) {
		return v, &NetworkError{Service: service, Operation: operation, Endpoint: endpointOf(err), Timeout: d, Err: err}
	}
	return v, err
}

// endpointOf is the scheme and host of the URL a failed request went to.
// Only those: a path or query may carry a capability.
func endpointOf(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil && u.Host != "" {
			return u.Scheme + "://" + u.Host
		}
	}
	return ""
}
