package console

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"time"

	"github.com/assume-cli/assume/internal/deadline"
	"github.com/assume-cli/assume/internal/display"
)

// Limits of the federation endpoint (AWS's custom identity broker guide).
const (
	// MinSession and MaxSession bound SessionDuration for role credentials.
	MinSession = 15 * time.Minute
	MaxSession = 12 * time.Hour
	// ChainedSession caps a role assumed with temporary credentials (role
	// chaining, an MFA session included): AWS limits it to one hour.
	ChainedSession = time.Hour
	// LoginURLLifetime is how long a login URL signs anyone in.
	LoginURLLifetime = 15 * time.Minute

	// maxResponse caps what is read of getSigninToken's answer (a token is a
	// few KiB).
	maxResponse = 64 << 10
)

// EndpointVariable names the federation endpoint to use instead of AWS's
// (tests, proxies).
const EndpointVariable = "ASSUME_SIGNIN_URL"

// Credentials are the temporary credentials to sign in with.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
}

// Endpoint is the federation endpoint for partition p: $ASSUME_SIGNIN_URL
// when set (https, or http on a loopback address), else AWS's.
func Endpoint(getenv func(string) string, p Partition) (string, error) {
	v := getenv(EndpointVariable)
	if v == "" {
		return "https://" + p.SigninHost + "/federation", nil
	}
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%s=%s is not a URL such as https://signin.aws.amazon.com/federation", EndpointVariable, display.Quote(v))
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && loopback(u.Hostname()):
	default:
		return "", fmt.Errorf("%s must be an https URL (http only on a loopback address), since the credentials are sent to it", EndpointVariable)
	}
	return u.String(), nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// SessionDuration is the console session to ask for with role credentials
// that have left to live: as long as they do, within AWS's limits (15
// minutes to 12 hours, 1 hour for a chained role).
func SessionDuration(left time.Duration, chained bool) time.Duration {
	d := left.Truncate(time.Second)
	limit := MaxSession
	if chained {
		limit = ChainedSession
	}
	if d > limit {
		d = limit
	}
	if d < MinSession {
		d = MinSession
	}
	return d
}

// Client asks a federation endpoint for sign-in tokens.
type Client struct {
	// Endpoint is the federation URL (see Endpoint).
	Endpoint string
	// HTTP is the client to call it with; nil: one without redirects.
	HTTP *http.Client
	// Timeout bounds the getSigninToken call (ASSUME_TIMEOUT); zero: deadline.DefaultNetwork.
	Timeout time.Duration
}

// ErrRefused is a federation endpoint that would not make a token of the
// credentials it was given.
var ErrRefused = errors.New("refused")

// SigninToken exchanges creds for a sign-in token. sessionDuration is sent
// as SessionDuration when not zero (role credentials only: AWS refuses it
// with GetFederationToken credentials). Errors never hold the credentials,
// the token or the request URL.
func (c *Client) SigninToken(ctx context.Context, creds Credentials, sessionDuration time.Duration) (string, error) {
	session, err := json.Marshal(struct {
		ID    string `json:"sessionId"`
		Key   string `json:"sessionKey"`
		Token string `json:"sessionToken"`
	}{creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken})
	if err != nil {
		return "", err
	}
	q := url.Values{"Action": {"getSigninToken"}, "Session": {string(session)}}
	if sessionDuration > 0 {
		q.Set("SessionDuration", strconv.FormatInt(int64(sessionDuration/time.Second), 10))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.Endpoint+"?"+q.Encode(), nil)
	if err != nil {
		return "", fmt.Errorf("the federation endpoint %s is not a URL", display.Quote(c.Endpoint))
	}
	host := req.URL.Host
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{}
	}
	noRedirects := *hc
	noRedirects.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	type reply struct {
		status int
		body   []byte
	}
	r, err := deadline.Call(ctx, deadline.Limits{Network: c.Timeout}.NetworkOrDefault(), "the AWS sign-in service", "",
		func(ctx context.Context) (reply, error) {
			resp, err := noRedirects.Do(req.WithContext(ctx))
			if err != nil {
				// A *url.Error repeats the URL, which holds the credentials: keep only its cause.
				var ue *url.Error
				if errors.As(err, &ue) {
					err = ue.Err
				}
				return reply{}, fmt.Errorf("could not reach the AWS sign-in service at %s: %w", host, err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
			if err != nil {
				return reply{}, fmt.Errorf("reading the answer of the AWS sign-in service at %s failed: %w", host, err)
			}
			return reply{resp.StatusCode, body}, nil
		})
	var late *deadline.NetworkError
	if errors.As(err, &late) {
		// The URL's cause alone was kept, so the deadline names the endpoint here: scheme and host only.
		late.Endpoint = req.URL.Scheme + "://" + host
	}
	if err != nil {
		return "", err
	}
	if r.status != http.StatusOK {
		return "", fmt.Errorf("the AWS sign-in service at %s %w the credentials (HTTP %d)", host, ErrRefused, r.status)
	}
	if len(r.body) > maxResponse {
		return "", fmt.Errorf("the AWS sign-in service at %s answered with more than %d KiB", host, maxResponse>>10)
	}
	var answer struct {
		SigninToken string
	}
	if err := json.Unmarshal(r.body, &answer); err != nil || answer.SigninToken == "" {
		return "", fmt.Errorf("the AWS sign-in service at %s answered without a sign-in token", host)
	}
	return answer.SigninToken, nil
}

// LoginURL is the URL that signs a browser in with token and opens
// destination. issuer is where the console sends the user when the session
// ends. The URL is a credential for LoginURLLifetime.
func LoginURL(endpoint, issuer, destination, token string) string {
	q := url.Values{
		"Action":      {"login"},
		"Issuer":      {issuer},
		"Destination": {destination},
		"SigninToken": {token},
	}
	return endpoint + "?" + q.Encode()
}

// SignOutFirst wraps next (a login URL) in the console's logout redirect, so
// the browser leaves its current console session before signing in again:
// the console refuses a sign-in to another account over a live session.
// The logout endpoint sits next to the federation endpoint.
func SignOutFirst(endpoint, next string) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", err
	}
	u.Path = path.Join(path.Dir(u.Path), "oauth")
	u.RawQuery = url.Values{"Action": {"logout"}, "redirect_uri": {next}}.Encode()
	return u.String(), nil
}
