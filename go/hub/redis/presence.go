package redis

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	goredis "github.com/redis/go-redis/v9"

	"github.com/y-l-g/websocket/go/hub"
)

// Presence is the cluster-wide hub.PresenceStore of a Node. Besides
// PresenceStore it implements hub.OnlineChecker, hub.ChannelCounter,
// hub.CacheReader and hub.ExpiringStore. Every connection it records is
// also listed under the node's incarnation, so that when the node dies
// (no heartbeat for NodeTTL) a surviving node removes it and reports it.
// Errors wrap Redis's errors; nothing is retried.
type Presence struct {
	n *Node

	mu      sync.Mutex
	onExpry func(hub.Expired)
	onLost  func(announce bool)

	connSource  func() map[string]int      // stats.go
	openSockets func() map[string]struct{} // reconcile.go
}

// Join implements hub.PresenceStore.
func (p *Presence) Join(ctx context.Context, appID, channel, socketID string, m hub.Member) (bool, error) {
	return p.JoinLimited(ctx, appID, channel, socketID, m, 0)
}

// JoinLimited implements hub.LimitedJoiner: the distinct-user limit max
// (0 = none) is checked in the same script as the join.
func (p *Presence) JoinLimited(ctx context.Context, appID, channel, socketID string, m hub.Member, max int) (bool, error) {
	k := p.n.keys
	ref := socketRef(appID, channel, socketID)
	if err := p.n.client.SAdd(ctx, k.nodeSockets(p.n.incarnation), ref).Err(); err != nil {
		return false, fmt.Errorf("redis: presence join: %w", err)
	}
	r, err := joinScript.Run(ctx, p.n.client, k.channelKeys(appID, channel), socketID, m.UserID, string(m.UserInfo), channel, max).Int()
	if err != nil {
		return false, fmt.Errorf("redis: presence join: %w", err)
	}
	if r == -2 {
		p.n.client.SRem(ctx, k.nodeSockets(p.n.incarnation), ref)
		return false, fmt.Errorf("redis: %w (%d members)", hub.ErrPresenceFull, max)
	}
	return r == 1, nil
}

// Leave implements hub.PresenceStore.
func (p *Presence) Leave(ctx context.Context, appID, channel, socketID string) (hub.Member, bool, bool, error) {
	m, last, ok, err := p.leave(ctx, appID, channel, socketID)
	if err != nil {
		return m, last, ok, err
	}
	_ = p.n.client.SRem(ctx, p.n.keys.nodeSockets(p.n.incarnation), socketRef(appID, channel, socketID)).Err()
	return m, last, ok, nil
}

// leave runs the leave script only.
func (p *Presence) leave(ctx context.Context, appID, channel, socketID string) (hub.Member, bool, bool, error) {
	r, err := leaveScript.Run(ctx, p.n.client, p.n.keys.channelKeys(appID, channel), socketID, channel).Slice()
	if err != nil {
		return hub.Member{}, false, false, fmt.Errorf("redis: presence leave: %w", err)
	}
	if len(r) < 4 || r[0] != int64(1) {
		return hub.Member{}, false, false, nil
	}
	user, _ := r[2].(string)
	info, _ := r[3].(string)
	return member(user, info), r[1] == int64(1), true, nil
}

func member(user, info string) hub.Member {
	m := hub.Member{UserID: user}
	if info != "" {
		m.UserInfo = json.RawMessage(info)
	}
	return m
}

// Members implements hub.PresenceStore: one entry per user, in the order
// of their first connection.
func (p *Presence) Members(ctx context.Context, appID, channel string) ([]hub.Member, error) {
	r, err := membersScript.Run(ctx, p.n.client, p.n.keys.channelKeys(appID, channel)).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("redis: presence members: %w", err)
	}
	out := make([]hub.Member, 0, len(r)/2)
	for i := 0; i+1 < len(r); i += 2 {
		out = append(out, member(r[i], r[i+1]))
	}
	return out, nil
}

// Online implements hub.OnlineChecker.
func (p *Presence) Online(ctx context.Context, appID, channel string, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	vals, err := p.n.client.HMGet(ctx, p.n.keys.channelKeys(appID, channel)[1], ids...).Result()
	if err != nil {
		return nil, fmt.Errorf("redis: online: %w", err)
	}
	var out []string
	for i, v := range vals {
		if v != nil {
			out = append(out, ids[i])
		}
	}
	return out, nil
}

// Connections implements hub.ChannelCounter.
func (p *Presence) Connections(ctx context.Context, appID, channel string) (int, error) {
	n, err := p.n.client.HGet(ctx, p.n.keys.chans(appID), channel).Int()
	if err == goredis.Nil {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("redis: connection count: %w", err)
	}
	return max(n, 0), nil
}

// ChannelCounts implements hub.ChannelCounter.
func (p *Presence) ChannelCounts(ctx context.Context, appID, prefix string) (map[string]int, error) {
	all, err := p.n.client.HGetAll(ctx, p.n.keys.chans(appID)).Result()
	if err != nil {
		return nil, fmt.Errorf("redis: channel counts: %w", err)
	}
	out := make(map[string]int)
	for name, v := range all {
		if n, err := strconv.Atoi(v); err == nil && n > 0 && strings.HasPrefix(name, prefix) {
			out[name] = n
		}
	}
	return out, nil
}

// CachedEvent implements hub.CacheReader: the event the broker stored for
// a cache channel, with its remaining TTL.
func (p *Presence) CachedEvent(ctx context.Context, appID, channel string) (hub.CacheEntry, bool, error) {
	key := p.n.keys.cache(appID, channel)
	pipe := p.n.client.Pipeline()
	get := pipe.Get(ctx, key)
	ttl := pipe.PTTL(ctx, key)
	_, _ = pipe.Exec(ctx)
	raw, err := get.Bytes()
	if err == goredis.Nil {
		return hub.CacheEntry{}, false, nil
	}
	if err == nil {
		err = ttl.Err()
	}
	if err != nil {
		return hub.CacheEntry{}, false, fmt.Errorf("redis: cached event: %w", err)
	}
	var v cachedValue
	if err := json.Unmarshal(raw, &v); err != nil {
		return hub.CacheEntry{}, false, fmt.Errorf("redis: cached event: %w", err)
	}
	if ttl.Val() <= 0 {
		return hub.CacheEntry{}, false, nil
	}
	return hub.CacheEntry{Event: v.Event, Data: v.Data, TTL: ttl.Val()}, true, nil
}

// OnExpire implements hub.ExpiringStore.
func (p *Presence) OnExpire(handler func(hub.Expired)) {
	p.mu.Lock()
	p.onExpry = handler
	p.mu.Unlock()
}

// OnLost implements hub.Resyncer: the handler runs (in its own goroutine)
// when the node's heartbeat finds its liveness record gone.
func (p *Presence) OnLost(handler func(announce bool)) {
	p.mu.Lock()
	p.onLost = handler
	p.mu.Unlock()
}

func (p *Presence) lostHandler() func(bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.onLost
}

func (p *Presence) expiryHandler() func(hub.Expired) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.onExpry
}

var (
	_ hub.PresenceStore     = (*Presence)(nil)
	_ hub.OnlineChecker     = (*Presence)(nil)
	_ hub.ChannelCounter    = (*Presence)(nil)
	_ hub.CacheReader       = (*Presence)(nil)
	_ hub.ExpiringStore     = (*Presence)(nil)
	_ hub.Resyncer          = (*Presence)(nil)
	_ hub.ConnectionCounter = (*Presence)(nil)
	_ hub.Reconciler        = (*Presence)(nil)
)
