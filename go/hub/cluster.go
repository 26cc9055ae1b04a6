package hub

import (
	"context"
	"strings"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

// Optional PresenceStore extensions for stores shared by several nodes
// (package redis implements all of them; MemoryPresence implements
// ChannelCounter and OnlineChecker). The hub discovers them with type
// assertions in New and uses them only when the Broker is not a
// LocalBroker.

// Expired is one connection a shared store removed on behalf of a node
// that disappeared without leaving (crash, kill, long partition).
type Expired struct {
	AppID    string
	Channel  string // a presence channel, or one of the pseudo-channels #online and #subs:<name>
	SocketID string
	Member   Member
	Last     bool // it was the user's last connection on Channel, cluster-wide
}

// ExpiringStore is a PresenceStore that expires the connections of dead
// nodes after a bounded time. It reports every removal to the handler on
// exactly one surviving node, which then sends what a normal leave would
// have sent: member_removed (event and webhook), channel_vacated, watchlist
// offline, and (apps with subscription counts) one subscription_count for a
// channel that is still occupied elsewhere.
type ExpiringStore interface {
	OnExpire(handler func(Expired))
}

// ChannelCounter is a PresenceStore that counts connections per channel
// across the cluster. The hub records every subscription under the
// pseudo-channel #subs:<name>, so counting those gives cluster-wide
// subscription counts and channel lists for the HTTP API.
type ChannelCounter interface {
	// Connections returns the number of connections recorded on channel.
	Connections(ctx context.Context, appID, channel string) (int, error)
	// ChannelCounts returns every channel whose name starts with prefix
	// and has at least one connection, with its connection count.
	ChannelCounts(ctx context.Context, appID, prefix string) (map[string]int, error)
}

// CacheReader is a PresenceStore that holds the last event of cache
// channels for the cluster (the broker stores it with Envelope.CacheTTL).
// A node without a live local entry asks it before replying to a
// subscription.
type CacheReader interface {
	CachedEvent(ctx context.Context, appID, channel string) (e CacheEntry, ok bool, err error)
}

// envelope wraps m for the broker, with CacheTTL set when m names a cache
// channel and is not a protocol event.
func (h *Hub) envelope(m Message) *Envelope {
	e := &Envelope{Node: h.cfg.NodeID, Message: m}
	if isProtocolEvent(m.Event) || strings.HasPrefix(m.Event, controlPrefix) {
		return e
	}
	for _, c := range m.Channels {
		if pusher.IsCache(c) {
			if app, ok := h.cfg.Apps.ByID(m.AppID); ok && app != nil {
				e.CacheTTL = app.Limits.WithDefaults().CacheTTL
			}
			break
		}
	}
	return e
}

// expired runs on the node an ExpiringStore picked for a dead node's
// connection and sends what that connection's leave would have sent.
func (h *Hub) expired(x Expired) {
	app, ok := h.cfg.Apps.ByID(x.AppID)
	if !ok || app == nil {
		return
	}
	if !x.Last {
		if strings.HasPrefix(x.Channel, occupancyPrefix) {
			h.countAfterExpiry(app, x.Channel)
		}
		return
	}
	switch {
	case x.Channel == onlineKey:
		h.publishMessage(Message{AppID: x.AppID, Event: controlWatchlist, UserID: x.Member.UserID, Data: "offline"})
	case strings.HasPrefix(x.Channel, occupancyPrefix):
		h.notify(app, WebhookEvent{Name: WebhookChannelVacated, Channel: strings.TrimPrefix(x.Channel, occupancyPrefix)})
	case pusher.KindOf(x.Channel) == pusher.KindPresence:
		d := appendMemberData(nil, x.Member.UserID, nil, false)
		h.publishInternal(x.AppID, x.Channel, pusher.InternalMemberRemoved, string(d), "")
		h.notify(app, WebhookEvent{Name: WebhookMemberRemoved, Channel: x.Channel, UserID: x.Member.UserID})
	}
}

// fillCache asks a CacheReader for the cached event of a cache channel
// this node has no live entry for, and stores it locally (unless a newer
// brokered event arrived meanwhile). Single-node hubs do nothing.
func (h *Hub) fillCache(appID, name string) {
	cr, ok := h.presence.(CacheReader)
	if !h.cluster || !ok || !pusher.IsCache(name) {
		return
	}
	k := chanKey{appID, name}
	sh := h.shardOf(appID, name)
	now := h.now()
	sh.mu.Lock()
	live := sh.liveCache(k, now) != nil
	sh.mu.Unlock()
	if live {
		return
	}
	ctx, cancel := context.WithTimeout(h.ctx, internalPublishTimeout)
	defer cancel()
	ce, ok, err := cr.CachedEvent(ctx, appID, name)
	if err != nil {
		h.log.Warn("hub: cache read failed", "app", appID, "channel", name, "err", err)
		return
	}
	if !ok || ce.TTL <= 0 {
		return
	}
	frame := encodeFrame(&serverEvent{Event: ce.Event, Channel: name, Data: ce.Data})
	sh.mu.Lock()
	if sh.liveCache(k, now) == nil {
		sh.cache[k] = &cacheEntry{event: ce.Event, data: ce.Data, frame: frame, expires: now.Add(ce.TTL)}
	}
	sh.mu.Unlock()
}

// clusterCount returns the cluster-wide subscription count of name, or
// ok=false when the hub is single-node or the store cannot count.
func (h *Hub) clusterCount(ctx context.Context, appID, name string) (n int, ok bool, err error) {
	cc, can := h.presence.(ChannelCounter)
	if !h.cluster || !can {
		return 0, false, nil
	}
	n, err = cc.Connections(ctx, appID, occupancyPrefix+name)
	return n, err == nil, err
}

// clusterCounts reports whether subscription counts are cluster-wide.
func (h *Hub) clusterCounts() bool {
	_, ok := h.presence.(ChannelCounter)
	return h.cluster && ok
}

// sendClusterCount reads name's cluster-wide subscription count and
// brokers pusher_internal:subscription_count to every node's subscribers;
// this node alone sends the subscription_count webhook. Nothing is sent
// for a vacant channel or when the store fails (logged).
func (h *Hub) sendClusterCount(app *App, name string) {
	ctx, cancel := context.WithTimeout(h.ctx, internalPublishTimeout)
	defer cancel()
	n, _, err := h.clusterCount(ctx, app.ID, name)
	if err != nil {
		h.log.Warn("hub: subscription count failed", "app", app.ID, "channel", name, "err", err)
		return
	}
	if n == 0 {
		return
	}
	d := appendInt([]byte(`{"subscription_count":`), n)
	h.publishInternal(app.ID, name, pusher.InternalSubscriptionCount, string(append(d, '}')), "")
	h.notify(app, WebhookEvent{Name: WebhookSubscriptionCount, Channel: name, SubscriptionCount: &n})
}
