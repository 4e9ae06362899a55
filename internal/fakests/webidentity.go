package fakests

import (
	"fmt"
	"net/http"
	"time"
)

// webIdentity is the fake's state for AssumeRoleWithWebIdentity: the tokens
// it accepts and the calls that carried them.
type webIdentity struct {
	tokens map[string]webToken
	calls  []WebIdentityCall
}

type webToken struct {
	subject string
	expired bool
}

// WebIdentityCall is one AssumeRoleWithWebIdentity request as received.
type WebIdentityCall struct {
	Token           string
	RoleArn         string
	RoleSessionName string
	DurationSeconds string
	Signed          bool // an Authorization header was sent (it must not be)
}

// AllowWebIdentityToken makes the fake accept token, issued for subject, to
// assume any of its roles.
func (s *Server) AllowWebIdentityToken(token, subject string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.web.tokens == nil {
		s.web.tokens = map[string]webToken{}
	}
	s.web.tokens[token] = webToken{subject: subject}
}

// ExpireWebIdentityToken makes the fake answer ExpiredTokenException for token.
func (s *Server) ExpireWebIdentityToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.web.tokens[token]; ok {
		t.expired = true
		s.web.tokens[token] = t
	}
}

// WebIdentityCalls returns the AssumeRoleWithWebIdentity calls so far.
func (s *Server) WebIdentityCalls() []WebIdentityCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]WebIdentityCall(nil), s.web.calls...)
}

// assumeRoleWithWebIdentity runs with s.mu held, from handle.
func (s *Server) assumeRoleWithWebIdentity(w http.ResponseWriter, r *http.Request, c Call) {
	call := WebIdentityCall{
		Token:           r.Form.Get("WebIdentityToken"),
		RoleArn:         c.RoleArn,
		RoleSessionName: c.RoleSessionName,
		DurationSeconds: c.DurationSeconds,
		Signed:          r.Header.Get("Authorization") != "",
	}
	s.web.calls = append(s.web.calls, call)
	tok, ok := s.web.tokens[call.Token]
	switch {
	case !ok:
		s.fail(w, 400, "InvalidIdentityToken", "Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements")
		return
	case tok.expired:
		s.fail(w, 400, "ExpiredTokenException", "Token expired: current date/time is after the token's exp claim")
		return
	}
	role, ok := s.roles[c.RoleArn]
	if !ok {
		s.fail(w, 403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")
		return
	}
	if len(c.RoleSessionName) < 2 || len(c.RoleSessionName) > 64 {
		s.fail(w, 400, "ValidationError", "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint")
		return
	}
	maxD := role.MaxDuration
	if maxD == 0 {
		maxD = time.Hour
	}
	d, ok := s.duration(w, c.DurationSeconds, time.Hour, maxD)
	if !ok {
		return
	}
	// The session belongs to no IAM user: it has no MFA device, and what it
	// assumes next is role chaining (capped at 1 h by assumeRole).
	id, secret, token, exp := s.issue(&User{Name: "web-identity:" + tok.subject}, d, false)
	writeXML(w, "AssumeRoleWithWebIdentity", id, secret, token, exp, fmt.Sprintf("%s/%s", c.RoleArn, c.RoleSessionName))
}
