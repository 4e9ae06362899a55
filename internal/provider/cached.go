package provider

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/assume-cli/assume/internal/session"
)

// Cache stores temporary credentials between runs. Long-term keys never go in.
type Cache interface {
	Get(key string) (session.Entry, bool)
	Put(key string, e session.Entry) error
	Delete(key string) error
	// Lock serialises runs that would fill the same entry, so parallel
	// `assume prod` ask for one MFA code and make one STS call.
	Lock(key string) (unlock func(), err error)
}

// CachedProvider wraps a provider with the cache.
type CachedProvider struct {
	Cache    Cache
	Key      string
	Profile  string
	Kind     string
	Provider aws.CredentialsProvider
	Refresh  bool // skip what is cached
	Now      func() time.Time

	// Hit is set after Retrieve: whether the cache answered.
	Hit bool
	// OnStoreError is told when the cache cannot be written (not fatal).
	OnStoreError func(error)
}

func (c *CachedProvider) fresh(e session.Entry) bool { return session.Fresh(e, nowOr(c.Now)()) }

func (c *CachedProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	if !c.Refresh {
		if e, ok := c.Cache.Get(c.Key); ok && c.fresh(e) {
			c.Hit = true
			return toAWS(e.Credentials), nil
		}
	}
	unlock, err := c.Cache.Lock(c.Key)
	if err == nil {
		defer unlock()
		// Another run may have filled the entry while this one waited.
		if !c.Refresh {
			if e, ok := c.Cache.Get(c.Key); ok && c.fresh(e) {
				c.Hit = true
				return toAWS(e.Credentials), nil
			}
		}
	}
	creds, err := c.Provider.Retrieve(ctx)
	if err != nil {
		return aws.Credentials{}, err
	}
	if creds.CanExpire {
		if err := c.Cache.Put(c.Key, session.Entry{Profile: c.Profile, Kind: c.Kind, Credentials: SessionCredentials(creds)}); err != nil && c.OnStoreError != nil {
			c.OnStoreError(err)
		}
	}
	return creds, nil
}

// Invalidate drops the entry, after STS said it is expired or revoked.
func (c *CachedProvider) Invalidate() { _ = c.Cache.Delete(c.Key) }

// retryExpired calls retrieve; if STS says the cached signing credentials are
// expired or revoked, it drops them and tries once more (asking for a new MFA
// code if that is what they need).
func retryExpired(ctx context.Context, signer *CachedProvider, retrieve func(context.Context) (aws.Credentials, error)) (aws.Credentials, error) {
	creds, err := retrieve(ctx)
	var se *STSError
	if err != nil && signer != nil && signer.Hit && errors.As(err, &se) && se.Expired() {
		signer.Invalidate()
		signer.Hit = false
		signer.Refresh = true
		return retrieve(ctx)
	}
	return creds, err
}

type noCache struct{}

func (noCache) Get(string) (session.Entry, bool) { return session.Entry{}, false }
func (noCache) Put(string, session.Entry) error  { return nil }
func (noCache) Delete(string) error              { return nil }
func (noCache) Lock(string) (func(), error)      { return func() {}, nil }

// toAWS and SessionCredentials convert between the cache's credentials and the SDK's.
func toAWS(c session.Credentials) aws.Credentials {
	return aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
		CanExpire: c.CanExpire, Expires: c.Expires, Source: c.Source}
}

func SessionCredentials(c aws.Credentials) session.Credentials {
	return session.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken,
		CanExpire: c.CanExpire, Expires: c.Expires, Source: c.Source}
}
