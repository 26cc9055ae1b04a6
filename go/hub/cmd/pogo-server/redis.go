package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/y-l-g/websocket/go/hub"
	pogoredis "github.com/y-l-g/websocket/go/hub/redis"
)

// redisOptions are the flags that join this server to a Redis-backed
// cluster (package redis). Without -redis-addr and -redis-url the server
// is a single node.
//
//	-redis-addr HOST:PORT   Redis server (the Caddyfile's redis_host)
//	-redis-url URL          redis://[user:pass@]host:port/db or rediss:// (wins over -redis-addr)
//	-redis-password S       password (redis_password)
//	-redis-db N             database (redis_db, default 0)
//	-redis-tls BOOL         TLS (redis_tls, default false)
//	-redis-prefix P         key and channel prefix (default "pogo")
//	-redis-queue N          outgoing publish queue (broker_queue_size, default 1024)
//	-redis-heartbeat DUR    node heartbeat (default 3s)
//	-redis-node-ttl DUR     silence after which a node's members expire (default 15s)
//	-node-id ID             node id (default random)
type redisOptions struct {
	addr, url, password, prefix, nodeID string
	db, queue                           int
	tls                                 bool
	heartbeat, nodeTTL                  time.Duration
}

// register adds the flags to fs.
func (o *redisOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.addr, "redis-addr", "", "Redis host:port (enables the cluster broker)")
	fs.StringVar(&o.url, "redis-url", "", "Redis URL redis://[user:pass@]host:port/db (rediss:// for TLS)")
	fs.StringVar(&o.password, "redis-password", "", "Redis password")
	fs.IntVar(&o.db, "redis-db", 0, "Redis database")
	fs.BoolVar(&o.tls, "redis-tls", false, "connect to Redis with TLS")
	fs.StringVar(&o.prefix, "redis-prefix", pogoredis.DefaultPrefix, "prefix of Redis keys and channels")
	fs.IntVar(&o.queue, "redis-queue", pogoredis.DefaultQueueSize, "outgoing publish queue size")
	fs.Var(durationValue{&o.heartbeat}, "redis-heartbeat", "node heartbeat period (default 3s)")
	fs.Var(durationValue{&o.nodeTTL}, "redis-node-ttl", "silence after which a node's members expire (default 15s)")
	fs.StringVar(&o.nodeID, "node-id", "", "node id in the cluster (default random)")
}

// redisConnectWait is how long startup waits for the first subscription
// before serving anyway (publishes fail with status 6 until it is up).
const redisConnectWait = 5 * time.Second

// apply sets cfg's node id, broker and presence store to Redis when
// configured and returns the node (nil for a single node). Bad options
// wrap errUsage. Close the node after the hub (closeRedis).
func (o *redisOptions) apply(cfg *hub.Config, log *slog.Logger) (*pogoredis.Node, error) {
	if o.addr == "" && o.url == "" {
		return nil, nil
	}
	client, err := pogoredis.NewClient(pogoredis.ClientOptions{
		URL: o.url, Addrs: nonEmpty(o.addr), Password: o.password, DB: o.db, TLS: o.tls,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errUsage, err)
	}
	node, err := pogoredis.New(pogoredis.Config{
		Client: client, Prefix: o.prefix, NodeID: o.nodeID, QueueSize: o.queue,
		Heartbeat: o.heartbeat, NodeTTL: o.nodeTTL, Logger: log,
	})
	if err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("%w: %w", errUsage, err)
	}
	cfg.NodeID, cfg.Broker, cfg.Presence = node.NodeID(), node.Broker(), node.Presence()
	return node, nil
}

// waitRedis waits (at most redisConnectWait) for node's first
// subscription, so that the server does not announce itself before it can
// publish; on timeout it logs and serves anyway. No-op for nil.
func waitRedis(ctx context.Context, node *pogoredis.Node, log *slog.Logger) {
	if node == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, redisConnectWait)
	defer cancel()
	if err := node.WaitConnected(ctx); err != nil {
		log.Warn("redis: not connected yet; serving local clients, publishes fail until it is", "err", err)
	}
}

// closeRedis closes node (nil: nothing).
func closeRedis(node *pogoredis.Node) {
	if node != nil {
		_ = node.Close()
	}
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
