package pogows

import (
	"errors"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig/httpcaddyfile"
	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
)

// ErrInvalidConfig wraps every configuration error; the message names the option.
var ErrInvalidConfig = errors.New("pogo_websocket: invalid config")

func init() {
	caddy.RegisterModule(Handler{})
	caddy.RegisterModule(AdminAPI{})
	httpcaddyfile.RegisterHandlerDirective("pogo_websocket", parseCaddyfile)
	// Anchoring on php_server panics (it is not a standard directive);
	// php_server and php sit just before file_server, after php_fastcgi, so
	// this still runs before them. A manual "order pogo_websocket before
	// php_server" keeps working.
	httpcaddyfile.RegisterDirectiveOrder("pogo_websocket", httpcaddyfile.Before, "php_fastcgi")
}

// Handler is the pogo_websocket HTTP handler: a Pusher Channels protocol 7
// server. It serves the WebSocket endpoint /app/{key}, the HTTP API under
// /apps/{id}/, the channel auth and user auth paths (through the auth
// dispatcher), and passes every other request to the next handler.
//
// The flat app_id/app_key/app_secret fields describe the default app; more
// apps go in Apps. App-level options set on the handler (client_events,
// subscription_count, activity_timeout, limits, webhook_urls,
// webhook_secret) apply to the default app and are inherited by every app
// that does not set them.
type Handler struct {
	// AppID is the id of the default app. Optional when Apps is set.
	AppID string `json:"app_id,omitempty"`
	// AppKey is the public key of the default app. Default: AppID.
	AppKey string `json:"app_key,omitempty"`
	// AppSecret is the secret of the default app. Required with AppID.
	AppSecret string `json:"app_secret,omitempty"`
	// Apps are additional apps (Caddyfile: app <id> { ... }).
	Apps []AppConfig `json:"apps,omitempty"`

	// ClientEvents allows client-* events. Default: true.
	ClientEvents *bool `json:"client_events,omitempty"`
	// SubscriptionCount enables subscription_count events. Default: false.
	SubscriptionCount *bool `json:"subscription_count,omitempty"`
	// ActivityTimeout is advertised to clients. Default: 30s.
	ActivityTimeout caddy.Duration `json:"activity_timeout,omitempty"`
	// Limits are the protocol limits. Default: pusher.DefaultLimits.
	Limits *Limits `json:"limits,omitempty"`

	// WebhookURLs receive Pusher webhooks (signed, batched, retried).
	WebhookURLs []string `json:"webhook_urls,omitempty"`
	// WebhookSecret signs webhook bodies. Default: the app secret.
	WebhookSecret string `json:"webhook_secret,omitempty"`
	// WebhookGrace delays channel_vacated and member_removed; they are
	// dropped if the channel is re-occupied or the member comes back
	// meanwhile. Default: 3s.
	WebhookGrace caddy.Duration `json:"webhook_grace,omitempty"`
	// WebhookBatchWindow is how long events are collected into one POST.
	// Default: 100ms.
	WebhookBatchWindow caddy.Duration `json:"webhook_batch_window,omitempty"`
	// WebhookRetryFor bounds the retries of one batch (exponential
	// back-off from 1s up to 1m). Default: 5m.
	WebhookRetryFor caddy.Duration `json:"webhook_retry_for,omitempty"`
	// WebhookTimeout bounds one POST. Default: 10s.
	WebhookTimeout caddy.Duration `json:"webhook_timeout,omitempty"`
	// WebhookQueueSize bounds the events waiting for delivery; beyond it
	// events are dropped and counted. Default: 10000.
	WebhookQueueSize int `json:"webhook_queue_size,omitempty"`

	// AuthPath is the channel auth endpoint. Default: /pogo/auth.
	AuthPath string `json:"auth_path,omitempty"`
	// UserAuthPath is the user authentication (signin) endpoint.
	// Default: /pogo/user-auth.
	UserAuthPath string `json:"user_auth_path,omitempty"`
	// AuthScript is a PHP worker script the module runs for auth requests.
	AuthScript string `json:"auth_script,omitempty"`
	// AuthWorker names a FrankenPHP worker declared elsewhere that serves
	// auth requests (alternative to AuthScript).
	AuthWorker string `json:"auth_worker,omitempty"`
	// NumWorkers is the number of auth worker threads for AuthScript. Default: 2.
	NumWorkers int `json:"num_workers,omitempty"`
	// MaxAuthBody is the largest auth request body in bytes (413 above).
	// Default: 16384.
	MaxAuthBody int64 `json:"max_auth_body,omitempty"`
	// MaxConcurrentAuth bounds auth requests in flight. Default: 100.
	MaxConcurrentAuth int `json:"max_concurrent_auth,omitempty"`
	// AuthQueueTimeout is how long an auth request waits for a slot before
	// 503 with Retry-After. Default: 5s.
	AuthQueueTimeout caddy.Duration `json:"auth_queue_timeout,omitempty"`
	// AuthTimeout is how long an auth request may run in the worker before
	// the client gets 504; the script itself runs on (PHP cannot be
	// interrupted) and keeps its slot until it returns. Default: 10s.
	AuthTimeout caddy.Duration `json:"auth_timeout,omitempty"`

	// AllowedOrigins lists origins allowed besides the request's own host,
	// e.g. https://app.example.com or https://*.example.com; "*" allows all.
	AllowedOrigins []string `json:"allowed_origins,omitempty"`
	// HandshakeRate is the sustained WebSocket handshakes per second per
	// client IP (429 above). Default: 100; negative disables the limit.
	HandshakeRate float64 `json:"handshake_rate,omitempty"`
	// HandshakeBurst is the token bucket size per client IP. Default: 50.
	HandshakeBurst int `json:"handshake_burst,omitempty"`
	// MaxConnections caps open connections of the hub (4100 above).
	// Default: 10000; negative means unlimited.
	MaxConnections int `json:"max_connections,omitempty"`

	// BrokerQueueSize bounds the broker's outgoing queue. Default: 1024.
	BrokerQueueSize int `json:"broker_queue_size,omitempty"`
	// ShardQueueSize bounds each shard's fan-out queue. Default: 1024.
	ShardQueueSize int `json:"shard_queue_size,omitempty"`
	// NumShards is the number of channel shards. Default: 2×GOMAXPROCS, at least 4.
	NumShards int `json:"num_shards,omitempty"`

	// PingPeriod is the client silence after which the server pings. Default: 54s.
	PingPeriod caddy.Duration `json:"ping_period,omitempty"`
	// PongWait is the silence after which a connection is closed (4201).
	// Must exceed PingPeriod. Default: 60s.
	PongWait caddy.Duration `json:"pong_wait,omitempty"`
	// WriteWait bounds one socket write. Default: 10s.
	WriteWait caddy.Duration `json:"write_wait,omitempty"`
	// ShutdownTimeout bounds the graceful shutdown (close 4200 to every
	// client) when the hub is released for good. Default: 10s.
	ShutdownTimeout caddy.Duration `json:"shutdown_timeout,omitempty"`

	// Redis enables multi-node fan-out and shared presence.
	Redis *RedisConfig `json:"redis,omitempty"`

	state *handlerState
}

// RedisConfig configures the Redis broker and presence store: one Redis
// server, a Redis Cluster (Cluster) or a master found through Sentinel
// (SentinelMaster). Without any address (Host and Hosts empty after
// placeholders, URL unset) the hub is a single node without Redis.
type RedisConfig struct {
	// Host is host:port of the Redis server, or of one seed node or
	// sentinel. Caddyfile: redis_host with one argument.
	Host string `json:"host,omitempty"`
	// Hosts are more host:port addresses, used after Host: the seed nodes
	// of a Redis Cluster or the sentinels. Several addresses need Cluster
	// or SentinelMaster. Caddyfile: redis_host with several arguments.
	Hosts []string `json:"hosts,omitempty"`
	// Cluster makes the addresses seed nodes of a Redis Cluster; the
	// client discovers the other nodes. DB must be 0 (the only database of
	// Redis Cluster). Caddyfile: redis_cluster. Default: false.
	Cluster bool `json:"cluster,omitempty"`
	// SentinelMaster is the name of the master the sentinels at the
	// addresses monitor; the client follows failovers. Exclusive with
	// Cluster. Caddyfile: redis_sentinel_master. Default: none.
	SentinelMaster string `json:"sentinel_master,omitempty"`
	// URL is the URL form of one server, redis://[user:password@]host:port/db
	// or rediss://... for TLS (Caddyfile: redis_url). When set it wins over
	// Host, Hosts, Password, DB and TLS; it cannot be combined with
	// Cluster or SentinelMaster. Default: none.
	URL string `json:"url,omitempty"`
	// Password authenticates to Redis (the server, every cluster node or
	// the master; sentinels are reached without one). Default: none.
	Password string `json:"password,omitempty"`
	// DB selects the Redis database. Default: 0.
	DB int `json:"db,omitempty"`
	// TLS connects with TLS. Default: false.
	TLS bool `json:"tls,omitempty"`
}

// CaddyModule returns the Caddy module information.
func (Handler) CaddyModule() caddy.ModuleInfo {
	return caddy.ModuleInfo{
		ID:  "http.handlers.pogo_websocket",
		New: func() caddy.Module { return new(Handler) },
	}
}

// Interface guards
var (
	_ caddy.Provisioner           = (*Handler)(nil)
	_ caddy.Validator             = (*Handler)(nil)
	_ caddy.CleanerUpper          = (*Handler)(nil)
	_ caddyhttp.MiddlewareHandler = (*Handler)(nil)
)
