package pusher

// ProtocolVersion is the protocol version this server speaks.
const ProtocolVersion = 7

// Events sent by clients.
const (
	EventPing        = "pusher:ping"
	EventPong        = "pusher:pong"
	EventSubscribe   = "pusher:subscribe"
	EventUnsubscribe = "pusher:unsubscribe"
	EventSignin      = "pusher:signin"
)

// Events sent by the server.
const (
	EventConnectionEstablished = "pusher:connection_established"
	EventError                 = "pusher:error"
	EventSigninSuccess         = "pusher:signin_success"
	EventCacheMiss             = "pusher:cache_miss"
	EventSubscriptionError     = "pusher:subscription_error"

	InternalSubscriptionSucceeded = "pusher_internal:subscription_succeeded"
	InternalMemberAdded           = "pusher_internal:member_added"
	InternalMemberRemoved         = "pusher_internal:member_removed"
	InternalWatchlistEvents       = "pusher_internal:watchlist_events"
	InternalSubscriptionCount     = "pusher_internal:subscription_count"
)

// Prefixes of event names.
const (
	PrefixClientEvent = "client-"
	PrefixPusher      = "pusher:"
	PrefixInternal    = "pusher_internal:"
)

// ServerToUserPrefix is the reserved channel pusher-js subscribes to after
// signin: "#server-to-user-{userId}".
const ServerToUserPrefix = "#server-to-user-"
