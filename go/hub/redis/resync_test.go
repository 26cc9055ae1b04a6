package redis

import (
	"testing"
	"time"

	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/hub/pusher"
	"github.com/y-l-g/websocket/go/hub/redis/redistest"
)

// TestRedisRestartRestoresRecords: Redis restarts empty; each node's
// heartbeat notices and re-records its connections silently, so presence
// lists and cluster-wide counts are whole again.
func TestRedisRestartRestoresRecords(t *testing.T) {
	c := newCluster(t, 2, nodeOpts{heartbeat: 100 * time.Millisecond, ttl: time.Second})
	a, b := c.nodes[0], c.nodes[1]
	const ch = "presence-r"
	sa, ca := a.open()
	a.subscribe(sa, ca, ch, `{"user_id":"ann"}`)
	sb, cb := b.open()
	b.subscribe(sb, cb, ch, `{"user_id":"bob"}`)
	// bob's join reaches a through Redis: wait for it before the restart,
	// or the count below races with its delivery.
	if _, ok := ca.Wait(pusher.InternalMemberAdded, ch, wait); !ok {
		t.Fatal("no member_added for bob on a")
	}

	c.redis.Stop()
	c.redis.Start()
	eventually(t, "records restored", func() bool {
		ids, err := a.h.PresenceUsers(ctx(t), appID, ch)
		info, err2 := b.h.Channel(ctx(t), appID, ch)
		return err == nil && err2 == nil && len(ids) == 2 && info.SubscriptionCount == 2
	})
	// Three heartbeats: time for a wrong re-announce to show. Only bob's
	// join may be there.
	time.Sleep(3 * 100 * time.Millisecond)
	if got := ca.Find(pusher.InternalMemberAdded, ch); len(got) != 1 {
		t.Fatalf("member_added on a: %+v", got)
	}
	_ = cb
}

// TestExpiredNodeComesBack: a node expired by the others while it was
// cut off re-records its connections and announces them again.
func TestExpiredNodeComesBack(t *testing.T) {
	c := newCluster(t, 2, nodeOpts{heartbeat: 100 * time.Millisecond, ttl: time.Second})
	a, b := c.nodes[0], c.nodes[1]
	const ch = "presence-p"
	sa, ca := a.open()
	a.subscribe(sa, ca, ch, `{"user_id":"ann"}`)
	sb, cb := b.open()
	b.subscribe(sb, cb, ch, `{"user_id":"bob"}`)
	if _, ok := ca.Wait(pusher.InternalMemberAdded, ch, wait); !ok {
		t.Fatal("no member_added")
	}
	// As if b had been silent for NodeTTL: a expires it.
	a.node.reapIncarnation(ctx(t), b.node.incarnation)
	if e, ok := ca.Wait(pusher.InternalMemberRemoved, ch, wait); !ok || e.DataString() != `{"user_id":"bob"}` {
		t.Fatalf("member_removed: %+v", e)
	}
	eventually(t, "bob announced again", func() bool {
		return len(ca.Find(pusher.InternalMemberAdded, ch)) == 2
	})
	ids, err := a.h.PresenceUsers(ctx(t), appID, ch)
	if err != nil || len(ids) != 2 {
		t.Fatalf("members %v %v", ids, err)
	}
	eventually(t, "webhooks", func() bool {
		return len(a.sink.named(hub.WebhookMemberRemoved)) == 1 && len(b.sink.named(hub.WebhookMemberAdded)) == 2
	})
	_ = sb
}

// TestReconcileAfterCut: node a loses Redis (network cut, data kept).
// A socket closing meanwhile cannot leave, a socket subscribing meanwhile
// cannot be recorded; when a is back, the first is removed with
// member_removed and the second recorded.
func TestReconcileAfterCut(t *testing.T) {
	c := newCluster(t, 1, nodeOpts{heartbeat: 100 * time.Millisecond, ttl: 5 * time.Second})
	b := c.nodes[0]
	proxy := redistest.NewProxy(t, c.redis.Addr())
	a := startNode(t, proxy.Addr(), nodeOpts{heartbeat: 100 * time.Millisecond, ttl: 5 * time.Second})
	const ch = "presence-cut"
	watcher, cw := b.open()
	b.subscribe(watcher, cw, ch, `{"user_id":"watcher"}`)
	ghost, cg := a.open()
	a.subscribe(ghost, cg, ch, `{"user_id":"ghost"}`)
	if _, ok := cw.Wait(pusher.InternalMemberAdded, ch, wait); !ok {
		t.Fatal("no member_added")
	}

	proxy.Cut()
	eventually(t, "a disconnected", func() bool { return !a.node.Health().Connected })
	ghost.Close() // its leave fails
	late, cl := a.open()
	a.subscribe(late, cl, "room", "") // public: succeeds locally, not recorded
	if ids, _ := b.h.PresenceUsers(ctx(t), appID, ch); len(ids) != 2 {
		t.Fatalf("ghost should still be recorded during the cut: %v", ids)
	}

	proxy.Restore()
	if e, ok := cw.Wait(pusher.InternalMemberRemoved, ch, wait); !ok || e.DataString() != `{"user_id":"ghost"}` {
		t.Fatalf("member_removed after reconnect: %+v", e)
	}
	eventually(t, "late subscription recorded", func() bool {
		info, err := b.h.Channel(ctx(t), appID, "room")
		return err == nil && info.Occupied && info.SubscriptionCount == 1
	})
}
