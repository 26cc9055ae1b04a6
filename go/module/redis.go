package pogows

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"strings"

	"github.com/y-l-g/websocket/go/hub"
	pogoredis "github.com/y-l-g/websocket/go/hub/redis"
)

// configureRedis makes cfg one node of the hubs sharing the Redis at
// s.redis (one server, a Redis Cluster or a master found through
// Sentinel): the Redis broker (outgoing queue of broker_queue_size) and
// the cluster-wide presence store. It does not wait for Redis: while
// Redis is unreachable publishes fail with status 6 and the node keeps
// reconnecting. The returned closer closes the node; call it after the
// hub is closed.
func configureRedis(cfg *hub.Config, s *settings, log *slog.Logger) (io.Closer, error) {
	r := s.redis
	opts := pogoredis.ClientOptions{URL: r.URL, Password: r.Password, DB: r.DB, TLS: r.TLS}
	if r.URL == "" {
		opts.Addrs, opts.Cluster, opts.SentinelMaster = r.addrs(), r.Cluster, r.SentinelMaster
	}
	client, err := pogoredis.NewClient(opts)
	if err != nil {
		if r.URL != "" {
			return nil, fmt.Errorf("%w: redis_url: %w", ErrInvalidConfig, err) // the URL may hold a password: not echoed
		}
		return nil, fmt.Errorf("%w: redis_host %s: %w", ErrInvalidConfig, strings.Join(opts.Addrs, " "), err)
	}
	node, err := pogoredis.New(pogoredis.Config{
		Client: client, QueueSize: s.brokerQueueSize, Metrics: redisMetrics{globalMetrics}, Logger: log,
	})
	if err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("pogo_websocket: starting the Redis node: %w", err)
	}
	cfg.Broker, cfg.Presence, cfg.NodeID = node.Broker(), node.Presence(), node.NodeID()
	globalMetrics.trackQueue(node, node.Broker().QueueDepth)
	return closerFunc(func() error {
		globalMetrics.untrackQueue(node)
		err := node.Close()
		if errors.Is(err, io.EOF) {
			return nil
		}
		return err
	}), nil
}

type closerFunc func() error

func (f closerFunc) Close() error { return f() }

// hashString returns a short non-reversible fingerprint (for identity keys
// that must not contain secrets).
func hashString(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}
