// Package pusher holds the wire-level vocabulary of the Pusher Channels
// protocol 7: event names, close and error codes, channel kinds, default
// limits and the JSON shapes exchanged with clients. It contains no logic
// beyond classification and validation helpers, so every other package
// (hub, wsconn, httpapi, the Caddy module, the load tool) can share it.
package pusher
