// Package fakesso is an in-process IAM Identity Center (SSO) for tests: the
// portal's GetRoleCredentials and SSO OIDC's CreateToken (refresh grant),
// which is all the SDK's ssocreds provider calls. Point the SDK at it with
// AWS_ENDPOINT_URL_SSO and AWS_ENDPOINT_URL_SSO_OIDC. It records every call.
package fakesso

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// RoleCredentials is what GetRoleCredentials hands out.
type RoleCredentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}

// Call is one request as received.
type Call struct {
	Op          string // "GetRoleCredentials" or "CreateToken"
	AccessToken string // GetRoleCredentials: the bearer token sent
	AccountID   string
	RoleName    string
	// CreateToken
	ClientID     string
	GrantType    string
	RefreshToken string
}

type grantKey struct{ token, account, role string }

type refresh struct {
	clientID, clientSecret string
	accessToken            string
	expiresIn              time.Duration
	newRefreshToken        string
}

// Server is the fake portal.
type Server struct {
	*httptest.Server

	mu        sync.Mutex
	calls     []Call
	tokens    map[string]bool // access tokens the portal accepts
	grants    map[grantKey]RoleCredentials
	refreshes map[string]refresh // by refresh token
}

// New starts a fake SSO portal and OIDC service.
func New() *Server {
	s := &Server{tokens: map[string]bool{}, grants: map[grantKey]RoleCredentials{}, refreshes: map[string]refresh{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /federation/credentials", s.getRoleCredentials)
	mux.HandleFunc("POST /token", s.createToken)
	s.Server = httptest.NewServer(mux)
	return s
}

// Allow lets the holder of accessToken get creds for role in account.
func (s *Server) Allow(accessToken, account, role string, creds RoleCredentials) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[accessToken] = true
	s.grants[grantKey{accessToken, account, role}] = creds
}

// Revoke makes the portal refuse accessToken, as after a sign-out.
func (s *Server) Revoke(accessToken string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, accessToken)
}

// AllowRefresh makes CreateToken exchange refreshToken (for that client) for
// accessToken, valid for expiresIn, and a new refresh token.
func (s *Server) AllowRefresh(clientID, clientSecret, refreshToken, accessToken, newRefreshToken string, expiresIn time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshes[refreshToken] = refresh{clientID, clientSecret, accessToken, expiresIn, newRefreshToken}
}

// Calls returns the calls so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

func (s *Server) getRoleCredentials(w http.ResponseWriter, r *http.Request) {
	c := Call{
		Op:          "GetRoleCredentials",
		AccessToken: r.Header.Get("X-Amz-Sso_bearer_token"),
		AccountID:   r.URL.Query().Get("account_id"),
		RoleName:    r.URL.Query().Get("role_name"),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	if !s.tokens[c.AccessToken] {
		fail(w, http.StatusUnauthorized, "UnauthorizedException", "Session token not found or invalid")
		return
	}
	creds, ok := s.grants[grantKey{c.AccessToken, c.AccountID, c.RoleName}]
	if !ok {
		fail(w, http.StatusForbidden, "ForbiddenException", "No access")
		return
	}
	type roleCredentials struct {
		AccessKeyID     string `json:"accessKeyId"`
		SecretAccessKey string `json:"secretAccessKey"`
		SessionToken    string `json:"sessionToken"`
		Expiration      int64  `json:"expiration"` // milliseconds since the epoch
	}
	writeJSON(w, http.StatusOK, map[string]any{"roleCredentials": roleCredentials{
		creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken, creds.Expiration.UnixMilli(),
	}})
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ClientID     string `json:"clientId"`
		ClientSecret string `json:"clientSecret"`
		GrantType    string `json:"grantType"`
		RefreshToken string `json:"refreshToken"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		fail(w, http.StatusBadRequest, "InvalidRequestException", "body is not JSON")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, Call{Op: "CreateToken", ClientID: in.ClientID, GrantType: in.GrantType, RefreshToken: in.RefreshToken})
	ref, ok := s.refreshes[in.RefreshToken]
	if in.GrantType != "refresh_token" || !ok || ref.clientID != in.ClientID || ref.clientSecret != in.ClientSecret {
		fail(w, http.StatusBadRequest, "InvalidGrantException", "Invalid refresh token provided")
		return
	}
	delete(s.refreshes, in.RefreshToken) // a refresh token is good once
	s.tokens[ref.accessToken] = true
	writeJSON(w, http.StatusOK, map[string]any{
		"accessToken":  ref.accessToken,
		"expiresIn":    int(ref.expiresIn / time.Second),
		"refreshToken": ref.newRefreshToken,
		"tokenType":    "Bearer",
	})
}

func fail(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("X-Amzn-Errortype", code)
	writeJSON(w, status, map[string]string{"__type": code, "message": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
