// Package hub is the Pusher Channels protocol 7 engine of Pogo WebSocket.
//
// It is free of cgo and of Caddy: the Caddy module (go/module), the PHP
// extension bridge (go/phpext) and the standalone test server all drive it
// through the same small surface:
//
//   - a transport (package wsconn) calls Hub.Open for each upgraded socket,
//     feeds every inbound text message to Session.Handle and calls
//     Session.Close when the socket is gone; the hub writes back through the
//     Conn interface with pre-encoded WebSocket frames;
//   - publishers (HTTP API, native PHP functions) call Hub.Publish, which
//     validates, hands the message to the Broker and returns a Status;
//   - operators query Hub.Channel, Hub.Channels, Hub.PresenceUsers,
//     Hub.TerminateUser and Hub.Stats.
//
// Channels live in shards keyed by a hash of the channel name; each shard has
// its own lock and its own fan-out goroutine fed by a bounded queue, so no
// global lock is taken on the publish path. A published event is encoded and
// framed once per channel, and the same bytes are written to every
// subscriber.
package hub
