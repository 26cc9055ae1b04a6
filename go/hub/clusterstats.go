package hub

import (
	"context"
	"fmt"
)

// ConnectionCounter is an optional PresenceStore extension for shared
// stores: the hub hands it a source of this node's open connections per
// app, which the store publishes periodically (package redis: with every
// heartbeat), and ClusterConnections sums the live nodes' last figures.
type ConnectionCounter interface {
	SetConnectionSource(source func() map[string]int)
	ClusterConnections(ctx context.Context, appID string) (int, error)
}

// localConnections returns this node's open sessions per app.
func (h *Hub) localConnections() map[string]int {
	h.mu.Lock()
	states := make(map[string]*appState, len(h.apps))
	for id, st := range h.apps {
		states[id] = st
	}
	h.mu.Unlock()
	out := make(map[string]int, len(states))
	for id, st := range states {
		out[id] = int(st.connections.Load())
	}
	return out
}

// ClusterStats is Stats for the whole cluster: connections from a
// ConnectionCounter store (at most one heartbeat old), channels and
// subscriptions from a ChannelCounter store. Single-node hubs, and figures
// the store cannot provide, fall back to this node's.
func (h *Hub) ClusterStats(ctx context.Context, appID string) (AppStats, error) {
	st := h.Stats(appID)
	if !h.cluster {
		return st, nil
	}
	if cc, ok := h.presence.(ConnectionCounter); ok {
		n, err := cc.ClusterConnections(ctx, appID)
		if err != nil {
			return st, fmt.Errorf("hub: cluster connections: %w", err)
		}
		st.Connections = n
	}
	if cc, ok := h.presence.(ChannelCounter); ok {
		counts, err := cc.ChannelCounts(ctx, appID, occupancyPrefix)
		if err != nil {
			return st, fmt.Errorf("hub: cluster channels: %w", err)
		}
		st.Channels, st.Subscriptions = len(counts), 0
		for _, n := range counts {
			st.Subscriptions += n
		}
	}
	return st, nil
}
