package pogows

import (
	"hash/maphash"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
)

// rateLimiter is a token bucket per client IP: each IP may perform burst
// handshakes at once and rate handshakes per second sustained.
//
// Memory is bounded: the buckets live in limiterShards shards of at most
// maxPerShard entries. A shard that reaches its cap first forgets buckets
// that have refilled completely (they carry no information); if it is still
// full it is reset, which at worst grants the forgotten IPs a fresh burst.
type rateLimiter struct {
	rate   float64
	burst  float64
	now    func() time.Time
	seed   maphash.Seed
	shards [limiterShards]limiterShard
}

const (
	limiterShards = 16
	maxPerShard   = 8192
)

type limiterShard struct {
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// newRateLimiter returns a limiter, or nil (allow everything) when rate <= 0.
func newRateLimiter(rate float64, burst int) *rateLimiter {
	if rate <= 0 {
		return nil
	}
	if burst < 1 {
		burst = 1
	}
	l := &rateLimiter{rate: rate, burst: float64(burst), now: time.Now, seed: maphash.MakeSeed()}
	for i := range l.shards {
		l.shards[i].buckets = make(map[string]*bucket)
	}
	return l
}

// allow takes one token for key and reports whether one was available.
// A nil limiter allows everything.
func (l *rateLimiter) allow(key string) bool {
	if l == nil {
		return true
	}
	sh := &l.shards[maphash.String(l.seed, key)%limiterShards]
	now := l.now()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	b, ok := sh.buckets[key]
	if !ok {
		if len(sh.buckets) >= maxPerShard {
			l.sweep(sh, now)
		}
		b = &bucket{tokens: l.burst, last: now}
		sh.buckets[key] = b
	}
	b.refill(now, l.rate, l.burst)
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

func (b *bucket) refill(now time.Time, rate, burst float64) {
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(burst, b.tokens+el*rate)
		b.last = now
	}
}

// sweep drops refilled buckets, or every bucket if none refilled.
func (l *rateLimiter) sweep(sh *limiterShard, now time.Time) {
	for k, b := range sh.buckets {
		b.refill(now, l.rate, l.burst)
		if b.tokens >= l.burst {
			delete(sh.buckets, k)
		}
	}
	if len(sh.buckets) >= maxPerShard {
		clear(sh.buckets)
	}
}

// clientIP returns the client address Caddy determined for r (honouring
// the server's trusted_proxies), falling back to the TCP peer address.
func clientIP(r *http.Request) string {
	if v, ok := caddyhttp.GetVar(r.Context(), caddyhttp.ClientIPVarKey).(string); ok && v != "" {
		return v
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
