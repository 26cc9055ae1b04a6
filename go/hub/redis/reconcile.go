package redis

import (
	"context"

	"github.com/y-l-g/websocket/go/hub"
)

// SetOpenSockets implements hub.Reconciler.
func (p *Presence) SetOpenSockets(open func() map[string]struct{}) {
	p.mu.Lock()
	p.openSockets = open
	p.mu.Unlock()
}

// afterReconnect runs when the subscription is back after a failure:
// first the records of sockets that closed during the outage are removed
// (reported like a dead node's), then every open connection is recorded
// again (announced only if other nodes had expired this node). Both are
// idempotent; the second covers subscriptions made while Redis was down.
func (n *Node) afterReconnect(ctx context.Context) {
	removed := n.reconcile(ctx)
	n.log.Info("redis: reconciled after reconnect", "node", n.cfg.NodeID, "stale_removed", removed)
	if h := n.presence.lostHandler(); h != nil {
		announce := n.client.Exists(ctx, n.keys.reaped(n.incarnation)).Val() == 1
		h(announce)
	}
}

// reconcile removes this incarnation's records whose socket is not open
// here any more and returns how many. The open set is read after the
// records, so a socket that joins meanwhile is never removed.
func (n *Node) reconcile(ctx context.Context) int {
	n.presence.mu.Lock()
	openFn, handler := n.presence.openSockets, n.presence.onExpry
	n.presence.mu.Unlock()
	if openFn == nil {
		return 0
	}
	set := n.keys.nodeSockets(n.incarnation)
	refs, err := n.client.SMembers(ctx, set).Result()
	if err != nil {
		return 0
	}
	open := openFn()
	removed := 0
	for _, ref := range refs {
		app, channel, socket, ok := parseSocketRef(ref)
		if !ok {
			continue
		}
		if _, live := open[socket]; live {
			continue
		}
		m, last, ok, err := n.presence.leave(ctx, app, channel, socket)
		n.client.SRem(ctx, set, ref)
		if err != nil || !ok {
			continue
		}
		removed++
		if handler != nil {
			handler(hub.Expired{AppID: app, Channel: channel, SocketID: socket, Member: m, Last: last})
		}
	}
	return removed
}
