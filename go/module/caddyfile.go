package pogows

import (
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
	"github.com/caddyserver/caddy/v2/caddyconfig/httpcaddyfile"
	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
)

// parseCaddyfile builds a Handler from a pogo_websocket directive.
func parseCaddyfile(h httpcaddyfile.Helper) (caddyhttp.MiddlewareHandler, error) {
	m := new(Handler)
	err := m.UnmarshalCaddyfile(h.Dispenser)
	return m, err
}

// UnmarshalCaddyfile sets up the handler from Caddyfile tokens. Syntax:
//
//	pogo_websocket {
//	    app_id     <id>
//	    app_key    <key>                     # default: app_id
//	    app_secret <secret>
//	    app <id> {                           # more apps (repeatable)
//	        key <key>
//	        secret <secret>
//	        disabled
//	        client_events      on|off
//	        subscription_count on|off
//	        activity_timeout   <duration>
//	        webhook_url        <url...>
//	        webhook_secret     <secret>
//	        limits { ... }
//	    }
//
//	    client_events      on|off            # default on
//	    subscription_count on|off            # default off
//	    activity_timeout   <duration>        # default 30s
//	    limits {
//	        max_channel_name <n>  max_event_name <n>  max_payload <size>
//	        max_message <size>  max_presence_members <n>  max_user_info <size>
//	        max_user_id <n>  client_events_per_second <n>  max_subscriptions <n>
//	        max_channels_per_publish <n>  max_batch_events <n>  max_watchlist <n>
//	        cache_ttl <duration>
//	    }
//
//	    auth_path           <path>           # default /pogo/auth
//	    user_auth_path      <path>           # default /pogo/user-auth
//	    auth_script         <file.php>
//	    auth_worker         <worker name>
//	    num_workers         <n>              # default 2
//	    max_auth_body       <size>           # default 16384
//	    max_concurrent_auth <n>              # default 100
//	    auth_queue_timeout  <duration>       # default 5s
//	    auth_timeout        <duration>       # default 10s: then 504
//
//	    webhook_url          <url...>        # repeatable
//	    webhook_secret       <secret>        # default: app secret
//	    webhook_grace        <duration>      # default 3s
//	    webhook_batch_window <duration>      # default 100ms
//	    webhook_retry_for    <duration>      # default 5m
//	    webhook_timeout      <duration>      # default 10s
//	    webhook_queue_size   <n>             # default 10000
//
//	    allowed_origins   <origin...>        # repeatable
//	    handshake_rate    <per second>|off   # default 100
//	    handshake_burst   <n>                # default 50
//	    max_connections   <n>|unlimited      # default 10000
//	    broker_queue_size <n>                # default 1024
//	    shard_queue_size  <n>                # default 1024
//	    num_shards        <n>                # default 2×GOMAXPROCS (min 4)
//	    ping_period       <duration>         # default 54s
//	    pong_wait         <duration>         # default 60s
//	    write_wait        <duration>         # default 10s
//	    shutdown_timeout  <duration>         # default 10s
//
//	    redis_host     <host:port...>        # several: cluster seed nodes or sentinels
//	    redis_cluster  on|off                # default off; redis_db must be 0
//	    redis_sentinel_master <name>         # exclusive with redis_cluster
//	    redis_url      redis://[user:pass@]host:port/db | rediss://...  # one server; wins over redis_*
//	    redis_password <password>
//	    redis_db       <n>                   # default 0
//	    redis_tls      true|false            # default false
//	}
func (h *Handler) UnmarshalCaddyfile(d *caddyfile.Dispenser) error {
	d.Next() // directive name
	if d.NextArg() {
		return d.ArgErr()
	}
	seen := map[string]bool{}
	for d.NextBlock(0) {
		name := d.Val()
		if seen[name] && !repeatable[name] {
			return d.Errf("%s: option given twice", name)
		}
		seen[name] = true
		if name == "app" {
			if err := h.unmarshalApp(d); err != nil {
				return err
			}
			continue
		}
		if name == "limits" {
			if h.Limits == nil {
				h.Limits = new(Limits)
			}
			if err := unmarshalLimits(d, h.Limits); err != nil {
				return err
			}
			continue
		}
		set, ok := handlerOptions[name]
		if !ok {
			return d.Errf("unrecognized pogo_websocket option %q", name)
		}
		if err := set(d, h); err != nil {
			return err
		}
	}
	return nil
}

// repeatable options may appear on several lines.
var repeatable = map[string]bool{"app": true, "webhook_url": true, "allowed_origins": true}

// unmarshalApp parses an "app <id> { ... }" block.
func (h *Handler) unmarshalApp(d *caddyfile.Dispenser) error {
	var a AppConfig
	if !d.NextArg() {
		return d.Errf("app: expected an app id")
	}
	a.ID = d.Val()
	if d.NextArg() {
		return d.Errf("app %s: unexpected argument %q (options go in a block)", a.ID, d.Val())
	}
	seen := map[string]bool{}
	for nesting := d.Nesting(); d.NextBlock(nesting); {
		name := d.Val()
		if seen[name] && name != "webhook_url" {
			return d.Errf("app %s: %s given twice", a.ID, name)
		}
		seen[name] = true
		if name == "limits" {
			a.Limits = new(Limits)
			if err := unmarshalLimits(d, a.Limits); err != nil {
				return err
			}
			continue
		}
		set, ok := appOptions[name]
		if !ok {
			return d.Errf("app %s: unrecognized option %q", a.ID, name)
		}
		if err := set(d, &a); err != nil {
			return err
		}
	}
	if a.Secret == "" {
		return d.Errf("app %s: secret is required", a.ID)
	}
	h.Apps = append(h.Apps, a)
	return nil
}

// unmarshalLimits parses a "limits { ... }" block into l.
func unmarshalLimits(d *caddyfile.Dispenser, l *Limits) error {
	if d.NextArg() {
		return d.Errf("limits: unexpected argument %q (limits go in a block)", d.Val())
	}
	for nesting := d.Nesting(); d.NextBlock(nesting); {
		set, ok := limitOptions[d.Val()]
		if !ok {
			return d.Errf("limits: unrecognized option %q", d.Val())
		}
		if err := set(d, l); err != nil {
			return err
		}
	}
	return nil
}

// Interface guards
var _ caddyfile.Unmarshaler = (*Handler)(nil)
