package redis

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/hub/hubtest"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// multiNode are the behaviours of hubs sharing Redis. TestMultiNode runs
// them on one redis-server, TestRedisCluster on a Redis Cluster; o says
// which Redis to use and may set a key prefix of the scenario's own.
var multiNode = []struct {
	name string
	run  func(t *testing.T, o nodeOpts)
}{
	{"FanOutThreeNodes", fanOutThreeNodes},
	{"PresenceAcrossNodes", presenceAcrossNodes},
	{"OccupancyOncePerCluster", occupancyOncePerCluster},
	{"CacheChannelShared", cacheChannelShared},
	{"TerminateUserAcrossNodes", terminateUserAcrossNodes},
	{"PrefixesDoNotMix", prefixesDoNotMix},
	{"SubscriptionCountAcrossNodes", subscriptionCountAcrossNodes},
	{"WatchlistAcrossNodes", watchlistAcrossNodes},
	{"PresenceLimitAcrossNodes", presenceLimitAcrossNodes},
}

// TestMultiNode runs every multiNode scenario on a redis-server of its own.
func TestMultiNode(t *testing.T) {
	for _, sc := range multiNode {
		t.Run(sc.name, func(t *testing.T) { sc.run(t, nodeOpts{}) })
	}
}

// fanOutThreeNodes: a publish on one node reaches the subscribers of
// every node exactly once; socket exclusion works across nodes.
func fanOutThreeNodes(t *testing.T, o nodeOpts) {
	c := newCluster(t, 3, o)
	var socks []*hub.Session
	var conns []*hubtest.Conn
	for _, n := range c.nodes {
		for range 2 {
			s, cn := n.open()
			n.subscribe(s, cn, "room", "")
			socks, conns = append(socks, s), append(conns, cn)
		}
	}
	for i := range 5 {
		if st := c.nodes[i%3].publish(ctx(t), "room", "news", fmt.Sprint(i), ""); st != hub.StatusOK {
			t.Fatalf("publish %d: %v", i, st)
		}
	}
	except := socks[4].SocketID() // on node 2
	if st := c.nodes[0].publish(ctx(t), "room", "other", "x", except); st != hub.StatusOK {
		t.Fatal(st)
	}
	if st := c.nodes[1].publish(ctx(t), "room", "marker", "m", ""); st != hub.StatusOK {
		t.Fatal(st)
	}
	for i, cn := range conns {
		if _, ok := cn.Wait("marker", "room", wait); !ok {
			t.Fatalf("conn %d: no marker", i)
		}
		if got := len(cn.Find("news", "room")); got != 5 {
			t.Fatalf("conn %d got %d news, want 5", i, got)
		}
		want := 1
		if i == 4 {
			want = 0
		}
		if got := len(cn.Find("other", "room")); got != want {
			t.Fatalf("conn %d got %d 'other', want %d (socket exclusion)", i, got, want)
		}
	}
}

// presenceAcrossNodes: members, first/last connection per user
// (multi-tab on different nodes) and webhooks are cluster-wide.
func presenceAcrossNodes(t *testing.T, o nodeOpts) {
	c := newCluster(t, 3, o)
	const ch = "presence-room"
	a, b, d := c.nodes[0], c.nodes[1], c.nodes[2]
	ann1, cAnn1 := a.open()
	a.subscribe(ann1, cAnn1, ch, `{"user_id":"ann","user_info":{"name":"Ann"}}`)
	bob, cBob := b.open()
	if n := presenceCount(t, b.subscribe(bob, cBob, ch, `{"user_id":"bob"}`)); n != 2 {
		t.Fatalf("bob sees %d members", n)
	}
	if e, ok := cAnn1.Wait(pusher.InternalMemberAdded, ch, wait); !ok || e.DataString() != `{"user_id":"bob","user_info":null}` {
		t.Fatalf("member_added: %+v", e)
	}
	ann2, cAnn2 := d.open() // second tab, third node
	if n := presenceCount(t, d.subscribe(ann2, cAnn2, ch, `{"user_id":"ann","user_info":{"name":"Ann"}}`)); n != 2 {
		t.Fatalf("second tab sees %d members", n)
	}
	ids, err := d.h.PresenceUsers(ctx(t), appID, ch)
	if err != nil || fmt.Sprint(ids) != "[ann bob]" {
		t.Fatalf("users %v %v", ids, err)
	}
	if info, err := a.h.Channel(ctx(t), appID, ch); err != nil || info.UserCount != 2 || info.SubscriptionCount != 3 {
		t.Fatalf("channel info %+v %v (want 2 users, 3 connections)", info, err)
	}
	ann1.Close() // ann still has a tab on node d: nothing happens
	if st := a.publish(ctx(t), ch, "marker", "1", ""); st != hub.StatusOK {
		t.Fatal(st)
	}
	cBob.Wait("marker", ch, wait)
	if got := cBob.Find(pusher.InternalMemberRemoved, ch); len(got) != 0 {
		t.Fatalf("member_removed while another tab is open: %+v", got)
	}
	ann2.Close()
	if e, ok := cBob.Wait(pusher.InternalMemberRemoved, ch, wait); !ok || e.DataString() != `{"user_id":"ann"}` {
		t.Fatalf("member_removed: %+v", e)
	}
	added, removed := 0, 0
	eventually(t, "one member_removed webhook", func() bool {
		added, removed = 0, 0
		for _, n := range c.nodes {
			added += len(n.sink.named(hub.WebhookMemberAdded))
			removed += len(n.sink.named(hub.WebhookMemberRemoved))
		}
		return removed == 1
	})
	if added != 2 {
		t.Fatalf("member_added webhooks %d, want 2 (ann, bob)", added)
	}
}

// occupancyOncePerCluster: channel_occupied and channel_vacated fire
// once, when the cluster-wide count crosses zero; the HTTP API queries
// answer for the cluster.
func occupancyOncePerCluster(t *testing.T, o nodeOpts) {
	c := newCluster(t, 3, o)
	var socks []*hub.Session
	for _, n := range c.nodes {
		s, cn := n.open()
		n.subscribe(s, cn, "room", "")
		socks = append(socks, s)
	}
	count := func(name string) int {
		k := 0
		for _, n := range c.nodes {
			k += len(n.sink.named(name))
		}
		return k
	}
	if k := count(hub.WebhookChannelOccupied); k != 1 {
		t.Fatalf("occupied %d times", k)
	}
	info, err := c.nodes[1].h.Channel(ctx(t), appID, "room")
	if err != nil || !info.Occupied || info.SubscriptionCount != 3 {
		t.Fatalf("channel info %+v %v", info, err)
	}
	list, err := c.nodes[2].h.Channels(ctx(t), appID, "")
	if err != nil || len(list) != 1 || list[0].Name != "room" || list[0].SubscriptionCount != 3 {
		t.Fatalf("channel list %+v %v", list, err)
	}
	eventually(t, "cluster stats", func() bool { // connections: at most one heartbeat old
		st, err := c.nodes[0].h.ClusterStats(ctx(t), appID)
		return err == nil && st.Connections == 3 && st.Channels == 1 && st.Subscriptions == 3
	})
	socks[0].Close()
	socks[1].Close()
	if k := count(hub.WebhookChannelVacated); k != 0 {
		t.Fatalf("vacated while node 2 is subscribed")
	}
	socks[2].Close()
	if k := count(hub.WebhookChannelVacated); k != 1 {
		t.Fatalf("vacated %d times", k)
	}
	if list, _ := c.nodes[0].h.Channels(ctx(t), appID, ""); len(list) != 0 {
		t.Fatalf("still listed: %+v", list)
	}
}

// cacheChannelShared: a node that was not running when the event was
// published still replays it, with the remaining TTL.
func cacheChannelShared(t *testing.T, o nodeOpts) {
	c := newCluster(t, 1, o)
	if st := c.nodes[0].publish(ctx(t), "cache-news", "headline", `{"v":1}`, ""); st != hub.StatusOK {
		t.Fatal(st)
	}
	late := c.addNode(t, o)
	s, cn := late.open()
	late.subscribe(s, cn, "cache-news", "")
	if e, ok := cn.Wait("headline", "cache-news", wait); !ok || e.DataString() != `{"v":1}` {
		t.Fatalf("cached event: %+v %v", e, cn.Events())
	}
	info, err := late.h.Channel(ctx(t), appID, "cache-news")
	if err != nil || info.Cache == nil || info.Cache.TTL <= 0 {
		t.Fatalf("cache info %+v %v", info, err)
	}
}

// terminateUserAcrossNodes closes the user's connections everywhere.
func terminateUserAcrossNodes(t *testing.T, o nodeOpts) {
	c := newCluster(t, 3, o)
	var conns []*hubtest.Conn
	for _, n := range c.nodes[1:] {
		s, cn := n.open()
		n.signin(s, cn, `{"id":"eve"}`)
		conns = append(conns, cn)
	}
	other, cOther := c.nodes[1].open()
	c.nodes[1].signin(other, cOther, `{"id":"sam"}`)
	if err := c.nodes[0].h.TerminateUser(ctx(t), appID, "eve"); err != nil {
		t.Fatal(err)
	}
	for i, cn := range conns {
		eventually(t, fmt.Sprint("eve closed on node ", i+1), func() bool {
			closed, code, _ := cn.Closed()
			return closed && code == pusher.CodeUnauthorized
		})
	}
	if closed, _, _ := cOther.Closed(); closed {
		t.Fatal("another user was terminated")
	}
}

// prefixesDoNotMix: two deployments sharing one Redis under different
// prefixes see nothing of each other.
func prefixesDoNotMix(t *testing.T, o nodeOpts) {
	one, two := o, o
	one.prefix, two.prefix = o.prefix+"one", o.prefix+"two"
	c := newCluster(t, 1, one)
	other := c.addNode(t, two)
	s1, c1 := c.nodes[0].open()
	c.nodes[0].subscribe(s1, c1, "presence-x", `{"user_id":"u1"}`)
	s2, c2 := other.open()
	if n := presenceCount(t, other.subscribe(s2, c2, "presence-x", `{"user_id":"u2"}`)); n != 1 {
		t.Fatalf("prefix two sees %d members", n)
	}
	c.nodes[0].publish(ctx(t), "presence-x", "one-only", "1", "")
	other.publish(ctx(t), "presence-x", "marker", "1", "")
	c2.Wait("marker", "presence-x", wait)
	c1.Wait("one-only", "presence-x", wait)
	if len(c2.Find("one-only", "presence-x")) != 0 || len(c1.Find("marker", "presence-x")) != 0 {
		t.Fatal("deployments mixed")
	}
}

// subscriptionCountAcrossNodes: pusher_internal:subscription_count
// carries the cluster's count to every node's subscribers.
func subscriptionCountAcrossNodes(t *testing.T, o nodeOpts) {
	o.subCount = true
	c := newCluster(t, 2, o)
	a, b := c.nodes[0], c.nodes[1]
	sa, ca := a.open()
	a.subscribe(sa, ca, "room", "")
	sb, cb := b.open()
	b.subscribe(sb, cb, "room", "")
	has := func(cn *hubtest.Conn, want string) func() bool {
		return func() bool {
			for _, e := range cn.Find(pusher.InternalSubscriptionCount, "room") {
				if e.DataString() == want {
					return true
				}
			}
			return false
		}
	}
	eventually(t, "count 2 on a", has(ca, `{"subscription_count":2}`))
	eventually(t, "count 2 on b", has(cb, `{"subscription_count":2}`))
	sb.Close()
	eventually(t, "count 1 on a after b left", has(ca, `{"subscription_count":1}`))
	if n := len(a.sink.named(hub.WebhookSubscriptionCount)) + len(b.sink.named(hub.WebhookSubscriptionCount)); n < 3 {
		t.Fatalf("%d subscription_count webhooks, want one per change", n)
	}
}

// watchlistAcrossNodes: a watcher signing in on one node is told
// which watched users are online on other nodes, then their changes.
func watchlistAcrossNodes(t *testing.T, o nodeOpts) {
	c := newCluster(t, 2, o)
	a, b := c.nodes[0], c.nodes[1]
	early, ce := b.open()
	b.signin(early, ce, `{"id":"early"}`)
	w, cw := a.open()
	a.signin(w, cw, `{"id":"w","watchlist":["early","late"]}`)
	late, cl := b.open()
	b.signin(late, cl, `{"id":"late"}`)
	late.Close()
	want := []string{
		`{"events":[{"name":"online","user_ids":["early"]}]}`,
		`{"events":[{"name":"online","user_ids":["late"]}]}`,
		`{"events":[{"name":"offline","user_ids":["late"]}]}`,
	}
	eventually(t, "watchlist events", func() bool { return len(cw.Find(pusher.InternalWatchlistEvents, "")) >= len(want) })
	for i, e := range cw.Find(pusher.InternalWatchlistEvents, "") {
		if i >= len(want) || e.DataString() != want[i] {
			t.Fatalf("event %d: %s", i, e.DataString())
		}
	}
}

// presenceLimitAcrossNodes: the member limit holds for the cluster,
// even with joins racing on several nodes.
func presenceLimitAcrossNodes(t *testing.T, o nodeOpts) {
	c := newCluster(t, 3, o)
	for _, n := range c.nodes {
		n.app.Limits.MaxPresenceMembers = 3
	}
	const ch = "presence-small"
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, full := 0, 0
	for i := range 9 {
		n := c.nodes[i%3]
		s, cn := n.open()
		wg.Add(1)
		go func() {
			defer wg.Done()
			auth := n.app.Key + ":" + hub.Sign(n.app.Secret, hub.ChannelAuthString(s.SocketID(), ch, fmt.Sprintf(`{"user_id":"u%d"}`, i)))
			send(t, s, map[string]any{"event": "pusher:subscribe", "data": map[string]string{
				"channel": ch, "auth": auth, "channel_data": fmt.Sprintf(`{"user_id":"u%d"}`, i)}})
			for deadline := time.Now().Add(wait); ; {
				if time.Now().After(deadline) {
					t.Error("no answer to a presence subscription")
					return
				}
				if len(cn.Find(pusher.InternalSubscriptionSucceeded, ch)) > 0 {
					mu.Lock()
					ok++
					mu.Unlock()
					return
				}
				if len(cn.Find(pusher.EventSubscriptionError, ch)) > 0 {
					mu.Lock()
					full++
					mu.Unlock()
					return
				}
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	ids, err := c.nodes[0].h.PresenceUsers(ctx(t), appID, ch)
	if ok != 3 || full != 6 || err != nil || len(ids) != 3 {
		t.Fatalf("ok %d full %d members %v %v", ok, full, ids, err)
	}
}
