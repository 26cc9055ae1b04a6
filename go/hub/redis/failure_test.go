package redis

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// TestDeadNodeMembersExpire: a node that stops without leaving (its hub
// never closes the sessions) has its members, subscriptions and signed-in
// users removed by a surviving node after NodeTTL, with member_removed,
// channel_vacated and watchlist offline sent once.
func TestDeadNodeMembersExpire(t *testing.T) {
	o := nodeOpts{heartbeat: 100 * time.Millisecond, ttl: 600 * time.Millisecond}
	c := newCluster(t, 2, o)
	live, doomed := c.nodes[0], c.nodes[1]
	const ch = "presence-room"
	watcher, cw := live.open()
	live.signin(watcher, cw, `{"id":"watcher","watchlist":["ghost"]}`)
	live.subscribe(watcher, cw, ch, `{"user_id":"watcher"}`)
	ghost, cg := doomed.open()
	doomed.signin(ghost, cg, `{"id":"ghost"}`)
	doomed.subscribe(ghost, cg, ch, `{"user_id":"ghost"}`)
	doomed.subscribe(ghost, cg, "lonely", "")
	if _, ok := cw.Wait(pusher.InternalMemberAdded, ch, wait); !ok {
		t.Fatal("no member_added")
	}

	_ = doomed.node.Close() // the node vanishes: no leave, no heartbeat

	if e, ok := cw.Wait(pusher.InternalMemberRemoved, ch, wait); !ok || e.DataString() != `{"user_id":"ghost"}` {
		t.Fatalf("member_removed after expiry: %+v", e)
	}
	eventually(t, "watchlist offline", func() bool {
		for _, e := range cw.Find(pusher.InternalWatchlistEvents, "") {
			if e.DataString() == `{"events":[{"name":"offline","user_ids":["ghost"]}]}` {
				return true
			}
		}
		return false
	})
	eventually(t, "webhooks", func() bool {
		return len(live.sink.named(hub.WebhookMemberRemoved)) == 1 && len(live.sink.named(hub.WebhookChannelVacated)) == 1
	})
	if v := live.sink.named(hub.WebhookChannelVacated)[0]; v.Channel != "lonely" {
		t.Fatalf("vacated %+v", v)
	}
	ids, err := live.h.PresenceUsers(ctx(t), appID, ch)
	if err != nil || len(ids) != 1 || ids[0] != "watcher" {
		t.Fatalf("members after expiry %v %v", ids, err)
	}
	// presence channel, #subs: of both channels, #online
	eventually(t, "4 expired connections counted", func() bool { return live.node.Health().Expired == 4 })
}

// TestRedisOutage: while Redis is down local clients stay connected,
// publishes fail with status 6 within the caller's deadline, and after
// Redis is back the node resubscribes and publishing resumes.
func TestRedisOutage(t *testing.T) {
	c := newCluster(t, 2, nodeOpts{heartbeat: 200 * time.Millisecond, ttl: 2 * time.Second})
	a, b := c.nodes[0], c.nodes[1]
	sa, ca := a.open()
	a.subscribe(sa, ca, "room", "")
	sb, cb := b.open()
	b.subscribe(sb, cb, "room", "")

	c.redis.Stop()
	eventually(t, "disconnect noticed", func() bool { return !a.node.Health().Connected && !b.node.Health().Connected })
	pctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
	st := a.publish(pctx, "room", "lost", "x", "")
	cancel()
	if st != hub.StatusBrokerFailed {
		t.Fatalf("publish during outage: %v", st)
	}
	send(t, sa, map[string]any{"event": "pusher:ping", "data": map[string]any{}})
	if _, ok := ca.Wait(pusher.EventPong, "", wait); !ok {
		t.Fatal("local client not served during the outage")
	}
	if closed, _, _ := ca.Closed(); closed {
		t.Fatal("client disconnected by the outage")
	}

	c.redis.Start()
	// At-most-once: a node that has not resubscribed yet misses events,
	// so wait for both subscriptions before checking delivery.
	eventually(t, "both nodes resubscribed", func() bool { return a.node.Health().Connected && b.node.Health().Connected })
	eventually(t, "publishing resumes", func() bool {
		pctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		return a.publish(pctx, "room", "back", "y", "") == hub.StatusOK
	})
	if _, ok := cb.Wait("back", "room", wait); !ok {
		t.Fatal("node b did not get the event after the outage")
	}
	if _, ok := ca.Wait("back", "room", wait); !ok {
		t.Fatal("node a did not get its own event after the outage")
	}
	if a.node.Health().Reconnects == 0 {
		t.Fatal("no reconnect counted")
	}
}

// TestQueueFull: with Redis paused, the bounded outgoing queue fills and
// Publish reports status 8 at once; callers waiting in the queue get 6 at
// their deadline.
func TestQueueFull(t *testing.T) {
	c := newCluster(t, 1, nodeOpts{queue: 2})
	n := c.nodes[0]
	if err := n.node.client.Do(ctx(t), "CLIENT", "PAUSE", "1500", "ALL").Err(); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	got := map[hub.Status]int{}
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
			defer cancel()
			st := n.publish(pctx, "room", "e", "x", "")
			mu.Lock()
			got[st]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if got[hub.StatusBrokerQueueFull] == 0 || got[hub.StatusBrokerFailed] == 0 || got[hub.StatusOK] != 0 {
		t.Fatalf("statuses %v: want some 8 (queue full) and some 6 (deadline)", got)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, o := range []ClientOptions{{}, {Addrs: []string{"nohost"}}, {Addrs: []string{"a:1"}, DB: -1},
		{Addrs: []string{"a:1"}, Cluster: true, SentinelMaster: "m"}, {URL: "http://x"},
		{Addrs: []string{"a:1", "b:2"}}, {Addrs: []string{"a:1"}, Cluster: true, DB: 1}} {
		if _, err := NewClient(o); !errors.Is(err, ErrConfig) {
			t.Errorf("%+v: %v", o, err)
		}
	}
	cl, err := NewClient(ClientOptions{URL: "rediss://:pw@127.0.0.1:1/3"})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if _, err := New(Config{}); !errors.Is(err, ErrConfig) {
		t.Error(err)
	}
	if _, err := New(Config{Client: cl, Heartbeat: time.Second, NodeTTL: time.Second}); !errors.Is(err, ErrConfig) {
		t.Error(err)
	}
	if _, err := New(Config{Client: cl, Prefix: "}x"}); !errors.Is(err, ErrConfig) {
		t.Error("a prefix with } breaks the hash tag:", err)
	}
}

func TestCodecRoundTrip(t *testing.T) {
	in := &hub.Envelope{Node: "n", CacheTTL: 1500 * time.Millisecond, Message: hub.Message{
		AppID: "a", Channels: []string{"x", "y"}, Event: "e", Data: `{"q":"\u00e9"}`, ExceptSocketID: "1.2", UserID: "u"}}
	b, err := encodeEnvelope(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := decodeEnvelope(b)
	if err != nil || out.Node != in.Node || out.CacheTTL != in.CacheTTL || out.Message.Data != in.Message.Data ||
		len(out.Message.Channels) != 2 || out.Message.ExceptSocketID != "1.2" || out.Message.UserID != "u" {
		t.Fatalf("%+v %v", out, err)
	}
	for _, bad := range []string{"", "{", `{"a":"x"}`} {
		if _, err := decodeEnvelope([]byte(bad)); !errors.Is(err, ErrDecode) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// TestDeadNodeSubscriptionCount: when a dead node's subscriptions to a
// channel that stays occupied expire, the survivors' subscribers get one
// pusher_internal:subscription_count with the cluster's new count.
func TestDeadNodeSubscriptionCount(t *testing.T) {
	o := nodeOpts{heartbeat: 100 * time.Millisecond, ttl: 600 * time.Millisecond, subCount: true}
	c := newCluster(t, 2, o)
	live, doomed := c.nodes[0], c.nodes[1]
	s, cs := live.open()
	live.subscribe(s, cs, "room", "")
	for range 3 {
		d, cd := doomed.open()
		doomed.subscribe(d, cd, "room", "")
	}
	countIs := func(n int) func() bool {
		want := fmt.Sprintf(`{"subscription_count":%d}`, n)
		return func() bool {
			es := cs.Find(pusher.InternalSubscriptionCount, "room")
			return len(es) > 0 && es[len(es)-1].DataString() == want
		}
	}
	eventually(t, "count 4 before the failure", countIs(4))
	before := len(cs.Find(pusher.InternalSubscriptionCount, "room"))

	_ = doomed.node.Close() // the node vanishes: no leave, no heartbeat

	eventually(t, "count 1 after the expiry", countIs(1))
	time.Sleep(3 * expiryCountDeadline)
	// Expiries within 100 ms share one event (TestExpiryCountShared); a
	// loaded machine may spread the three over more than that.
	if n := len(cs.Find(pusher.InternalSubscriptionCount, "room")) - before; n < 1 || n > 3 {
		t.Fatalf("%d subscription_count events after the expiry of 3 subscriptions", n)
	}
	if !countIs(1)() {
		t.Fatal("the last count is not 1")
	}
	if n, _ := live.h.Channel(ctx(t), appID, "room"); n.SubscriptionCount != 1 {
		t.Fatalf("API count %+v", n)
	}
}

// expiryCountDeadline is longer than the hub's gathering delay (100 ms).
const expiryCountDeadline = 200 * time.Millisecond
