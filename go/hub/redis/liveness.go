package redis

import (
	"context"
	"strconv"
	"time"

	"github.com/y-l-g/websocket/go/hub"
)

// reapBatch is how many connections of a dead node are removed per round trip.
const reapBatch = 100

// runLiveness refreshes the node's heartbeat every Heartbeat and removes
// the records of nodes silent for more than NodeTTL, until ctx ends.
func (n *Node) runLiveness(ctx context.Context) {
	defer n.wg.Done()
	t := time.NewTicker(n.cfg.Heartbeat)
	defer t.Stop()
	lost := false
	for {
		lost = n.beat(ctx, lost)
		n.reapDead(ctx)
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
	}
}

// beat records the node as alive now. It logs when the record had
// vanished while the node was running (Redis restarted without
// persistence, or other nodes expired this node during a partition):
// presence records of this node's connections may then be gone.
func (n *Node) beat(ctx context.Context, lost bool) bool {
	ctx, cancel := context.WithTimeout(ctx, n.cmdTimeout)
	defer cancel()
	now := float64(time.Now().UnixMilli())
	added, err := n.client.ZAdd(ctx, n.keys.nodes(), redisZ(now, n.incarnation)).Result()
	if err != nil {
		if !lost {
			n.log.Warn("redis: heartbeat failed", "node", n.cfg.NodeID, "err", err)
		}
		return true
	}
	if added == 1 && n.beaten {
		n.recordLost(ctx)
	}
	n.beaten = true
	n.publishStats(ctx)
	if lost {
		n.log.Info("redis: heartbeat restored", "node", n.cfg.NodeID)
	}
	return false
}

// reapDead removes the records of every node whose heartbeat is older than
// NodeTTL. One node wins each dead node (a short lock), so every removal
// is reported once.
func (n *Node) reapDead(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, n.cfg.NodeTTL)
	defer cancel()
	cutoff := time.Now().Add(-n.cfg.NodeTTL).UnixMilli()
	dead, err := n.client.ZRangeByScore(ctx, n.keys.nodes(), &zrange{Min: "-inf", Max: strconv.FormatInt(cutoff, 10)}).Result()
	if err != nil {
		return
	}
	for _, inc := range dead {
		if inc != n.incarnation {
			n.reapIncarnation(ctx, inc)
		}
	}
}

// reapIncarnation expires incarnation inc unless another node holds its
// lock: tombstone, connections removed and reported, record deleted.
func (n *Node) reapIncarnation(ctx context.Context, inc string) {
	lock := n.keys.prefix + ":reap:" + inc
	won, err := n.client.SetNX(ctx, lock, n.incarnation, n.cfg.NodeTTL).Result()
	if err != nil || !won {
		return
	}
	n.client.Set(ctx, n.keys.reaped(inc), 1, tombstoneTTL)
	removed := n.reapNode(ctx, inc)
	n.client.ZRem(ctx, n.keys.nodes(), inc)
	n.client.Del(ctx, lock)
	n.log.Warn("redis: expired a dead node's connections", "dead", inc, "connections", removed)
}

// reapNode removes every connection recorded by incarnation inc and
// reports each to the expiry handler. Returns how many were removed.
func (n *Node) reapNode(ctx context.Context, inc string) int {
	set := n.keys.nodeSockets(inc)
	handler := n.presence.expiryHandler()
	total := 0
	for ctx.Err() == nil {
		refs, err := n.client.SPopN(ctx, set, reapBatch).Result()
		if err != nil || len(refs) == 0 {
			break
		}
		for _, ref := range refs {
			app, channel, socket, ok := parseSocketRef(ref)
			if !ok {
				continue
			}
			m, last, ok, err := n.presence.leave(ctx, app, channel, socket)
			if err != nil || !ok {
				continue
			}
			total++
			if handler != nil {
				handler(hub.Expired{AppID: app, Channel: channel, SocketID: socket, Member: m, Last: last})
			}
		}
	}
	if total > 0 {
		n.cfg.Metrics.Expired(total)
	}
	return total
}

// tombstoneTTL is how long the mark "this incarnation was expired by
// another node" is kept: a node cut off for longer re-records its
// connections without announcing them.
const tombstoneTTL = time.Hour

// recordLost handles a heartbeat that found the node's record gone: the
// hub re-records its connections, announcing them (member_added, ...) when
// other nodes had expired this node (a tombstone says so), silently when
// Redis lost its data.
func (n *Node) recordLost(ctx context.Context) {
	announce := n.client.Exists(ctx, n.keys.reaped(n.incarnation)).Val() == 1
	n.log.Warn("redis: this node's record had vanished; re-recording its connections",
		"node", n.cfg.NodeID, "expired_by_others", announce)
	if h := n.presence.lostHandler(); h != nil {
		n.wg.Add(1)
		go func() {
			defer n.wg.Done()
			h(announce)
		}()
	}
}
