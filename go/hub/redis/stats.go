package redis

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// SetConnectionSource implements hub.ConnectionCounter: the node writes
// source's figures with every heartbeat, expiring after NodeTTL.
func (p *Presence) SetConnectionSource(source func() map[string]int) {
	p.mu.Lock()
	p.connSource = source
	p.mu.Unlock()
}

// ClusterConnections implements hub.ConnectionCounter: the sum of the
// last figures of every live node (at most one Heartbeat old).
func (p *Presence) ClusterConnections(ctx context.Context, appID string) (int, error) {
	n := p.n
	cutoff := time.Now().Add(-n.cfg.NodeTTL).UnixMilli()
	live, err := n.client.ZRangeByScore(ctx, n.keys.nodes(), &zrange{Min: strconv.FormatInt(cutoff, 10), Max: "+inf"}).Result()
	if err != nil {
		return 0, fmt.Errorf("redis: cluster connections: %w", err)
	}
	total := 0
	for _, inc := range live {
		v, err := n.client.HGet(ctx, n.keys.stats(inc), appID).Int()
		if err == nil {
			total += v
		}
	}
	return total, nil
}

// publishStats writes this node's connection counts (heartbeat).
func (n *Node) publishStats(ctx context.Context) {
	n.presence.mu.Lock()
	source := n.presence.connSource
	n.presence.mu.Unlock()
	if source == nil {
		return
	}
	counts := source()
	key := n.keys.stats(n.incarnation)
	pipe := n.client.TxPipeline()
	pipe.Del(ctx, key)
	if len(counts) > 0 {
		vals := make([]any, 0, 2*len(counts))
		for app, c := range counts {
			vals = append(vals, app, c)
		}
		pipe.HSet(ctx, key, vals...)
		pipe.PExpire(ctx, key, n.cfg.NodeTTL)
	}
	_, _ = pipe.Exec(ctx)
}
