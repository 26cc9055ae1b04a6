package redis

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// Node is one hub's membership of a Redis-backed cluster: the Broker and
// the Presence store for hub.Config, plus the heartbeat that keeps the
// node's records alive and expires those of dead nodes. Create it with
// New, give Broker() and Presence() (and NodeID()) to hub.New, close the
// hub first and then the Node.
type Node struct {
	cfg         Config
	client      goredis.UniversalClient
	keys        keys
	log         *slog.Logger
	incarnation string // NodeID plus a random suffix: one life of the node
	cmdTimeout  time.Duration

	broker   *Broker
	presence *Presence

	connected atomic.Bool
	everUp    atomic.Bool // the subscription succeeded at least once
	ready     chan struct{}
	readyOnce sync.Once

	reconnects atomic.Int64
	expired    atomic.Int64
	beaten     bool // liveness goroutine only: the first heartbeat succeeded

	cancel context.CancelFunc
	wg     sync.WaitGroup
	closed atomic.Bool
}

// New returns a running Node: the heartbeat starts at once; the
// subscription starts when the hub calls Broker().Run. It does not wait
// for Redis: while Redis is unreachable publishes fail (status 6) and the
// node keeps retrying. Use WaitConnected to wait for the subscription.
func New(cfg Config) (*Node, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	n := &Node{
		cfg: cfg, client: cfg.Client, keys: keys{cfg.Prefix}, log: cfg.Logger,
		incarnation: cfg.NodeID + "~" + randomToken(), cmdTimeout: DefaultCommandTimeout,
		ready: make(chan struct{}),
	}
	n.cfg.Metrics = countingMetrics{Metrics: cfg.Metrics, n: n}
	n.broker = newBroker(n)
	n.presence = &Presence{n: n}
	ctx, cancel := context.WithCancel(context.Background())
	n.cancel = cancel
	n.wg.Add(1)
	go n.runLiveness(ctx)
	return n, nil
}

// NodeID returns the node id (without the incarnation suffix).
func (n *Node) NodeID() string { return n.cfg.NodeID }

// Broker returns the node's hub.Broker.
func (n *Node) Broker() *Broker { return n.broker }

// Presence returns the node's hub.PresenceStore.
func (n *Node) Presence() *Presence { return n.presence }

// WaitConnected waits until the subscription is established for the first
// time, or ctx ends.
func (n *Node) WaitConnected(ctx context.Context) error {
	select {
	case <-n.ready:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("redis: waiting for the subscription: %w", ctx.Err())
	}
}

// Health is a snapshot of a Node's Redis state, for metrics and status pages.
type Health struct {
	Connected  bool  // the subscription is up
	Reconnects int64 // attempts since start
	QueueDepth int   // publishes waiting for a worker
	Expired    int64 // connections of dead nodes this node removed
}

// Health returns the node's current state.
func (n *Node) Health() Health {
	return Health{
		Connected: n.connected.Load(), Reconnects: n.reconnects.Load(),
		QueueDepth: n.broker.QueueDepth(), Expired: n.expired.Load(),
	}
}

// Close stops the heartbeat and the broker and closes the Redis client.
// The node's records are left to expire (NodeTTL), so other nodes send
// member_removed for connections the hub did not close. Idempotent.
func (n *Node) Close() error {
	if n.closed.Swap(true) {
		return nil
	}
	n.cancel()
	n.wg.Wait()
	_ = n.broker.Close()
	if err := n.client.Close(); err != nil {
		return fmt.Errorf("redis: close: %w", err)
	}
	return nil
}

// countingMetrics keeps the Health counters next to the user's Metrics.
type countingMetrics struct {
	Metrics
	n *Node
}

func (c countingMetrics) Reconnect() { c.n.reconnects.Add(1); c.Metrics.Reconnect() }
func (c countingMetrics) Expired(k int) {
	c.n.expired.Add(int64(k))
	c.Metrics.Expired(k)
}
