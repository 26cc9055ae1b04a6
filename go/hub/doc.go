// Package hub is the Pusher Channels protocol 7 engine of Pogo WebSocket.
//
// It is free of cgo and of Caddy: the Caddy module (go/module), the PHP
// extension bridge (go/phpext) and the standalone test server all drive it
// through the same small surface:
//
//   - a transport (package wsconn) calls Hub.Resolve and Hub.Open for each
//     upgraded socket, feeds every inbound text message to Session.Handle and
//     calls Session.Close when the socket is gone; the hub writes back through
//     the Conn interface with pre-encoded WebSocket frames;
//   - publishers (HTTP API, native PHP functions) call Hub.Publish, which
//     validates, hands the message to the Broker and returns a Status;
//   - operators query Hub.Channel, Hub.Channels, Hub.PresenceUsers,
//     Hub.TerminateUser and Hub.Stats.
//
// # Fan-out
//
// Channels live in shards keyed by a hash of app and channel name; each
// shard has its own mutex and its own fan-out goroutine fed by a bounded
// queue (a full queue is StatusShardQueueFull, never back-pressure), so no
// global lock is taken on the publish path. A published event is encoded and
// framed once per channel, and the same bytes are written to every local
// subscriber; nothing is allocated per subscriber. Subscriber lists are
// chunked (subscribers.go): subscribing is O(1) amortized and the fan-out
// iterates a snapshot without holding the lock.
//
// Every queued job carries a per-shard sequence number and every subscriber
// the sequence at which it joined, so a subscriber never receives an event
// queued before its pusher_internal:subscription_succeeded (or a second copy
// of the cached event it was just replayed).
//
// # Clusters
//
// Everything that must reach other nodes travels through the Broker:
// published events, the hub's own member_added/member_removed and
// subscription_count events, client events, and control commands
// (terminate-user, watchlist online/offline). The PresenceStore is the
// shared truth for presence members, for which users are signed in
// (watchlists), and, when the broker is not a LocalBroker, for channel
// occupancy: every subscription is recorded under the pseudo-channel
// #subs:<name>, so channel_occupied and channel_vacated fire once per
// cluster. Optional store extensions (cluster.go, clusterstats.go,
// resync.go) make more of it cluster-wide: ChannelCounter (subscription
// counts, channel lists and subscription_count events), CacheReader (the
// last event of cache channels, for nodes that missed it), ExpiringStore
// (a dead node's connections removed with the right events),
// ConnectionCounter (ClusterStats) and Resyncer (a node re-records its
// connections when the store lost them). Package redis implements all of
// them; StillCurrent lets webhook sinks with a grace period drop a delayed
// channel_vacated or member_removed that another node undid.
//
// # Errors
//
// Client mistakes get a pusher:error (code null, or a 43xx code for
// client-event and watchlist limits) and the connection stays open;
// subscription failures add a pusher:subscription_error on the channel.
// Connections end only for protocol-level reasons (handshake, capacity,
// shutdown, terminate-user), with a pusher:error followed by Conn.Close and
// a code from the right range.
package hub
