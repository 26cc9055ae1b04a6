package pogows

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/caddyserver/caddy/v2"

	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// AppConfig is one Pusher application served by the handler. Options left
// unset inherit the handler-level value of the same name (which also
// configures the flat, seed-style default app).
type AppConfig struct {
	// ID is the app id used by the HTTP API (/apps/{id}/...) and the native
	// PHP functions. Required; no '/', '?', '#' or whitespace.
	ID string `json:"id"`
	// Key is the public key clients connect with (/app/{key}). Default: ID.
	Key string `json:"key,omitempty"`
	// Secret signs HTTP API requests and channel auth. Required.
	Secret string `json:"secret"`
	// Disabled refuses connections (4003) and publishes.
	Disabled bool `json:"disabled,omitempty"`
	// ClientEvents allows client-* events on private and presence channels.
	// Default: inherited, else true.
	ClientEvents *bool `json:"client_events,omitempty"`
	// SubscriptionCount enables subscription_count events and webhooks.
	// Default: inherited, else false.
	SubscriptionCount *bool `json:"subscription_count,omitempty"`
	// ActivityTimeout is advertised to clients in connection_established.
	// Default: inherited, else 30s.
	ActivityTimeout caddy.Duration `json:"activity_timeout,omitempty"`
	// Limits override the inherited limits field by field.
	Limits *Limits `json:"limits,omitempty"`
	// WebhookURLs receive the app's webhooks. Default: inherited, else none.
	WebhookURLs []string `json:"webhook_urls,omitempty"`
	// WebhookSecret signs webhook bodies (X-Pusher-Signature). Default:
	// inherited, else the app secret.
	WebhookSecret string `json:"webhook_secret,omitempty"`
}

// Limits is the configuration form of pusher.Limits. Zero fields inherit
// (app -> handler) and finally take pusher.DefaultLimits.
type Limits struct {
	// MaxChannelName is the longest channel name in bytes; default 200.
	MaxChannelName int `json:"max_channel_name,omitempty"`
	// MaxEventName is the longest event name in bytes; default 200.
	MaxEventName int `json:"max_event_name,omitempty"`
	// MaxPayload is the largest event data in bytes; default 10240.
	MaxPayload int `json:"max_payload,omitempty"`
	// MaxMessage is the largest inbound WebSocket message; default 65536.
	MaxMessage int `json:"max_message,omitempty"`
	// MaxPresenceMembers is the distinct users per presence channel; default 100.
	MaxPresenceMembers int `json:"max_presence_members,omitempty"`
	// MaxUserInfo is the largest presence user_info JSON; default 1024.
	MaxUserInfo int `json:"max_user_info,omitempty"`
	// MaxUserID is the longest user id; default 128.
	MaxUserID int `json:"max_user_id,omitempty"`
	// ClientEventsPerSecond is per connection; default 10 (4301 above).
	ClientEventsPerSecond int `json:"client_events_per_second,omitempty"`
	// MaxSubscriptions is the channels per connection; default 1000.
	MaxSubscriptions int `json:"max_subscriptions,omitempty"`
	// MaxChannelsPerPublish is the channels of one publish; default 100.
	MaxChannelsPerPublish int `json:"max_channels_per_publish,omitempty"`
	// MaxBatchEvents is the events of one batch_events call; default 10.
	MaxBatchEvents int `json:"max_batch_events,omitempty"`
	// MaxWatchlist is the watchlist ids per user; default 100.
	MaxWatchlist int `json:"max_watchlist,omitempty"`
	// CacheTTL is how long cache channels keep their last event; default 30m.
	CacheTTL caddy.Duration `json:"cache_ttl,omitempty"`
}

// over returns l with every zero field taken from base.
func (l *Limits) over(base *Limits) *Limits {
	if l == nil {
		return base
	}
	if base == nil {
		return l
	}
	pick := func(v, b int) int {
		if v != 0 {
			return v
		}
		return b
	}
	out := *l
	out.MaxChannelName = pick(l.MaxChannelName, base.MaxChannelName)
	out.MaxEventName = pick(l.MaxEventName, base.MaxEventName)
	out.MaxPayload = pick(l.MaxPayload, base.MaxPayload)
	out.MaxMessage = pick(l.MaxMessage, base.MaxMessage)
	out.MaxPresenceMembers = pick(l.MaxPresenceMembers, base.MaxPresenceMembers)
	out.MaxUserInfo = pick(l.MaxUserInfo, base.MaxUserInfo)
	out.MaxUserID = pick(l.MaxUserID, base.MaxUserID)
	out.ClientEventsPerSecond = pick(l.ClientEventsPerSecond, base.ClientEventsPerSecond)
	out.MaxSubscriptions = pick(l.MaxSubscriptions, base.MaxSubscriptions)
	out.MaxChannelsPerPublish = pick(l.MaxChannelsPerPublish, base.MaxChannelsPerPublish)
	out.MaxBatchEvents = pick(l.MaxBatchEvents, base.MaxBatchEvents)
	out.MaxWatchlist = pick(l.MaxWatchlist, base.MaxWatchlist)
	if l.CacheTTL == 0 {
		out.CacheTTL = base.CacheTTL
	}
	return &out
}

// validate rejects negative values, naming the option.
func (l *Limits) validate() error {
	if l == nil {
		return nil
	}
	ints := []struct {
		name string
		v    int
	}{
		{"max_channel_name", l.MaxChannelName}, {"max_event_name", l.MaxEventName},
		{"max_payload", l.MaxPayload}, {"max_message", l.MaxMessage},
		{"max_presence_members", l.MaxPresenceMembers}, {"max_user_info", l.MaxUserInfo},
		{"max_user_id", l.MaxUserID}, {"client_events_per_second", l.ClientEventsPerSecond},
		{"max_subscriptions", l.MaxSubscriptions}, {"max_channels_per_publish", l.MaxChannelsPerPublish},
		{"max_batch_events", l.MaxBatchEvents}, {"max_watchlist", l.MaxWatchlist},
	}
	for _, f := range ints {
		if f.v < 0 {
			return fmt.Errorf("%w: limits %s must not be negative, got %d", ErrInvalidConfig, f.name, f.v)
		}
	}
	if l.CacheTTL < 0 {
		return fmt.Errorf("%w: limits cache_ttl must not be negative", ErrInvalidConfig)
	}
	return nil
}

// toPusher converts l to pusher.Limits with defaults filled in.
func (l *Limits) toPusher() pusher.Limits {
	if l == nil {
		return pusher.DefaultLimits
	}
	return pusher.Limits{
		MaxChannelNameLength:  l.MaxChannelName,
		MaxEventNameLength:    l.MaxEventName,
		MaxPayloadBytes:       l.MaxPayload,
		MaxMessageBytes:       l.MaxMessage,
		MaxPresenceMembers:    l.MaxPresenceMembers,
		MaxUserInfoBytes:      l.MaxUserInfo,
		MaxUserIDLength:       l.MaxUserID,
		ClientEventsPerSecond: l.ClientEventsPerSecond,
		MaxSubscriptions:      l.MaxSubscriptions,
		MaxChannelsPerPublish: l.MaxChannelsPerPublish,
		MaxBatchEvents:        l.MaxBatchEvents,
		MaxWatchlist:          l.MaxWatchlist,
		CacheTTL:              time.Duration(l.CacheTTL),
	}.WithDefaults()
}

// resolve fills a copy of a with inherited values from the handler-level
// defaults d, replaces placeholders and validates the result.
func (a AppConfig) resolve(d *Handler, repl *caddy.Replacer) (AppConfig, error) {
	a.ID = repl.ReplaceKnown(a.ID, "")
	a.Key = repl.ReplaceKnown(a.Key, "")
	a.Secret = repl.ReplaceKnown(a.Secret, "")
	if a.Key == "" {
		a.Key = a.ID
	}
	if a.ClientEvents == nil {
		a.ClientEvents = d.ClientEvents
	}
	if a.SubscriptionCount == nil {
		a.SubscriptionCount = d.SubscriptionCount
	}
	if a.ActivityTimeout == 0 {
		a.ActivityTimeout = d.ActivityTimeout
	}
	a.Limits = a.Limits.over(d.Limits)
	if len(a.WebhookURLs) == 0 {
		a.WebhookURLs = d.WebhookURLs
	}
	urls := make([]string, len(a.WebhookURLs))
	for i, u := range a.WebhookURLs {
		urls[i] = repl.ReplaceKnown(u, "")
	}
	a.WebhookURLs = urls
	if a.WebhookSecret == "" {
		a.WebhookSecret = d.WebhookSecret
	}
	a.WebhookSecret = repl.ReplaceKnown(a.WebhookSecret, "")
	if a.WebhookSecret == "" {
		a.WebhookSecret = a.Secret
	}
	return a, a.validate()
}

// validate checks a resolved app.
func (a *AppConfig) validate() error {
	if err := validToken("app id", a.ID); err != nil {
		return err
	}
	if err := validToken("app key of "+a.ID, a.Key); err != nil {
		return err
	}
	if a.Secret == "" {
		return fmt.Errorf("%w: app_secret of app %q is empty (is its environment variable set?)", ErrInvalidConfig, a.ID)
	}
	if a.ActivityTimeout < 0 {
		return fmt.Errorf("%w: activity_timeout of app %q must not be negative", ErrInvalidConfig, a.ID)
	}
	if a.ActivityTimeout != 0 && time.Duration(a.ActivityTimeout) < time.Second {
		return fmt.Errorf("%w: activity_timeout of app %q must be at least 1s", ErrInvalidConfig, a.ID)
	}
	if err := a.Limits.validate(); err != nil {
		return fmt.Errorf("app %q: %w", a.ID, err)
	}
	for _, raw := range a.WebhookURLs {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%w: webhook_url %q of app %q must be an absolute http(s) URL", ErrInvalidConfig, raw, a.ID)
		}
	}
	return nil
}

// validToken rejects empty values and characters that cannot appear in a
// URL path segment unescaped.
func validToken(what, v string) error {
	if v == "" {
		return fmt.Errorf("%w: %s is empty", ErrInvalidConfig, what)
	}
	if strings.ContainsAny(v, "/?#%{} \t\r\n") {
		return fmt.Errorf("%w: %s %q contains a character not allowed in a URL path segment", ErrInvalidConfig, what, v)
	}
	return nil
}

// toHub converts a resolved app to the hub's view.
func (a *AppConfig) toHub() *hub.App {
	return &hub.App{
		ID:                a.ID,
		Key:               a.Key,
		Secret:            a.Secret,
		Disabled:          a.Disabled,
		ClientEvents:      a.ClientEvents == nil || *a.ClientEvents,
		SubscriptionCount: a.SubscriptionCount != nil && *a.SubscriptionCount,
		ActivityTimeout:   time.Duration(a.ActivityTimeout),
		Limits:            a.Limits.toPusher(),
	}
}
