// Package credserver serves AWS credentials to one child process over the
// container-credentials protocol that every AWS SDK and the AWS CLI read:
// the child gets AWS_CONTAINER_CREDENTIALS_FULL_URI (a loopback http URL) and
// AWS_CONTAINER_AUTHORIZATION_TOKEN (sent back as the Authorization header),
// and each GET answers with JSON {AccessKeyId, SecretAccessKey, Token,
// Expiration}.
//
// The server renews the credentials it hands out before they expire: a
// request that finds them within the renewal margin starts one renewal, which
// every concurrent request shares, so a renewal that has to ask a person for
// an MFA code asks once.
package credserver

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Source gets credentials: the first call may answer from a cache, every
// later one is a renewal and must return new credentials (or an error).
type Source interface {
	Retrieve(ctx context.Context) (aws.Credentials, error)
}

// Options tune a Server; the zero value is usable.
type Options struct {
	// Margin: credentials with less than this left are renewed. Zero: DefaultMargin.
	Margin time.Duration
	// RetryAfter: after a failed renewal, requests get the failure (or the
	// still-valid credentials) and no new renewal starts for this long, so a
	// person is not asked again at every request. Zero: DefaultRetryAfter.
	RetryAfter time.Duration
	// RenewTimeout bounds one renewal, a prompt for a code included. Zero: DefaultRenewTimeout.
	RenewTimeout time.Duration
	// OnRenewError hears about every failed renewal (the caller says on
	// stderr what to do). It must not block.
	OnRenewError func(error)
	Now          func() time.Time
}

// Defaults. The margin is above the 15 minutes at which botocore starts
// refreshing, so SDKs get credentials they keep using.
const (
	DefaultMargin       = 15 * time.Minute
	DefaultRetryAfter   = time.Minute
	DefaultRenewTimeout = 10 * time.Minute
	// maxHeaderBytes caps what a request may send: a GET carries only headers.
	maxHeaderBytes = 16 << 10
)

// Server is a running credential endpoint.
type Server struct {
	src      Source
	opts     Options
	token    string
	listener net.Listener
	http     *http.Server
	ctx      context.Context
	cancel   context.CancelFunc

	mu       sync.Mutex
	cur      aws.Credentials
	have     bool
	lastErr  error
	failedAt time.Time
	renewing *renewal // the renewal under way; nil when none
}

// renewal is one call of the source, shared by the requests that wait for it.
type renewal struct {
	done   chan struct{} // closed when it ends
	asking chan struct{} // closed when it waits for a person (see AskingPerson)
	once   sync.Once
}

type renewalKey struct{}

// AskingPerson is called by a Source, with the context of its Retrieve, just
// before it asks a person for something (an MFA code): requests that still
// have valid credentials to hand out stop waiting for the renewal, so the
// SDK's request does not time out while the person types.
func AskingPerson(ctx context.Context) {
	if r, ok := ctx.Value(renewalKey{}).(*renewal); ok {
		r.once.Do(func() { close(r.asking) })
	}
}

// Start listens on 127.0.0.1 on a random port and serves src.
func Start(src Source, opts Options) (*Server, error) {
	if opts.Margin == 0 {
		opts.Margin = DefaultMargin
	}
	if opts.RetryAfter == 0 {
		opts.RetryAfter = DefaultRetryAfter
	}
	if opts.RenewTimeout == 0 {
		opts.RenewTimeout = DefaultRenewTimeout
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	token, err := newToken()
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("could not open a local port for the credential server: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{src: src, opts: opts, token: token, listener: l, ctx: ctx, cancel: cancel}
	s.http = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      opts.RenewTimeout + time.Minute,
		MaxHeaderBytes:    maxHeaderBytes,
	}
	go func() { _ = s.http.Serve(l) }()
	return s, nil
}

func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("could not make a token for the credential server: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// URL is the value for AWS_CONTAINER_CREDENTIALS_FULL_URI.
func (s *Server) URL() string { return "http://" + s.listener.Addr().String() + "/" }

// Token is the value for AWS_CONTAINER_AUTHORIZATION_TOKEN.
func (s *Server) Token() string { return s.token }

// Close stops the server at once and abandons a renewal under way.
func (s *Server) Close() error {
	s.cancel()
	return s.http.Close()
}

// response is the container-credentials answer.
type response struct {
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	Token           string `json:"Token"`
	Expiration      string `json:"Expiration"`
}

// errorResponse is the error shape the SDKs show (code and message).
type errorResponse struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if !s.authorized(r) {
		writeJSON(w, http.StatusForbidden, errorResponse{Code: "AccessDenied", Message: "missing or wrong authorization token"})
		return
	}
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		writeJSON(w, http.StatusMethodNotAllowed, errorResponse{Code: "MethodNotAllowed", Message: "use GET"})
		return
	}
	creds, err := s.Current(r.Context())
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, errorResponse{Code: "CredentialsUnavailable", Message: "assume: " + err.Error()})
		return
	}
	res := response{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, Token: creds.SessionToken}
	exp := creds.Expires
	if !creds.CanExpire {
		// Long-term keys do not expire; the SDKs still want an expiry, after
		// which they simply ask again.
		exp = s.opts.Now().Add(time.Hour)
	}
	res.Expiration = exp.UTC().Format(time.RFC3339)
	writeJSON(w, http.StatusOK, res)
}

// authorized checks the token and that the peer is on this machine (the
// listener is on 127.0.0.1, so this is a second guard).
func (s *Server) authorized(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return false
	}
	got := r.Header.Get("Authorization")
	return subtle.ConstantTimeCompare([]byte(got), []byte(s.token)) == 1
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Current returns the credentials to hand out now, renewing them when they
// have less than the margin left.
func (s *Server) Current(ctx context.Context) (aws.Credentials, error) {
	s.mu.Lock()
	now := s.opts.Now()
	if s.have && (!s.cur.CanExpire || s.cur.Expires.Sub(now) > s.opts.Margin) {
		c := s.cur
		s.mu.Unlock()
		return c, nil
	}
	valid := s.have && usable(s.cur, now)
	if s.renewing == nil && (s.lastErr == nil || now.Sub(s.failedAt) >= s.opts.RetryAfter) {
		s.startRenewal()
	}
	r := s.renewing
	if r == nil {
		// A recent renewal failed: hand out what still works, else the failure.
		c, err := s.cur, s.lastErr
		s.mu.Unlock()
		if valid {
			return c, nil
		}
		return aws.Credentials{}, err
	}
	s.mu.Unlock()

	// A request with valid credentials waits for the renewal unless a person
	// is being asked; one with none waits for the answer.
	var asking <-chan struct{}
	if valid {
		asking = r.asking
	}
	select {
	case <-r.done:
	case <-asking:
	case <-ctx.Done():
		return aws.Credentials{}, ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.have && usable(s.cur, s.opts.Now()) {
		return s.cur, nil
	}
	if s.lastErr != nil {
		return aws.Credentials{}, s.lastErr
	}
	return aws.Credentials{}, errors.New("the credentials expired and renewing them is still under way")
}

// usable: not expired at now.
func usable(c aws.Credentials, now time.Time) bool {
	return !c.CanExpire || c.Expires.After(now)
}

// startRenewal runs one renewal in the background; s.mu is held.
func (s *Server) startRenewal() {
	r := &renewal{done: make(chan struct{}), asking: make(chan struct{})}
	s.renewing = r
	go func() {
		ctx, cancel := context.WithTimeout(context.WithValue(s.ctx, renewalKey{}, r), s.opts.RenewTimeout)
		defer cancel()
		creds, err := s.src.Retrieve(ctx)
		if err == nil && !usable(creds, s.opts.Now()) {
			err = errors.New("the renewed credentials are already expired")
		}
		s.mu.Lock()
		if err == nil {
			s.cur, s.have, s.lastErr = creds, true, nil
		} else {
			s.lastErr, s.failedAt = err, s.opts.Now()
		}
		s.renewing = nil
		close(r.done)
		s.mu.Unlock()
		if err != nil && s.opts.OnRenewError != nil && s.ctx.Err() == nil {
			s.opts.OnRenewError(err)
		}
	}()
}
