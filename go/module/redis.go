package pogows

import (
	"fmt"
	"hash/fnv"
	"io"

	"github.com/y-l-g/websocket/go/hub"
)

// configureRedis sets cfg's broker and presence store to Redis and returns
// what must be closed with the hub.
func configureRedis(cfg *hub.Config, s *settings) (io.Closer, error) {
	return nil, fmt.Errorf("%w: redis_host %q: the Redis broker is not available in this build", ErrInvalidConfig, s.redis.Host)
}

// hashString returns a short non-reversible fingerprint (for identity keys
// that must not contain secrets).
func hashString(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}
