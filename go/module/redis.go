package pogows

import (
	"fmt"
	"hash/fnv"
	"io"

	"github.com/y-l-g/websocket/go/hub"
	pogoredis "github.com/y-l-g/websocket/go/hub/redis"
)

// configureRedis sets cfg's node id, broker and presence store to Redis
// (package hub/redis: Pub/Sub fan-out, cluster-wide presence, occupancy
// and cache channels, expiry of dead nodes) and returns what must be
// closed after the hub. broker_queue_size bounds the outgoing publish
// queue. It does not wait for Redis: until the subscription is up (and
// during outages) publishes fail with status 6 and local clients keep
// being served.
func configureRedis(cfg *hub.Config, s *settings) (io.Closer, error) {
	r := s.redis
	client, err := pogoredis.NewClient(pogoredis.ClientOptions{
		Addrs: []string{r.Host}, Password: r.Password, DB: r.DB, TLS: r.TLS,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: redis_host %q: %w", ErrInvalidConfig, r.Host, err)
	}
	node, err := pogoredis.New(pogoredis.Config{
		Client: client, QueueSize: s.brokerQueueSize, Logger: cfg.Logger,
	})
	if err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("%w: redis: %w", ErrInvalidConfig, err)
	}
	cfg.NodeID, cfg.Broker, cfg.Presence = node.NodeID(), node.Broker(), node.Presence()
	return node, nil
}

// hashString returns a short non-reversible fingerprint (for identity keys
// that must not contain secrets).
func hashString(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}
