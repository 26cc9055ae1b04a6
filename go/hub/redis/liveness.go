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
		n.log.Warn("redis: this node's record had vanished (Redis restarted or the node was expired); presence records of its connections may be missing", "node", n.cfg.NodeID)
	}
	n.beaten = true
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
		if inc == n.incarnation {
			continue
		}
		lock := n.keys.prefix + ":reap:" + inc
		won, err := n.client.SetNX(ctx, lock, n.incarnation, n.cfg.NodeTTL).Result()
		if err != nil || !won {
			continue
		}
		removed := n.reapNode(ctx, inc)
		n.client.ZRem(ctx, n.keys.nodes(), inc)
		n.client.Del(ctx, lock)
		n.log.Warn("redis: expired a dead node's connections", "dead", inc, "connections", removed)
	}
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
