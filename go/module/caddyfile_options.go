package pogows

import (
	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
)

// Option tables of UnmarshalCaddyfile: option name -> setter. Each setter
// consumes the option's arguments and reports errors naming the option.

type (
	handlerSetter func(*caddyfile.Dispenser, *Handler) error
	appSetter     func(*caddyfile.Dispenser, *AppConfig) error
	limitSetter   func(*caddyfile.Dispenser, *Limits) error
)

// set adapts a parser and a field selector into a setter.
func set[T, V any](parse func(*caddyfile.Dispenser) (V, error), field func(*T) *V) func(*caddyfile.Dispenser, *T) error {
	return func(d *caddyfile.Dispenser, t *T) error {
		v, err := parse(d)
		if err != nil {
			return err
		}
		*field(t) = v
		return nil
	}
}

// appendArgs adds every argument of the option line to a slice field.
func appendArgs[T any](field func(*T) *[]string) func(*caddyfile.Dispenser, *T) error {
	return func(d *caddyfile.Dispenser, t *T) error {
		args, err := someArgs(d)
		if err != nil {
			return err
		}
		*field(t) = append(*field(t), args...)
		return nil
	}
}

func int64Arg(d *caddyfile.Dispenser) (int64, error) { return sizeArg(d) }

func intSizeArg(d *caddyfile.Dispenser) (int, error) {
	n, err := sizeArg(d)
	return int(n), err
}

func redis(h *Handler) *RedisConfig {
	if h.Redis == nil {
		h.Redis = new(RedisConfig)
	}
	return h.Redis
}

var handlerOptions = map[string]handlerSetter{
	"app_id":     set(oneArg, func(h *Handler) *string { return &h.AppID }),
	"app_key":    set(oneArg, func(h *Handler) *string { return &h.AppKey }),
	"app_secret": set(oneArg, func(h *Handler) *string { return &h.AppSecret }),

	"client_events":      set(boolPtrArg, func(h *Handler) **bool { return &h.ClientEvents }),
	"subscription_count": set(boolPtrArg, func(h *Handler) **bool { return &h.SubscriptionCount }),
	"activity_timeout":   set(durArg, func(h *Handler) *caddy.Duration { return &h.ActivityTimeout }),

	"auth_path":           set(oneArg, func(h *Handler) *string { return &h.AuthPath }),
	"user_auth_path":      set(oneArg, func(h *Handler) *string { return &h.UserAuthPath }),
	"auth_script":         set(oneArg, func(h *Handler) *string { return &h.AuthScript }),
	"auth_worker":         set(oneArg, func(h *Handler) *string { return &h.AuthWorker }),
	"num_workers":         set(positiveInt, func(h *Handler) *int { return &h.NumWorkers }),
	"max_auth_body":       set(int64Arg, func(h *Handler) *int64 { return &h.MaxAuthBody }),
	"max_concurrent_auth": set(positiveInt, func(h *Handler) *int { return &h.MaxConcurrentAuth }),
	"auth_queue_timeout":  set(durArg, func(h *Handler) *caddy.Duration { return &h.AuthQueueTimeout }),
	"auth_timeout":        set(durArg, func(h *Handler) *caddy.Duration { return &h.AuthTimeout }),

	"webhook_url":          appendArgs(func(h *Handler) *[]string { return &h.WebhookURLs }),
	"webhook_secret":       set(oneArg, func(h *Handler) *string { return &h.WebhookSecret }),
	"webhook_grace":        set(durArg, func(h *Handler) *caddy.Duration { return &h.WebhookGrace }),
	"webhook_batch_window": set(durArg, func(h *Handler) *caddy.Duration { return &h.WebhookBatchWindow }),
	"webhook_retry_for":    set(durArg, func(h *Handler) *caddy.Duration { return &h.WebhookRetryFor }),
	"webhook_timeout":      set(durArg, func(h *Handler) *caddy.Duration { return &h.WebhookTimeout }),
	"webhook_queue_size":   set(positiveInt, func(h *Handler) *int { return &h.WebhookQueueSize }),

	"allowed_origins":   appendArgs(func(h *Handler) *[]string { return &h.AllowedOrigins }),
	"handshake_rate":    set(rateArg, func(h *Handler) *float64 { return &h.HandshakeRate }),
	"handshake_burst":   set(positiveInt, func(h *Handler) *int { return &h.HandshakeBurst }),
	"max_connections":   set(intOrOffArg, func(h *Handler) *int { return &h.MaxConnections }),
	"broker_queue_size": set(positiveInt, func(h *Handler) *int { return &h.BrokerQueueSize }),
	"shard_queue_size":  set(positiveInt, func(h *Handler) *int { return &h.ShardQueueSize }),
	"num_shards":        set(positiveInt, func(h *Handler) *int { return &h.NumShards }),
	"ping_period":       set(durArg, func(h *Handler) *caddy.Duration { return &h.PingPeriod }),
	"pong_wait":         set(durArg, func(h *Handler) *caddy.Duration { return &h.PongWait }),
	"write_wait":        set(durArg, func(h *Handler) *caddy.Duration { return &h.WriteWait }),
	"shutdown_timeout":  set(durArg, func(h *Handler) *caddy.Duration { return &h.ShutdownTimeout }),

	"redis_host":            redisHosts,
	"redis_cluster":         set(boolArg, func(h *Handler) *bool { return &redis(h).Cluster }),
	"redis_sentinel_master": set(oneArg, func(h *Handler) *string { return &redis(h).SentinelMaster }),
	"redis_url":             set(oneArg, func(h *Handler) *string { return &redis(h).URL }),
	"redis_password":        set(oneArg, func(h *Handler) *string { return &redis(h).Password }),
	"redis_db":              set(intArg, func(h *Handler) *int { return &redis(h).DB }),
	"redis_tls":             set(boolArg, func(h *Handler) *bool { return &redis(h).TLS }),
}

// redisHosts parses redis_host: one address sets RedisConfig.Host (the
// JSON of a single server is unchanged), several set Hosts.
func redisHosts(d *caddyfile.Dispenser, h *Handler) error {
	args, err := someArgs(d)
	if err != nil {
		return err
	}
	if len(args) == 1 {
		redis(h).Host = args[0]
	} else {
		redis(h).Hosts = args
	}
	return nil
}

var appOptions = map[string]appSetter{
	"key":                set(oneArg, func(a *AppConfig) *string { return &a.Key }),
	"secret":             set(oneArg, func(a *AppConfig) *string { return &a.Secret }),
	"disabled":           set(boolArg, func(a *AppConfig) *bool { return &a.Disabled }),
	"client_events":      set(boolPtrArg, func(a *AppConfig) **bool { return &a.ClientEvents }),
	"subscription_count": set(boolPtrArg, func(a *AppConfig) **bool { return &a.SubscriptionCount }),
	"activity_timeout":   set(durArg, func(a *AppConfig) *caddy.Duration { return &a.ActivityTimeout }),
	"webhook_url":        appendArgs(func(a *AppConfig) *[]string { return &a.WebhookURLs }),
	"webhook_secret":     set(oneArg, func(a *AppConfig) *string { return &a.WebhookSecret }),
}

var limitOptions = map[string]limitSetter{
	"max_channel_name":         set(positiveInt, func(l *Limits) *int { return &l.MaxChannelName }),
	"max_event_name":           set(positiveInt, func(l *Limits) *int { return &l.MaxEventName }),
	"max_payload":              set(intSizeArg, func(l *Limits) *int { return &l.MaxPayload }),
	"max_message":              set(intSizeArg, func(l *Limits) *int { return &l.MaxMessage }),
	"max_presence_members":     set(positiveInt, func(l *Limits) *int { return &l.MaxPresenceMembers }),
	"max_user_info":            set(intSizeArg, func(l *Limits) *int { return &l.MaxUserInfo }),
	"max_user_id":              set(positiveInt, func(l *Limits) *int { return &l.MaxUserID }),
	"client_events_per_second": set(positiveInt, func(l *Limits) *int { return &l.ClientEventsPerSecond }),
	"max_subscriptions":        set(positiveInt, func(l *Limits) *int { return &l.MaxSubscriptions }),
	"max_channels_per_publish": set(positiveInt, func(l *Limits) *int { return &l.MaxChannelsPerPublish }),
	"max_batch_events":         set(positiveInt, func(l *Limits) *int { return &l.MaxBatchEvents }),
	"max_watchlist":            set(positiveInt, func(l *Limits) *int { return &l.MaxWatchlist }),
	"cache_ttl":                set(durArg, func(l *Limits) *caddy.Duration { return &l.CacheTTL }),
}

// positiveInt parses an integer > 0.
func positiveInt(d *caddyfile.Dispenser) (int, error) {
	name := d.Val()
	n, err := intArg(d)
	if err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, d.Errf("%s: must be greater than 0", name)
	}
	return n, nil
}
