package hub

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

// Sentinel errors.
var (
	ErrSlowConsumer    = errors.New("hub: slow consumer: connection write queue full")
	ErrBrokerQueueFull = errors.New("hub: broker queue full")
	ErrUnknownApp      = errors.New("hub: unknown app")
	ErrNotPresence     = errors.New("hub: not a presence channel")
	ErrClosed          = errors.New("hub: closed")
)

// Protocol versions accepted by Open.
const (
	minProtocol = 5
	maxProtocol = pusher.ProtocolVersion
)

// internalPublishTimeout bounds broker publishes the hub makes on its own
// (client events, presence member events, terminate-user commands).
const internalPublishTimeout = 5 * time.Second

// Hub is the protocol engine. It is safe for concurrent use.
type Hub struct {
	cfg      Config
	log      *slog.Logger
	metrics  Metrics
	broker   Broker
	presence PresenceStore
	shards   []*shard
	cluster  bool // Broker is not a LocalBroker: occupancy goes through the PresenceStore

	resyncing atomic.Bool  // a resync (resync.go) is running
	expiry    expiryCounts // subscription_count after a dead node's subscriptions expired

	mu   sync.Mutex
	apps map[string]*appState

	conns    atomic.Int64
	shutting atomic.Bool
	closed   atomic.Bool
	done     chan struct{}
	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup

	now func() time.Time // clock, replaced in tests
}

// New returns a running hub: shard fan-out goroutines started, broker bound
// (LocalBroker) or running (any other Broker), a cache sweeper started.
// Close or Shutdown it when done.
func New(cfg Config) (*Hub, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	h := &Hub{
		cfg: cfg, log: cfg.Logger, metrics: cfg.Metrics, broker: cfg.Broker, presence: cfg.Presence,
		apps: make(map[string]*appState), done: make(chan struct{}), now: time.Now,
	}
	h.ctx, h.cancel = context.WithCancel(context.Background())
	h.shards = make([]*shard, cfg.NumShards)
	for i := range h.shards {
		h.shards[i] = newShard(cfg.ShardQueueSize)
		h.wg.Add(1)
		go h.runShard(h.shards[i])
	}
	if lb, ok := h.broker.(LocalBroker); ok {
		lb.BindLocal(h.deliver)
	} else {
		h.cluster = true
		if es, ok := h.presence.(ExpiringStore); ok {
			es.OnExpire(h.expired)
		}
		if rs, ok := h.presence.(Resyncer); ok {
			rs.OnLost(h.resync)
		}
		if rc, ok := h.presence.(Reconciler); ok {
			rc.SetOpenSockets(h.openSockets)
		}
		if cc, ok := h.presence.(ConnectionCounter); ok {
			cc.SetConnectionSource(h.localConnections)
		}
		h.wg.Add(1)
		go h.runBroker()
	}
	h.wg.Add(1)
	go h.runSweeper()
	return h, nil
}

// runBroker feeds a remote broker's envelopes to deliver until Close.
func (h *Hub) runBroker() {
	defer h.wg.Done()
	err := h.broker.Run(h.ctx, func(e *Envelope) {
		if err := h.deliver(e); err != nil {
			h.log.Debug("hub: delivery failed", "app", e.Message.AppID, "err", err)
		}
	})
	if err != nil && h.ctx.Err() == nil {
		h.log.Error("hub: broker stopped", "err", err)
	}
}

// runSweeper deletes expired cache entries every minute.
func (h *Hub) runSweeper() {
	defer h.wg.Done()
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			now := h.now()
			for _, sh := range h.shards {
				sh.sweep(now)
			}
		case <-h.done:
			return
		}
	}
}

// Apps returns the app provider the hub was configured with.
func (h *Hub) Apps() AppProvider { return h.cfg.Apps }

// NodeID returns this node's id.
func (h *Hub) NodeID() string { return h.cfg.NodeID }

// Resolve finds the app for a WebSocket connection by key: 4001 when
// unknown, 4003 when disabled.
func (h *Hub) Resolve(key string) (*App, *pusher.Error) {
	app, ok := h.cfg.Apps.ByKey(key)
	if !ok || app == nil {
		return nil, pusher.NewCloseError(pusher.CodeAppNotFound, fmt.Sprintf("App key %s does not exist", key))
	}
	if app.Disabled {
		return nil, pusher.NewCloseError(pusher.CodeAppDisabled, "Application is disabled")
	}
	return app, nil
}

// appState returns (creating) the per-app state of id.
func (h *Hub) appState(id string) *appState {
	h.mu.Lock()
	defer h.mu.Unlock()
	st := h.apps[id]
	if st == nil {
		st = newAppState()
		h.apps[id] = st
	}
	return st
}

// lookupAppState returns the per-app state of id, or nil.
func (h *Hub) lookupAppState(id string) *appState {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.apps[id]
}

// allSessions returns every open session of every app.
func (h *Hub) allSessions() []*Session {
	h.mu.Lock()
	states := make([]*appState, 0, len(h.apps))
	for _, st := range h.apps {
		states = append(states, st)
	}
	h.mu.Unlock()
	var out []*Session
	for _, st := range states {
		out = append(out, st.sessionList()...)
	}
	return out
}

// Shutdown closes every connection with 4200 (reconnect) and waits until
// they are gone (the transport called Session.Close for each) or ctx ends.
// New connections are refused meanwhile and afterwards.
func (h *Hub) Shutdown(ctx context.Context) error {
	h.shutting.Store(true)
	for _, s := range h.allSessions() {
		s.fail(pusher.NewCloseError(pusher.CodeReconnect, "Server is shutting down"))
	}
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for h.conns.Load() > 0 {
		select {
		case <-ctx.Done():
			return fmt.Errorf("hub: shutdown: %d connections left: %w", h.conns.Load(), ctx.Err())
		case <-t.C:
		}
	}
	return nil
}

// Close stops the hub's goroutines and the broker. Connections still open
// are closed with 4200. Publish returns StatusBrokerFailed afterwards.
// Calling it again is a no-op.
func (h *Hub) Close() error {
	if h.closed.Swap(true) {
		return nil
	}
	h.shutting.Store(true)
	for _, s := range h.allSessions() {
		s.fail(pusher.NewCloseError(pusher.CodeReconnect, "Server is shutting down"))
	}
	h.cancel()
	close(h.done)
	h.wg.Wait()
	if err := h.broker.Close(); err != nil {
		return fmt.Errorf("hub: close broker: %w", err)
	}
	return nil
}
