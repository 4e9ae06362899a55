package fastpath

import (
	"time"

	"github.com/assume-cli/assume/internal/render"
	"github.com/assume-cli/assume/internal/session"
)

// Cache is where Answer looks: internal/credcache's Store.
type Cache interface {
	Get(key string) (session.Entry, bool)
}

// Answered is credentials found without a call.
type Answered struct {
	Credentials session.Credentials
	How         string // as the notice says it
	FromCache   bool
}

// Answer returns p's credentials when no call is needed: the keys in the files (the top step of
// its plan is Keys), or the cached result of the top step while it is fresh (session.Fresh), as
// internal/provider's CachedProvider would find it. ok is false for everything else: a miss, keys
// kept in the keyring, --refresh, or a plan that cannot work (whose error the full program gives).
func Answer(p *session.Profile, o session.PlanOptions, cache Cache, now time.Time) (a Answered, ok bool) {
	plan, err := session.NewPlan(p, o)
	if err != nil {
		return Answered{}, false
	}
	top := plan.Top
	switch {
	case top.Call == session.Keys && top.Key == "":
		return Answered{How: plan.How, Credentials: session.Credentials{
			AccessKeyID: top.AccessKeyID, SecretAccessKey: top.SecretAccessKey, SessionToken: top.SessionToken,
		}}, true
	case top.Key == "" || top.Refresh:
		return Answered{}, false
	}
	e, hit := cache.Get(top.Key)
	if !hit || !session.Fresh(e, now) {
		return Answered{}, false
	}
	return Answered{How: plan.How, FromCache: true, Credentials: e.Credentials}, true
}

// RenderCredentials are c as exported for profile in region.
func RenderCredentials(c session.Credentials, region, profile string) render.Credentials {
	r := render.Credentials{
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey,
		SessionToken:    c.SessionToken,
		Region:          region,
		Profile:         profile,
	}
	if c.CanExpire {
		r.Expires = c.Expires.UTC()
	}
	return r
}
