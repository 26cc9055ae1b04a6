package hub

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

// ChannelInfo describes one channel for the HTTP API.
type ChannelInfo struct {
	Name              string
	Occupied          bool
	SubscriptionCount int
	UserCount         int         // presence channels: distinct users
	Cache             *CacheEntry // cache channels with a live cached event
}

// CacheEntry is the last event of a cache channel and its remaining TTL.
type CacheEntry struct {
	Event string
	Data  string
	TTL   time.Duration
}

// AppStats is a snapshot of one app's load on this node.
type AppStats struct {
	Connections   int
	Channels      int
	Subscriptions int
}

// Channel describes one channel of appID (occupied or not). UserCount
// (presence) comes from the PresenceStore. With a LocalBroker Occupied and
// SubscriptionCount are this node's (the whole truth); in a cluster they
// are cluster-wide (SubscriptionCount only when the PresenceStore is a
// ChannelCounter, else this node's).
func (h *Hub) Channel(ctx context.Context, appID, name string) (ChannelInfo, error) {
	if app, ok := h.cfg.Apps.ByID(appID); !ok || app == nil {
		return ChannelInfo{}, fmt.Errorf("%w: %s", ErrUnknownApp, appID)
	}
	k := chanKey{appID, name}
	sh := h.shardOf(appID, name)
	info := ChannelInfo{Name: name}
	now := h.now()
	sh.mu.Lock()
	if c := sh.chans[k]; c != nil {
		info.SubscriptionCount = c.count()
		info.Occupied = info.SubscriptionCount > 0
	}
	if e := sh.liveCache(k, now); e != nil {
		info.Cache = &CacheEntry{Event: e.event, Data: e.data, TTL: e.expires.Sub(now)}
	}
	sh.mu.Unlock()
	if n, ok, err := h.clusterCount(ctx, appID, name); err != nil {
		return info, fmt.Errorf("hub: subscription count of %s: %w", name, err)
	} else if ok {
		info.SubscriptionCount, info.Occupied = n, n > 0
	} else if h.clustered() {
		occ, err := h.clusterOccupied(ctx, appID, name)
		if err != nil {
			return info, fmt.Errorf("hub: occupancy of %s: %w", name, err)
		}
		info.Occupied = occ
	}
	if pusher.KindOf(name) == pusher.KindPresence {
		ms, err := h.presence.Members(ctx, appID, name)
		if err != nil {
			return info, fmt.Errorf("hub: presence members of %s: %w", name, err)
		}
		info.UserCount = len(ms)
	}
	return info, nil
}

// Channels lists the occupied channels of appID whose names start with
// prefix, sorted by name, with their subscription counts (and the
// PresenceStore's user counts for presence channels). In a cluster whose
// PresenceStore is a ChannelCounter the list and counts are cluster-wide;
// otherwise they are this node's.
func (h *Hub) Channels(ctx context.Context, appID, prefix string) ([]ChannelInfo, error) {
	if app, ok := h.cfg.Apps.ByID(appID); !ok || app == nil {
		return nil, fmt.Errorf("%w: %s", ErrUnknownApp, appID)
	}
	out, clusterWide, err := h.clusterChannels(ctx, appID, prefix)
	if err != nil {
		return nil, err
	}
	for _, sh := range h.shards {
		if clusterWide {
			break
		}
		sh.mu.Lock()
		for k, c := range sh.chans {
			if k.app == appID && c.count() > 0 && strings.HasPrefix(k.name, prefix) {
				out = append(out, ChannelInfo{Name: k.name, Occupied: true, SubscriptionCount: c.count()})
			}
		}
		sh.mu.Unlock()
	}
	slices.SortFunc(out, func(a, b ChannelInfo) int { return strings.Compare(a.Name, b.Name) })
	for i := range out {
		if pusher.KindOf(out[i].Name) != pusher.KindPresence {
			continue
		}
		ms, err := h.presence.Members(ctx, appID, out[i].Name)
		if err != nil {
			return nil, fmt.Errorf("hub: presence members of %s: %w", out[i].Name, err)
		}
		out[i].UserCount = len(ms)
	}
	return out, nil
}

// PresenceUsers lists the distinct user ids of a presence channel, in join
// order. ErrNotPresence for other channels, ErrUnknownApp for unknown apps.
func (h *Hub) PresenceUsers(ctx context.Context, appID, channel string) ([]string, error) {
	if app, ok := h.cfg.Apps.ByID(appID); !ok || app == nil {
		return nil, fmt.Errorf("%w: %s", ErrUnknownApp, appID)
	}
	if pusher.KindOf(channel) != pusher.KindPresence {
		return nil, fmt.Errorf("%w: %s", ErrNotPresence, channel)
	}
	ms, err := h.presence.Members(ctx, appID, channel)
	if err != nil {
		return nil, fmt.Errorf("hub: presence members of %s: %w", channel, err)
	}
	ids := make([]string, len(ms))
	for i := range ms {
		ids[i] = ms[i].UserID
	}
	return ids, nil
}

// Stats returns a snapshot of appID's connections, occupied channels and
// subscriptions on this node (zero for unknown apps). Read-your-writes for
// clients: a connection is counted before connection_established is
// written, a subscription before subscription_succeeded.
func (h *Hub) Stats(appID string) AppStats {
	st := h.lookupAppState(appID)
	if st == nil {
		return AppStats{}
	}
	return AppStats{
		Connections:   int(st.connections.Load()),
		Channels:      int(st.channels.Load()),
		Subscriptions: int(st.subscriptions.Load()),
	}
}

// Connections returns the number of open sessions on this node, all apps
// together (the figure MaxConnections caps).
func (h *Hub) Connections() int { return int(h.conns.Load()) }

// QueueDepth returns the number of events waiting in the shard fan-out
// queues, summed over shards (a gauge for metrics; capacity is NumShards ×
// ShardQueueSize).
func (h *Hub) QueueDepth() int {
	n := 0
	for _, sh := range h.shards {
		n += len(sh.queue)
	}
	return n
}

// clusterChannels lists channels from a ChannelCounter store; ok=false
// when the hub is single-node or the store cannot enumerate.
func (h *Hub) clusterChannels(ctx context.Context, appID, prefix string) ([]ChannelInfo, bool, error) {
	cc, can := h.presence.(ChannelCounter)
	if !h.cluster || !can {
		return nil, false, nil
	}
	counts, err := cc.ChannelCounts(ctx, appID, occupancyPrefix+prefix)
	if err != nil {
		return nil, false, fmt.Errorf("hub: channel list: %w", err)
	}
	out := make([]ChannelInfo, 0, len(counts))
	for name, n := range counts {
		out = append(out, ChannelInfo{Name: strings.TrimPrefix(name, occupancyPrefix), Occupied: true, SubscriptionCount: n})
	}
	return out, true, nil
}
