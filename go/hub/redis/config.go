package redis

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// ErrConfig is wrapped by every configuration error.
var ErrConfig = errors.New("redis: invalid config")

// Defaults of Config.
const (
	DefaultPrefix         = "pogo"
	DefaultQueueSize      = 1024
	DefaultWorkers        = 4
	DefaultHeartbeat      = 3 * time.Second
	DefaultNodeTTL        = 15 * time.Second
	DefaultBackoffMin     = 100 * time.Millisecond
	DefaultBackoffMax     = 5 * time.Second
	DefaultCommandTimeout = 2 * time.Second
)

// ClientOptions says how to reach Redis: the seed's redis_host,
// redis_password, redis_db and redis_tls, or a URL
// (redis://[user:password@]host:port/db, rediss:// for TLS). Sentinel
// (SentinelMaster set, Addrs the sentinels) and Redis Cluster (Cluster
// true, Addrs the seed nodes) go through go-redis's universal client.
// Without either, Addrs must hold exactly one server.
type ClientOptions struct {
	URL      string   // wins over the fields below when set
	Addrs    []string // host:port; required unless URL is set
	Username string
	Password string // of the server, master or cluster nodes (not of sentinels)
	DB       int    // must be 0 with Cluster: Redis Cluster has only database 0
	TLS      bool
	// SentinelMaster is the master name the sentinels at Addrs monitor.
	SentinelMaster string
	// Cluster makes Addrs seed nodes of a Redis Cluster; the client
	// discovers the others and follows slot moves. Exclusive with
	// SentinelMaster.
	Cluster bool
	// CommandTimeout bounds dialing, reads and writes; default 2s.
	CommandTimeout time.Duration
}

// NewClient builds a go-redis client from o. It does not connect.
func NewClient(o ClientOptions) (goredis.UniversalClient, error) {
	timeout := o.CommandTimeout
	if timeout <= 0 {
		timeout = DefaultCommandTimeout
	}
	if o.URL != "" {
		opt, err := goredis.ParseURL(o.URL)
		if err != nil {
			return nil, fmt.Errorf("%w: redis url: %w", ErrConfig, err)
		}
		opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout = timeout, timeout, timeout
		return goredis.NewClient(opt), nil
	}
	if len(o.Addrs) == 0 {
		return nil, fmt.Errorf("%w: no Redis address", ErrConfig)
	}
	for _, a := range o.Addrs {
		if _, _, err := net.SplitHostPort(a); err != nil {
			return nil, fmt.Errorf("%w: redis address %q must be host:port", ErrConfig, a)
		}
	}
	if o.DB < 0 {
		return nil, fmt.Errorf("%w: negative redis db %d", ErrConfig, o.DB)
	}
	if o.Cluster && o.SentinelMaster != "" {
		return nil, fmt.Errorf("%w: choose Redis Cluster or Sentinel, not both", ErrConfig)
	}
	if o.Cluster && o.DB != 0 {
		return nil, fmt.Errorf("%w: redis db %d with Redis Cluster, which has only db 0", ErrConfig, o.DB)
	}
	if !o.Cluster && o.SentinelMaster == "" && len(o.Addrs) > 1 {
		return nil, fmt.Errorf("%w: %d redis addresses need Redis Cluster or a Sentinel master name", ErrConfig, len(o.Addrs))
	}
	uo := &goredis.UniversalOptions{
		Addrs: o.Addrs, Username: o.Username, Password: o.Password, DB: o.DB,
		MasterName:  o.SentinelMaster,
		DialTimeout: timeout, ReadTimeout: timeout, WriteTimeout: timeout,
		IsClusterMode: o.Cluster,
	}
	if o.TLS {
		uo.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	return goredis.NewUniversalClient(uo), nil
}

// Config configures a Node. Zero fields take the documented defaults.
type Config struct {
	// Client is the Redis connection (NewClient). Required. The Node
	// closes it on Close.
	Client goredis.UniversalClient
	// Prefix starts every Redis key and Pub/Sub channel, so several
	// deployments can share one Redis; default "pogo". Apps are separated
	// inside a prefix by their id. It must not contain { or }: they would
	// break the hash tag that keeps one app's keys in one Redis Cluster
	// slot (keys.go).
	Prefix string
	// NodeID names this node; default: random. The Node adds a random
	// incarnation suffix in Redis, so a restarted node never inherits
	// the records of its previous life.
	NodeID string
	// QueueSize bounds the outgoing publish queue (the seed's
	// broker_queue_size); default 1024. A full queue fails Publish with
	// hub.ErrBrokerQueueFull (status 8).
	QueueSize int
	// Workers is the number of publishing goroutines, each with its own
	// Redis connection and a share of the queue; messages of one channel
	// always go through the same worker, so their order is kept.
	// Default 4.
	Workers int
	// Heartbeat is how often the node refreshes its liveness record and
	// looks for dead nodes; default 3s.
	Heartbeat time.Duration
	// NodeTTL is how long a silent node stays alive: after it, another
	// node removes its presence members and subscriptions (and the hub
	// sends member_removed and channel_vacated). Default 15s; must exceed
	// Heartbeat.
	NodeTTL time.Duration
	// BackoffMin and BackoffMax bound the exponential back-off between
	// reconnection attempts of the subscriber; defaults 100ms and 5s.
	BackoffMin, BackoffMax time.Duration
	// Metrics observes the connection; default none.
	Metrics Metrics
	// Logger; default slog.Default().
	Logger *slog.Logger
}

func (c Config) withDefaults() (Config, error) {
	if c.Client == nil {
		return c, fmt.Errorf("%w: Client is required", ErrConfig)
	}
	if c.QueueSize < 0 || c.Workers < 0 || c.Heartbeat < 0 || c.NodeTTL < 0 {
		return c, fmt.Errorf("%w: negative QueueSize, Workers, Heartbeat or NodeTTL", ErrConfig)
	}
	if strings.ContainsAny(c.Prefix, "{}") {
		return c, fmt.Errorf("%w: Prefix %q must not contain { or }", ErrConfig, c.Prefix)
	}
	c.Prefix = or(c.Prefix, DefaultPrefix)
	c.NodeID = or(c.NodeID, "node-"+randomToken())
	c.QueueSize = or(c.QueueSize, DefaultQueueSize)
	c.Workers = min(or(c.Workers, DefaultWorkers), c.QueueSize)
	c.Heartbeat = or(c.Heartbeat, DefaultHeartbeat)
	c.NodeTTL = or(c.NodeTTL, DefaultNodeTTL)
	c.BackoffMin = or(c.BackoffMin, DefaultBackoffMin)
	c.BackoffMax = max(or(c.BackoffMax, DefaultBackoffMax), c.BackoffMin)
	if c.NodeTTL <= c.Heartbeat {
		return c, fmt.Errorf("%w: NodeTTL %s must exceed Heartbeat %s", ErrConfig, c.NodeTTL, c.Heartbeat)
	}
	if c.Metrics == nil {
		c.Metrics = NopMetrics{}
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c, nil
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
