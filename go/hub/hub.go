package hub

import (
	"context"
	"errors"
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

// Hub is the protocol engine. It is safe for concurrent use.
//
// STUB: the engine (issue 3) replaces the bodies below; the signatures are
// the contract other packages build against.
type Hub struct {
	cfg Config
}

// New returns a running hub. Close or Shutdown it when done.
func New(cfg Config) (*Hub, error) { panic("hub: not implemented") }

// Apps returns the app provider the hub was configured with.
func (h *Hub) Apps() AppProvider { return h.cfg.Apps }

// NodeID returns this node's id.
func (h *Hub) NodeID() string { return h.cfg.NodeID }

// Resolve finds the app for a WebSocket connection by key: 4001 when
// unknown, 4003 when disabled.
func (h *Hub) Resolve(key string) (*App, *pusher.Error) { panic("hub: not implemented") }

// Open registers a new connection of app and sends
// pusher:connection_established on c. It returns a *pusher.Error (to be sent
// and then closed by the caller) when the protocol version is missing (4008),
// malformed (4006) or unsupported (4007), the hub is over MaxConnections
// (4100) or shutting down (4200).
func (h *Hub) Open(app *App, c Conn, meta ConnMeta) (*Session, error) { panic("hub: not implemented") }

// Publish validates m against the app's limits, hands it to the broker and
// returns the outcome. It never blocks beyond ctx and never on a socket.
func (h *Hub) Publish(ctx context.Context, m Message) Status { panic("hub: not implemented") }

// ChannelInfo describes one channel for the HTTP API.
type ChannelInfo struct {
	Name              string
	Occupied          bool
	SubscriptionCount int
	UserCount         int         // presence channels: distinct users
	Cache             *CacheEntry // cache channels with a live cached event
}

// CacheEntry is the last event of a cache channel and its remaining TTL.
type CacheEntry struct {
	Event string
	Data  string
	TTL   time.Duration
}

// AppStats is a snapshot of one app's load.
type AppStats struct {
	Connections   int
	Channels      int
	Subscriptions int
}

// Channel describes one channel of appID (occupied or not).
func (h *Hub) Channel(ctx context.Context, appID, name string) (ChannelInfo, error) {
	panic("hub: not implemented")
}

// Channels lists the occupied channels of appID whose names start with prefix.
func (h *Hub) Channels(ctx context.Context, appID, prefix string) ([]ChannelInfo, error) {
	panic("hub: not implemented")
}

// PresenceUsers lists the distinct user ids of a presence channel.
func (h *Hub) PresenceUsers(ctx context.Context, appID, channel string) ([]string, error) {
	panic("hub: not implemented")
}

// TerminateUser closes every connection signed in as userID on every node,
// with a pusher:error and close code 4009 (pusher-js does not reconnect).
func (h *Hub) TerminateUser(ctx context.Context, appID, userID string) error {
	panic("hub: not implemented")
}

// Stats returns a snapshot of appID's connections, channels and subscriptions.
func (h *Hub) Stats(appID string) AppStats { panic("hub: not implemented") }

// Shutdown closes every connection with 4200 (reconnect) and waits until
// they are gone or ctx ends. New connections are refused meanwhile.
func (h *Hub) Shutdown(ctx context.Context) error { panic("hub: not implemented") }

// Close stops the hub's goroutines and the broker. Connections still open are closed with 4200.
func (h *Hub) Close() error { panic("hub: not implemented") }
