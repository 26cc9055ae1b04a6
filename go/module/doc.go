// Package pogows is the Caddy adapter of Pogo WebSocket: the HTTP handler
// module http.handlers.pogo_websocket (Caddyfile directive pogo_websocket),
// the admin API module admin.api.pogo_websocket, Prometheus metrics and the
// webhook sink.
//
// The package is thin: the protocol lives in go/hub, the WebSocket transport
// in go/hub/wsconn and the Pusher HTTP API in go/hub/httpapi. This package
// owns configuration, the lifecycle of hubs across config reloads (a
// caddy.UsagePool keyed by the hub identity, so live connections survive a
// reload), origin checks, handshake rate limiting, auth dispatch and
// observability.
//
// The package is free of cgo and of FrankenPHP. The PHP-specific pieces (the
// auth worker dispatch, the ZTS check, the native publish registry) plug in
// through RegisterAuthDispatcherFactory and RegisterPublisherBinder, which the
// build-tagged PHP bridge files call from init.
package pogows
