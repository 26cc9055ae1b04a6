package pogows

import (
	"fmt"
	"strings"
	"time"

	"github.com/caddyserver/caddy/v2"
)

// Defaults of the handler options (documented in docs/caddyfile.md).
const (
	DefaultAuthPath           = "/pogo/auth"
	DefaultUserAuthPath       = "/pogo/user-auth"
	DefaultNumWorkers         = 2
	DefaultMaxAuthBody        = 16 * 1024
	DefaultMaxConcurrentAuth  = 100
	DefaultAuthQueueTimeout   = 5 * time.Second
	DefaultAuthTimeout        = 10 * time.Second
	DefaultHandshakeRate      = 100.0
	DefaultHandshakeBurst     = 50
	DefaultMaxConnections     = 10000
	DefaultBrokerQueueSize    = 1024
	DefaultShardQueueSize     = 1024
	DefaultPingPeriod         = 54 * time.Second
	DefaultPongWait           = 60 * time.Second
	DefaultWriteWait          = 10 * time.Second
	DefaultShutdownTimeout    = 10 * time.Second
	DefaultWebhookGrace       = 3 * time.Second
	DefaultWebhookBatchWindow = 100 * time.Millisecond
	DefaultWebhookRetryFor    = 5 * time.Minute
	DefaultWebhookTimeout     = 10 * time.Second
	DefaultWebhookQueueSize   = 10000
)

// settings is the handler configuration after placeholders, inheritance
// and defaults have been applied.
type settings struct {
	apps []AppConfig

	authPath, userAuthPath string
	authScript, authWorker string
	numWorkers             int
	maxAuthBody            int64
	maxConcurrentAuth      int
	authQueueTimeout       time.Duration
	authTimeout            time.Duration

	origins        originPolicy
	handshakeRate  float64 // 0: unlimited
	handshakeBurst int
	maxConnections int // 0: unlimited

	brokerQueueSize, shardQueueSize, numShards int

	pingPeriod, pongWait, writeWait, shutdownTimeout time.Duration

	redis   *RedisConfig
	webhook webhookSettings
}

// webhookSettings configure the webhook sink of a hub instance.
type webhookSettings struct {
	grace, batchWindow, retryFor, timeout time.Duration
	queueSize                             int
}

func orDur(v caddy.Duration, def time.Duration) time.Duration {
	if v == 0 {
		return def
	}
	return time.Duration(v)
}

func orInt(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// check validates the static (placeholder-free) options; it names the
// offending option in every error.
func (h *Handler) check() error {
	nonNeg := []struct {
		name string
		v    int64
	}{
		{"num_workers", int64(h.NumWorkers)}, {"max_auth_body", h.MaxAuthBody},
		{"max_concurrent_auth", int64(h.MaxConcurrentAuth)}, {"handshake_burst", int64(h.HandshakeBurst)},
		{"broker_queue_size", int64(h.BrokerQueueSize)}, {"shard_queue_size", int64(h.ShardQueueSize)},
		{"num_shards", int64(h.NumShards)}, {"webhook_queue_size", int64(h.WebhookQueueSize)},
		{"auth_queue_timeout", int64(h.AuthQueueTimeout)}, {"auth_timeout", int64(h.AuthTimeout)},
		{"ping_period", int64(h.PingPeriod)},
		{"pong_wait", int64(h.PongWait)}, {"write_wait", int64(h.WriteWait)},
		{"shutdown_timeout", int64(h.ShutdownTimeout)}, {"webhook_grace", int64(h.WebhookGrace)},
		{"webhook_batch_window", int64(h.WebhookBatchWindow)}, {"webhook_retry_for", int64(h.WebhookRetryFor)},
		{"webhook_timeout", int64(h.WebhookTimeout)},
	}
	for _, f := range nonNeg {
		if f.v < 0 {
			return fmt.Errorf("%w: %s must not be negative, got %d", ErrInvalidConfig, f.name, f.v)
		}
	}
	if h.AppID == "" && (h.AppSecret != "" || h.AppKey != "") {
		return fmt.Errorf("%w: app_secret/app_key given without app_id", ErrInvalidConfig)
	}
	if h.AppID == "" && len(h.Apps) == 0 {
		return fmt.Errorf("%w: no app configured: set app_id and app_secret, or add an app block", ErrInvalidConfig)
	}
	if h.AuthScript != "" && h.AuthWorker != "" {
		return fmt.Errorf("%w: auth_script and auth_worker are mutually exclusive", ErrInvalidConfig)
	}
	ping, pong := orDur(h.PingPeriod, DefaultPingPeriod), orDur(h.PongWait, DefaultPongWait)
	if ping >= pong {
		return fmt.Errorf("%w: ping_period (%s) must be shorter than pong_wait (%s)", ErrInvalidConfig, ping, pong)
	}
	if err := h.Redis.check(); err != nil {
		return err
	}
	if err := h.Limits.validate(); err != nil {
		return err
	}
	_, err := newOriginPolicy(h.AllowedOrigins)
	return err
}

// resolve applies placeholders, inheritance and defaults, and validates.
func (h *Handler) resolve(repl *caddy.Replacer) (*settings, error) {
	if err := h.check(); err != nil {
		return nil, err
	}
	s := &settings{
		authPath:          orStr(repl.ReplaceKnown(h.AuthPath, ""), DefaultAuthPath),
		userAuthPath:      orStr(repl.ReplaceKnown(h.UserAuthPath, ""), DefaultUserAuthPath),
		authScript:        repl.ReplaceKnown(h.AuthScript, ""),
		authWorker:        repl.ReplaceKnown(h.AuthWorker, ""),
		numWorkers:        orInt(h.NumWorkers, DefaultNumWorkers),
		maxAuthBody:       h.MaxAuthBody,
		maxConcurrentAuth: orInt(h.MaxConcurrentAuth, DefaultMaxConcurrentAuth),
		authQueueTimeout:  orDur(h.AuthQueueTimeout, DefaultAuthQueueTimeout),
		authTimeout:       orDur(h.AuthTimeout, DefaultAuthTimeout),
		handshakeRate:     h.HandshakeRate,
		handshakeBurst:    orInt(h.HandshakeBurst, DefaultHandshakeBurst),
		maxConnections:    orInt(h.MaxConnections, DefaultMaxConnections),
		brokerQueueSize:   orInt(h.BrokerQueueSize, DefaultBrokerQueueSize),
		shardQueueSize:    orInt(h.ShardQueueSize, DefaultShardQueueSize),
		numShards:         h.NumShards,
		pingPeriod:        orDur(h.PingPeriod, DefaultPingPeriod),
		pongWait:          orDur(h.PongWait, DefaultPongWait),
		writeWait:         orDur(h.WriteWait, DefaultWriteWait),
		shutdownTimeout:   orDur(h.ShutdownTimeout, DefaultShutdownTimeout),
		webhook: webhookSettings{
			grace:       orDur(h.WebhookGrace, DefaultWebhookGrace),
			batchWindow: orDur(h.WebhookBatchWindow, DefaultWebhookBatchWindow),
			retryFor:    orDur(h.WebhookRetryFor, DefaultWebhookRetryFor),
			timeout:     orDur(h.WebhookTimeout, DefaultWebhookTimeout),
			queueSize:   orInt(h.WebhookQueueSize, DefaultWebhookQueueSize),
		},
	}
	if s.maxAuthBody == 0 {
		s.maxAuthBody = DefaultMaxAuthBody
	}
	switch {
	case h.HandshakeRate == 0:
		s.handshakeRate = DefaultHandshakeRate
	case h.HandshakeRate < 0:
		s.handshakeRate = 0
	}
	if s.maxConnections < 0 {
		s.maxConnections = 0
	}
	for _, p := range []struct{ name, v string }{{"auth_path", s.authPath}, {"user_auth_path", s.userAuthPath}} {
		if !strings.HasPrefix(p.v, "/") {
			return nil, fmt.Errorf("%w: %s %q must start with /", ErrInvalidConfig, p.name, p.v)
		}
		if strings.HasPrefix(p.v, "/app/") || strings.HasPrefix(p.v, "/apps/") {
			return nil, fmt.Errorf("%w: %s %q collides with the WebSocket or HTTP API paths", ErrInvalidConfig, p.name, p.v)
		}
	}
	if s.authPath == s.userAuthPath {
		return nil, fmt.Errorf("%w: auth_path and user_auth_path are both %q", ErrInvalidConfig, s.authPath)
	}
	s.origins, _ = newOriginPolicy(h.AllowedOrigins)
	if err := h.resolveRedis(s, repl); err != nil {
		return nil, err
	}
	apps, err := h.resolveApps(repl)
	if err != nil {
		return nil, err
	}
	s.apps = apps
	return s, nil
}

func orStr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// resolveApps returns the default app (if any) followed by the app blocks,
// rejecting duplicate ids and keys.
func (h *Handler) resolveApps(repl *caddy.Replacer) ([]AppConfig, error) {
	var raw []AppConfig
	if h.AppID != "" {
		raw = append(raw, AppConfig{ID: h.AppID, Key: h.AppKey, Secret: h.AppSecret})
	}
	raw = append(raw, h.Apps...)
	out := make([]AppConfig, 0, len(raw))
	ids, keys := map[string]bool{}, map[string]bool{}
	for _, a := range raw {
		r, err := a.resolve(h, repl)
		if err != nil {
			return nil, err
		}
		if ids[r.ID] {
			return nil, fmt.Errorf("%w: app id %q configured twice", ErrInvalidConfig, r.ID)
		}
		if keys[r.Key] {
			return nil, fmt.Errorf("%w: app key %q configured twice", ErrInvalidConfig, r.Key)
		}
		ids[r.ID], keys[r.Key] = true, true
		out = append(out, r)
	}
	return out, nil
}
