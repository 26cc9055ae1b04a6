package redis

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// Key layout (P = Config.Prefix, A = app id, C = channel). Every key of
// one app shares the hash tag {P:A}, so the Lua scripts touch one slot
// and work on Redis Cluster:
//
//	{P:A}:c:C:s      hash  socket id -> user id (connections of C)
//	{P:A}:c:C:n      hash  user id -> number of connections
//	{P:A}:c:C:u      hash  user id -> user_info JSON ("" when absent)
//	{P:A}:c:C:o      zset  user id scored by join sequence (member order)
//	{P:A}:seq        counter of join sequences
//	{P:A}:chans      hash  channel -> number of connections (lists, counts)
//	{P:A}:cache:C    string: the cache channel's last event, with its TTL
//	P:nodes          zset  node incarnation -> last heartbeat (unix ms)
//	P:node:N:socks   set   "A\x00C\x00socket" recorded by incarnation N
//	P:reap:N         lock of the node expiring incarnation N
//	P:reaped:N       tombstone: incarnation N was expired (kept 1 h)
//	P:stats:N        hash  app id -> open connections of incarnation N (TTL NodeTTL)
//	P:app:A          Pub/Sub channel of app A (pattern P:app:*)

type keys struct{ prefix string }

func (k keys) tag(app string) string { return "{" + k.prefix + ":" + app + "}" }

// channelKeys returns the six keys of the join and leave scripts.
func (k keys) channelKeys(app, channel string) []string {
	base := k.tag(app) + ":c:" + channel
	return []string{base + ":s", base + ":n", base + ":u", base + ":o", k.tag(app) + ":seq", k.tag(app) + ":chans"}
}

func (k keys) chans(app string) string          { return k.tag(app) + ":chans" }
func (k keys) cache(app, channel string) string { return k.tag(app) + ":cache:" + channel }
func (k keys) nodes() string                    { return k.prefix + ":nodes" }
func (k keys) nodeSockets(node string) string   { return k.prefix + ":node:" + node + ":socks" }
func (k keys) appChannel(app string) string     { return k.prefix + ":app:" + app }
func (k keys) reaped(node string) string        { return k.prefix + ":reaped:" + node }
func (k keys) stats(node string) string         { return k.prefix + ":stats:" + node }
func (k keys) appPattern() string               { return k.prefix + ":app:*" }

// socketRef names one connection in a node's socket set.
func socketRef(app, channel, socket string) string {
	return app + "\x00" + channel + "\x00" + socket
}

// parseSocketRef splits a socketRef; ok=false for malformed entries.
func parseSocketRef(ref string) (app, channel, socket string, ok bool) {
	parts := strings.SplitN(ref, "\x00", 3)
	if len(parts) != 3 {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

// randomToken returns 16 random hex characters.
func randomToken() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
