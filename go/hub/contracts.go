package hub

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

// App is one Pusher application. ID, Key and Secret are distinct values;
// the module defaults Key to ID when unset.
type App struct {
	ID     string
	Key    string
	Secret string

	// Disabled apps refuse connections with 4003 and publishes with StatusHubMissing.
	Disabled bool
	// ClientEvents allows client-* events on private and presence channels.
	ClientEvents bool
	// SubscriptionCount enables pusher_internal:subscription_count events
	// and the subscription_count webhook (never on presence channels).
	SubscriptionCount bool
	// ActivityTimeout is advertised to clients in connection_established,
	// rounded to seconds. Zero means 30s.
	ActivityTimeout time.Duration
	// Limits for this app; zero fields take pusher.DefaultLimits.
	Limits pusher.Limits
}

// AppProvider resolves apps by id (HTTP API, native publish) and by key
// (WebSocket path /app/{key}).
type AppProvider interface {
	ByID(id string) (*App, bool)
	ByKey(key string) (*App, bool)
}

// Conn is the write side of one client connection, implemented by the
// transport (wsconn) and by test fakes.
type Conn interface {
	// WriteFrame queues one complete, already encoded WebSocket frame. The
	// slice is shared by every subscriber and must not be modified or
	// retained after it has been written. It never blocks: when the
	// connection's bounded queue is full it returns ErrSlowConsumer and the
	// connection closes itself with pusher.CodeSlowConsumer.
	WriteFrame(frame []byte) error
	// Close flushes what is queued, sends a close frame with code and
	// reason, and tears the connection down. Idempotent.
	Close(code pusher.Code, reason string)
}

// ConnMeta describes a connection at Open time.
type ConnMeta struct {
	RemoteAddr string
	// Protocol is the raw "protocol" query parameter; HasProtocol is false
	// when it was absent.
	Protocol    string
	HasProtocol bool
}

// Member is a presence channel member as clients see it.
type Member struct {
	UserID   string
	UserInfo json.RawMessage // raw JSON; nil when absent
}

// Message is one event published to one or more channels of an app.
type Message struct {
	AppID    string
	Channels []string
	Event    string
	// Data is the event's data string exactly as subscribers receive it in
	// the "data" member (Pusher double-encodes: it is a JSON string on the wire).
	Data string
	// ExceptSocketID excludes that connection (Laravel's toOthers()).
	ExceptSocketID string
	// UserID is set on client events sent on presence channels.
	UserID string
}

// Envelope is what travels through a Broker: a message plus the node that
// produced it. Brokers must deliver it to every node, including the sender,
// and carry every Message field unchanged: besides published events the hub
// sends its own events (pusher_internal:member_added/removed, client-*
// events with ExceptSocketID and UserID) and control commands (Event
// starting with "pogo_internal:", no Channels, e.g. terminate-user with
// UserID) through the same path, so that they reach every node.
type Envelope struct {
	Node    string
	Message Message
	// CacheTTL is the app's cache TTL when Message names a cache channel
	// (not set for protocol events and control commands): brokers that
	// share cache state store the event for that long. Zero otherwise.
	CacheTTL time.Duration
}

// Broker moves published messages between nodes. Delivery is at-most-once.
// The in-memory broker delivers synchronously to the local node.
type Broker interface {
	// Publish hands e to every node. It must not block beyond ctx.
	// A full outgoing queue returns ErrBrokerQueueFull; other failures are
	// wrapped errors (StatusBrokerFailed).
	Publish(ctx context.Context, e *Envelope) error
	// Run delivers envelopes from all nodes to deliver until ctx ends.
	Run(ctx context.Context, deliver func(*Envelope)) error
	Close() error
}

// PresenceStore is the source of truth for presence members. The memory
// implementation serves one node; the Redis one serves a cluster.
type PresenceStore interface {
	// Join records socketID as a connection of m.UserID on channel and
	// reports whether it is the user's first connection there.
	Join(ctx context.Context, appID, channel, socketID string, m Member) (first bool, err error)
	// Leave removes socketID and reports the member and whether it was the
	// user's last connection. Unknown sockets return ok=false.
	Leave(ctx context.Context, appID, channel, socketID string) (m Member, last, ok bool, err error)
	// Members returns the distinct users of channel, one entry per user.
	Members(ctx context.Context, appID, channel string) ([]Member, error)
}

// WebhookEvent is one Pusher webhook event (shared/PROTOCOL.md §A.12).
type WebhookEvent struct {
	Name              string `json:"name"`
	Channel           string `json:"channel"`
	Event             string `json:"event,omitempty"`
	Data              string `json:"data,omitempty"`
	SocketID          string `json:"socket_id,omitempty"`
	UserID            string `json:"user_id,omitempty"`
	SubscriptionCount *int   `json:"subscription_count,omitempty"`
}

// Webhook event names.
const (
	WebhookChannelOccupied   = "channel_occupied"
	WebhookChannelVacated    = "channel_vacated"
	WebhookMemberAdded       = "member_added"
	WebhookMemberRemoved     = "member_removed"
	WebhookClientEvent       = "client_event"
	WebhookCacheMiss         = "cache_miss"
	WebhookSubscriptionCount = "subscription_count"
)

// WebhookSink receives webhook events. Notify must never block the hub:
// batching, grace periods, signing and delivery happen elsewhere.
type WebhookSink interface {
	Notify(app *App, e WebhookEvent)
}

// Metrics receives counters from the hub. Implementations must be cheap and
// safe for concurrent use. NopMetrics is the default.
type Metrics interface {
	ConnectionOpened(appID string)
	ConnectionClosed(appID string, code pusher.Code)
	MessageReceived(appID string)
	MessagesSent(appID string, n int)
	Published(appID string, s Status)
	Dropped(appID, reason string)
}

// Config configures a Hub. Zero fields take the documented defaults.
type Config struct {
	Apps AppProvider // required
	// NodeID identifies this node in a cluster; default: random.
	NodeID string
	// NumShards is the number of channel shards; default 2×GOMAXPROCS, at least 4.
	NumShards int
	// ShardQueueSize bounds each shard's fan-out queue; default 1024.
	// A full queue makes Publish return StatusShardQueueFull.
	ShardQueueSize int
	// MaxConnections caps open sessions across all apps; 0 = unlimited.
	// Beyond it Open fails with a 4100 close error.
	MaxConnections int
	Broker         Broker        // default: in-memory
	Presence       PresenceStore // default: in-memory
	Webhooks       WebhookSink   // default: none
	Metrics        Metrics       // default: NopMetrics
	Logger         *slog.Logger  // default: slog.Default()
}
