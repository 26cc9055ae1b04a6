package pusher

import "time"

// Limits bounds what clients and publishers may do. A zero field means "use
// the default from DefaultLimits"; call WithDefaults before use.
type Limits struct {
	MaxChannelNameLength   int           // default 200 (Pusher documents 164; soketi and sockudo use 200)
	MaxEventNameLength     int           // default 200
	MaxPayloadBytes        int           // size of an event's data; default 10240 (Pusher: 10 KB)
	MaxMessageBytes        int           // inbound WebSocket message cap; default 65536
	MaxPresenceMembers     int           // distinct users per presence channel; default 100
	MaxUserInfoBytes       int           // presence user_info JSON size; default 1024
	MaxUserIDLength        int           // default 128
	ClientEventsPerSecond  int           // per connection; default 10
	MaxSubscriptions       int           // channels per connection; default 1000
	MaxChannelsPerPublish  int           // default 100
	MaxBatchEvents         int           // HTTP API batch_events; default 10
	MaxWatchlist           int           // watchlist ids per user; default 100
	CacheTTL               time.Duration // cache channel retention; default 30m
	SubscriptionCountEvery time.Duration // throttle above 100 subscribers; default 5s
}

// DefaultLimits are the limits used for every zero field.
var DefaultLimits = Limits{
	MaxChannelNameLength:   200,
	MaxEventNameLength:     200,
	MaxPayloadBytes:        10 * 1024,
	MaxMessageBytes:        64 * 1024,
	MaxPresenceMembers:     100,
	MaxUserInfoBytes:       1024,
	MaxUserIDLength:        128,
	ClientEventsPerSecond:  10,
	MaxSubscriptions:       1000,
	MaxChannelsPerPublish:  100,
	MaxBatchEvents:         10,
	MaxWatchlist:           100,
	CacheTTL:               30 * time.Minute,
	SubscriptionCountEvery: 5 * time.Second,
}

// WithDefaults returns l with every zero (or negative) field replaced by its default.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits
	pick := func(v, def int) int {
		if v <= 0 {
			return def
		}
		return v
	}
	l.MaxChannelNameLength = pick(l.MaxChannelNameLength, d.MaxChannelNameLength)
	l.MaxEventNameLength = pick(l.MaxEventNameLength, d.MaxEventNameLength)
	l.MaxPayloadBytes = pick(l.MaxPayloadBytes, d.MaxPayloadBytes)
	l.MaxMessageBytes = pick(l.MaxMessageBytes, d.MaxMessageBytes)
	l.MaxPresenceMembers = pick(l.MaxPresenceMembers, d.MaxPresenceMembers)
	l.MaxUserInfoBytes = pick(l.MaxUserInfoBytes, d.MaxUserInfoBytes)
	l.MaxUserIDLength = pick(l.MaxUserIDLength, d.MaxUserIDLength)
	l.ClientEventsPerSecond = pick(l.ClientEventsPerSecond, d.ClientEventsPerSecond)
	l.MaxSubscriptions = pick(l.MaxSubscriptions, d.MaxSubscriptions)
	l.MaxChannelsPerPublish = pick(l.MaxChannelsPerPublish, d.MaxChannelsPerPublish)
	l.MaxBatchEvents = pick(l.MaxBatchEvents, d.MaxBatchEvents)
	l.MaxWatchlist = pick(l.MaxWatchlist, d.MaxWatchlist)
	if l.CacheTTL <= 0 {
		l.CacheTTL = d.CacheTTL
	}
	if l.SubscriptionCountEvery <= 0 {
		l.SubscriptionCountEvery = d.SubscriptionCountEvery
	}
	return l
}
