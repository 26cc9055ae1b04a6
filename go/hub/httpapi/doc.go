// Package httpapi serves the Pusher Channels HTTP API
// (shared/PROTOCOL.md §A.11) over a hub, as an http.Handler that can be
// mounted under any prefix: it handles paths ending in /apps/{id}/...
//
//	POST /apps/{id}/events                             publish one event to 1..MaxChannelsPerPublish channels
//	POST /apps/{id}/batch_events                       publish 1..MaxBatchEvents events
//	GET  /apps/{id}/channels                           occupied channels (filter_by_prefix, info)
//	GET  /apps/{id}/channels/{channel}                 one channel (info=user_count,subscription_count,cache)
//	GET  /apps/{id}/channels/{channel}/users           presence members
//	POST /apps/{id}/users/{user_id}/terminate_connections
//
// Every request is signed as Pusher specifies: auth_key (the app's key),
// auth_timestamp (within Options.TimestampWindow, default ±600 s),
// auth_version=1.0, body_md5 (required for a non-empty body, recomputed)
// and auth_signature, the hex HMAC-SHA256 with the app secret of
// "METHOD\npath\nquery", where query is every parameter except
// auth_signature, keys lowercased, sorted, values unescaped. Signatures are
// compared in constant time. The signature is checked before the body is
// read (it covers body_md5), and body_md5 is then checked against the body,
// so an unauthenticated caller never makes the server buffer a body.
//
// Responses are JSON. Errors are {"error":"..."} with these statuses:
//
//	400  malformed JSON or query, invalid channel or event name, too many
//	     channels or batch events, info attribute not applicable
//	401  missing or wrong signature, auth_key, auth_version, stale timestamp, body_md5
//	403  the app is disabled
//	404  unknown path or app id
//	405  wrong method (Allow header set)
//	413  request body above Options.MaxBodyBytes, or event data above the
//	     app's Limits.MaxPayloadBytes
//	500  the broker failed (hub.StatusBrokerFailed) or a query failed
//	503  broker or shard queue full (hub.StatusBrokerQueueFull,
//	     hub.StatusShardQueueFull), with Retry-After: 1; hub closed
package httpapi
