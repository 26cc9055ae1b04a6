// Package phpext is the only cgo package of Pogo WebSocket: it registers the
// PHP extension "pogo_websocket" with FrankenPHP and exposes two native
// functions to PHP code (signatures in pogo_websocket.stub.php):
//
//	pogo_websocket_publish(string $appId, string $channel, string $event, string $data, ?string $exceptSocketId = null): int
//	pogo_websocket_broadcast_multi(string $appId, string $channels, string $event, string $data, ?string $exceptSocketId = null): int
//
// A PHP call runs on the PHP thread. It validates its arguments, looks the
// app up in a process-wide registry (filled by the Caddy module in Provision,
// released in Cleanup, so it survives reloads), hands the event to that
// app's Publisher, which enqueues it without waiting on the network, and
// returns a status code from the seed's table (0 success ... 9 shard queue
// full). The registry and validation live in plain Go files so they are
// testable without PHP; the cgo glue is in ext.go and pogows.c.
package phpext
