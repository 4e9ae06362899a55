// Package fakests is an in-process STS for tests. Unlike the moto emulator it
// enforces what matters to assume: the MFA serial and code, which access key
// signed each call, duration limits, role chaining, external IDs, and
// expired or revoked session credentials. It records every call.
package fakests

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// User is an IAM user with long-term keys.
type User struct {
	Name            string
	AccessKeyID     string
	SecretAccessKey string
	MFASerial       string // empty: no device
	Code            string // the code the device shows now
}

// Role is an IAM role.
type Role struct {
	ARN         string
	RequireMFA  bool
	ExternalID  string
	MaxDuration time.Duration // zero: 1 h
}

// Call is one request as received.
type Call struct {
	Action          string
	AccessKeyID     string // from the Authorization header: who signed
	SerialNumber    string
	TokenCode       string
	DurationSeconds string
	RoleArn         string
	RoleSessionName string
	ExternalId      string
}

type issued struct {
	user    *User
	expires time.Time
	mfa     bool // obtained with MFA
	temp    bool
	revoked bool
}

// Server is the fake STS.
type Server struct {
	*httptest.Server
	// Now is the server's clock; DateSkew shifts the Date header it sends.
	Now      func() time.Time
	DateSkew time.Duration
	// ExpiryShift moves the Expiration of every credential it issues (a
	// negative shift answers with credentials that are already expired).
	ExpiryShift time.Duration

	mu    sync.Mutex
	calls []Call
	users map[string]*User
	roles map[string]*Role
	creds map[string]*issued
	web   webIdentity // AssumeRoleWithWebIdentity; see webidentity.go
}

// New starts a fake STS with users and roles.
func New(users []User, roles []Role) *Server {
	s := &Server{Now: time.Now, users: map[string]*User{}, roles: map[string]*Role{}, creds: map[string]*issued{}}
	for i := range users {
		u := users[i]
		s.users[u.AccessKeyID] = &u
		s.creds[u.AccessKeyID] = &issued{user: &u}
	}
	for i := range roles {
		r := roles[i]
		s.roles[r.ARN] = &r
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.handle))
	return s
}

// Calls returns the calls so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// CallCount counts the calls of one action ("" for all).
func (s *Server) CallCount(action string) int {
	n := 0
	for _, c := range s.Calls() {
		if action == "" || c.Action == action {
			n++
		}
	}
	return n
}

// SetCode changes the code a user's device shows.
func (s *Server) SetCode(accessKeyID, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[accessKeyID].Code = code
	s.creds[accessKeyID].user.Code = code
}

// RevokeAll makes every temporary credential issued so far invalid.
func (s *Server) RevokeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.creds {
		if c.temp {
			c.revoked = true
		}
	}
}

var credentialRE = regexp.MustCompile(`Credential=([^/]+)/`)

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	c := Call{
		Action:          r.Form.Get("Action"),
		SerialNumber:    r.Form.Get("SerialNumber"),
		TokenCode:       r.Form.Get("TokenCode"),
		DurationSeconds: r.Form.Get("DurationSeconds"),
		RoleArn:         r.Form.Get("RoleArn"),
		RoleSessionName: r.Form.Get("RoleSessionName"),
		ExternalId:      r.Form.Get("ExternalId"),
	}
	if m := credentialRE.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		c.AccessKeyID = m[1]
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	w.Header().Set("Date", s.Now().Add(s.DateSkew).UTC().Format(http.TimeFormat))
	if c.Action == "AssumeRoleWithWebIdentity" { // unsigned: no caller to check
		s.assumeRoleWithWebIdentity(w, r, c)
		return
	}

	caller, ok := s.creds[c.AccessKeyID]
	switch {
	case !ok:
		s.fail(w, 403, "InvalidClientTokenId", "The security token included in the request is invalid.")
		return
	case caller.revoked:
		s.fail(w, 403, "InvalidClientTokenId", "The security token included in the request is invalid.")
		return
	case caller.temp && !s.Now().Before(caller.expires):
		s.fail(w, 403, "ExpiredToken", "The security token included in the request is expired")
		return
	case caller.temp && r.Header.Get("X-Amz-Security-Token") == "":
		s.fail(w, 403, "InvalidClientTokenId", "The security token included in the request is invalid.")
		return
	}
	switch c.Action {
	case "GetSessionToken":
		s.getSessionToken(w, c, caller)
	case "AssumeRole":
		s.assumeRole(w, c, caller)
	default:
		s.fail(w, 400, "InvalidAction", "Could not find operation "+c.Action)
	}
}

func (s *Server) mfaOK(u *User, c Call) bool {
	return u.MFASerial != "" && c.SerialNumber == u.MFASerial && c.TokenCode == u.Code
}

func (s *Server) getSessionToken(w http.ResponseWriter, c Call, caller *issued) {
	if caller.temp {
		s.fail(w, 403, "AccessDenied", "Cannot call GetSessionToken with session credentials")
		return
	}
	d, ok := s.duration(w, c.DurationSeconds, 12*time.Hour, 36*time.Hour)
	if !ok {
		return
	}
	mfa := false
	if c.SerialNumber != "" || c.TokenCode != "" {
		if !s.mfaOK(caller.user, c) {
			s.fail(w, 403, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ")
			return
		}
		mfa = true
	}
	id, secret, token, exp := s.issue(caller.user, d, mfa)
	writeXML(w, "GetSessionToken", id, secret, token, exp, "")
}

func (s *Server) assumeRole(w http.ResponseWriter, c Call, caller *issued) {
	role, ok := s.roles[c.RoleArn]
	if !ok {
		s.fail(w, 403, "AccessDenied", fmt.Sprintf("User: %s is not authorized to perform: sts:AssumeRole on resource: %s", caller.user.Name, c.RoleArn))
		return
	}
	if c.RoleSessionName == "" || len(c.RoleSessionName) < 2 || len(c.RoleSessionName) > 64 {
		s.fail(w, 400, "ValidationError", "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint")
		return
	}
	maxD := role.MaxDuration
	if maxD == 0 {
		maxD = time.Hour
	}
	if caller.temp && maxD > time.Hour {
		maxD = time.Hour
	}
	d, ok := s.duration(w, c.DurationSeconds, time.Hour, maxD)
	if !ok {
		return
	}
	mfa := caller.mfa
	if c.SerialNumber != "" || c.TokenCode != "" {
		if !s.mfaOK(caller.user, c) {
			s.fail(w, 403, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ")
			return
		}
		mfa = true
	}
	if role.RequireMFA && !mfa {
		s.fail(w, 403, "AccessDenied", fmt.Sprintf("User: %s is not authorized to perform: sts:AssumeRole on resource: %s", caller.user.Name, c.RoleArn))
		return
	}
	if role.ExternalID != c.ExternalId {
		s.fail(w, 403, "AccessDenied", fmt.Sprintf("User: %s is not authorized to perform: sts:AssumeRole on resource: %s", caller.user.Name, c.RoleArn))
		return
	}
	id, secret, token, exp := s.issue(caller.user, d, false)
	writeXML(w, "AssumeRole", id, secret, token, exp, c.RoleArn+"/"+c.RoleSessionName)
}

func (s *Server) duration(w http.ResponseWriter, v string, def, max time.Duration) (time.Duration, bool) {
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	d := time.Duration(n) * time.Second
	if err != nil || d < 15*time.Minute || d > max {
		msg := fmt.Sprintf("The requested DurationSeconds exceeds the MaxSessionDuration set for this role (%d).", int(max/time.Second))
		if max == time.Hour {
			msg = "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
		}
		s.fail(w, 400, "ValidationError", msg)
		return 0, false
	}
	return d, true
}

func (s *Server) issue(u *User, d time.Duration, mfa bool) (id, secret, token string, exp time.Time) {
	id = "ASIA" + randHex(8)
	secret, token = randHex(20), "FwoG"+randHex(32)
	exp = s.Now().Add(d + s.ExpiryShift).UTC().Truncate(time.Second)
	s.creds[id] = &issued{user: u, expires: exp, mfa: mfa, temp: true}
	return id, secret, token, exp
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

type xmlCreds struct {
	AccessKeyId     string
	SecretAccessKey string
	SessionToken    string
	Expiration      string
}

func writeXML(w http.ResponseWriter, action, id, secret, token string, exp time.Time, assumedARN string) {
	type result struct {
		Credentials     xmlCreds
		AssumedRoleUser *struct{ Arn, AssumedRoleId string } `xml:",omitempty"`
	}
	res := result{Credentials: xmlCreds{id, secret, token, exp.Format(time.RFC3339)}}
	if assumedARN != "" {
		res.AssumedRoleUser = &struct{ Arn, AssumedRoleId string }{assumedARN, "AROA" + randHex(6)}
	}
	body, _ := xml.Marshal(res)
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<%sResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><%sResult>%s</%sResult><ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata></%sResponse>`,
		action, action, innerXML(body), action, randHex(8), action)
}

// innerXML strips the <result> wrapper element from a marshalled struct.
func innerXML(b []byte) string {
	s := string(b)
	return s[len("<result>") : len(s)-len("</result>")]
}

func (s *Server) fail(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>`, code, xmlEscape(msg), randHex(8))
}

func xmlEscape(s string) string {
	var b []byte
	b, _ = xml.Marshal(struct {
		XMLName xml.Name `xml:"m"`
		V       string   `xml:",chardata"`
	}{V: s})
	return string(b[3 : len(b)-4])
}
