// Command pogo-server is a standalone Pogo WebSocket server (net/http, no
// Caddy, no PHP) for the Node protocol test suite, the load tool and local
// experiments. One port serves the Pusher WebSocket endpoint at /app/{key}
// (package wsconn) and the signed Pusher HTTP API at /apps/{id}/...
// (package httpapi).
//
// Usage:
//
//	pogo-server [flags]
//
// Flags (stable: test/protocol starts the binary with them):
//
//	-addr HOST:PORT        listen address (default 127.0.0.1:6001; port 0 picks a free port)
//	-app-id ID             id of the flag-defined app (default "pogo-app"; "" = no flag app)
//	-app-key KEY           its key (default: the app id)
//	-app-secret SECRET     its secret (required when -app-id is set)
//	-client-events BOOL    allow client-* events on private/presence channels (default true)
//	-subscription-count BOOL  send pusher_internal:subscription_count (default false)
//	-activity-timeout DUR  activity_timeout advertised to clients (default 30s)
//	-ping-period DUR       client silence before the server pings (default 54s)
//	-pong-wait DUR         silence before closing with 4201 (default 60s; counted
//	                       from the ping when not longer than -ping-period)
//	-write-wait DUR        deadline of each socket write (default 10s)
//	-max-connections N     connections across all apps, 0 = unlimited (default 0)
//	-apps FILE             JSON array of extra apps (see below), served next to the flag app
//	-webhook-url URL       POST signed Pusher webhooks there (optional)
//	-webhook-secret S      webhook signing secret (default: each app's secret)
//	-webhook-grace DUR     delay of channel_vacated and member_removed webhooks, dropped
//	                       (with the matching occupied/added) if undone meanwhile (default 3s; 0 = none)
//	-shutdown-timeout DUR  how long SIGINT/SIGTERM waits for clients (default 10s)
//	-log-level LEVEL       debug, info, warn or error (default info); logs go to stderr
//	-debug-addr HOST:PORT  serve net/http/pprof (/debug/pprof/) and /debug/stats (goroutines,
//	                       heap, RSS, open fds, hub counters as JSON; ?gc=1 collects first)
//	                       there; off by default. It exposes internals: keep it on loopback.
//	-reuse-port            set SO_REUSEPORT on the listener (Linux) so a replacement process
//	                       can listen on the same address before this one stops
//	-redis-addr, -redis-url, -redis-password, -redis-db, -redis-tls, -redis-prefix,
//	-redis-queue, -redis-heartbeat, -redis-node-ttl, -node-id
//	                       join a Redis-backed cluster (see redis.go); default: single node
//
// Durations accept Go syntax ("1s", "500ms") or plain seconds ("30").
//
// The -apps file holds objects with the fields id, key (default id),
// secret, disabled, client_events (default true), subscription_count,
// activity_timeout, webhook_secret and limits, whose fields are the
// snake_case names of pusher.Limits (max_channel_name_length,
// max_event_name_length, max_payload_bytes, max_message_bytes,
// max_presence_members, max_user_info_bytes, max_user_id_length,
// client_events_per_second, max_subscriptions, max_channels_per_publish,
// max_batch_events, max_watchlist, cache_ttl, subscription_count_every).
//
// When the server listens it prints exactly one line to stdout:
//
//	POGO_LISTENING http://HOST:PORT
//
// preceded, with -debug-addr, by "POGO_DEBUG http://HOST:PORT".
//
// The public listener closes connections that have not sent complete
// request headers within 10 s (no request at all, or slowloris), idle
// keep-alive connections after 120 s, and answers 431 to request headers
// above 64 KiB.
//
// SIGINT or SIGTERM stops accepting connections, lets HTTP API requests
// in flight finish, closes every WebSocket with 4200 (pusher-js reconnects
// at once), waits up to -shutdown-timeout and exits 0; a second signal
// kills the process at once. For a restart without a gap, start the new
// process with -reuse-port on the same address, then signal the old one
// (also started with -reuse-port): its clients reconnect to the new one. Bad flags
// or an unusable apps file exit 2; other startup failures exit 1.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() { // a second signal during the graceful shutdown kills the process
		<-ctx.Done()
		stop()
	}()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil:
	case errors.Is(err, errUsage):
		fmt.Fprintln(os.Stderr, "pogo-server:", err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "pogo-server:", err)
		os.Exit(1)
	}
}
