package hub

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/y-l-g/websocket/go/hub/hubtest"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// clusterBroker joins several hubs like a Redis broker would: every
// envelope goes to every node's Run loop.
type clusterBroker struct {
	mu    sync.Mutex
	nodes []chan *Envelope
}

type clusterNode struct {
	c  *clusterBroker
	in chan *Envelope
}

func (c *clusterBroker) node() *clusterNode {
	n := &clusterNode{c: c, in: make(chan *Envelope, 64)}
	c.mu.Lock()
	c.nodes = append(c.nodes, n.in)
	c.mu.Unlock()
	return n
}

func (n *clusterNode) Publish(ctx context.Context, e *Envelope) error {
	n.c.mu.Lock()
	nodes := append([]chan *Envelope(nil), n.c.nodes...)
	n.c.mu.Unlock()
	for _, ch := range nodes {
		select {
		case ch <- e:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func (n *clusterNode) Run(ctx context.Context, deliver func(*Envelope)) error {
	for {
		select {
		case e := <-n.in:
			deliver(e)
		case <-ctx.Done():
			return nil
		}
	}
}

func (n *clusterNode) Close() error { return nil }

// TestTwoNodes runs two hubs over one broker and one presence store.
func TestTwoNodes(t *testing.T) {
	cb := &clusterBroker{}
	store := NewMemoryPresence()
	a := newFixture(t, nil, func(c *Config) { c.Broker = cb.node(); c.Presence = store; c.NodeID = "a" })
	b := newFixture(t, nil, func(c *Config) { c.Broker = cb.node(); c.Presence = store; c.NodeID = "b" })
	const ch = "presence-global"

	sa, ca := a.open()
	sb, cbc := b.open()
	joinPresence(a, sa, ca, ch, `{"user_id":"ann"}`)
	p := joinPresence(b, sb, cbc, ch, `{"user_id":"bob"}`)
	if p.Presence.Count != 2 {
		t.Fatalf("node b sees %+v", p)
	}
	if e, ok := ca.Wait(pusher.InternalMemberAdded, ch, wait); !ok || e.DataString() != `{"user_id":"bob","user_info":null}` {
		t.Fatalf("member_added across nodes: %+v", e)
	}
	// Publish on a reaches b; client event from b reaches a with user_id.
	if st := a.publish(ch, "news", "x"); st != StatusOK {
		t.Fatal(st)
	}
	if _, ok := cbc.Wait("news", ch, wait); !ok {
		t.Fatal("publish did not cross nodes")
	}
	send(t, sb, map[string]any{"event": "client-hi", "channel": ch, "data": map[string]string{}})
	if e, ok := ca.Wait("client-hi", ch, wait); !ok || e.UserID != "bob" {
		t.Fatalf("client event across nodes: %+v", e)
	}
	// Leaving on b sends member_removed to a.
	sb.Close()
	if e, ok := ca.Wait(pusher.InternalMemberRemoved, ch, wait); !ok || e.DataString() != `{"user_id":"bob"}` {
		t.Fatalf("member_removed across nodes: %+v", e)
	}
	// Terminate from b closes the user's connection on a.
	mustSignin(t, a, sa, `{"id":"ann"}`)
	if err := b.h.TerminateUser(t.Context(), testAppID, "ann"); err != nil {
		t.Fatal(err)
	}
	waitClosed(t, ca, pusher.CodeUnauthorized)
}

// waitClosed polls (generously) until c is closed and checks the code.
func waitClosed(t *testing.T, c *hubtest.Conn, code pusher.Code) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		if closed, got, _ := c.Closed(); closed {
			if got != code {
				t.Fatalf("close code %d want %d", got, code)
			}
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("not closed")
}

// plainStore hides MemoryPresence's OnlineChecker (the fallback path).
type plainStore struct{ PresenceStore }

func TestWatchlistAcrossNodes(t *testing.T) {
	for _, name := range []string{"online checker", "members fallback"} {
		t.Run(name, func(t *testing.T) {
			cb := &clusterBroker{}
			var store PresenceStore = NewMemoryPresence()
			if name == "members fallback" {
				store = plainStore{store}
			}
			a := newFixture(t, nil, func(c *Config) { c.Broker = cb.node(); c.Presence = store })
			b := newFixture(t, nil, func(c *Config) { c.Broker = cb.node(); c.Presence = store })
			early, _ := b.open()
			mustSignin(t, b, early, `{"id":"early"}`)
			w, cw := a.open()
			mustSignin(t, a, w, `{"id":"w","watchlist":["early","late"]}`)
			late1, _ := b.open()
			mustSignin(t, b, late1, `{"id":"late"}`)
			late2, _ := a.open() // second connection, other node: no event
			mustSignin(t, a, late2, `{"id":"late"}`)
			late1.Close()
			late2.Close()
			deadline := time.Now().Add(wait)
			want := "[online:early online:late offline:late]"
			for fmt.Sprint(watchlist(t, cw)) != want && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			if got := fmt.Sprint(watchlist(t, cw)); got != want {
				t.Fatalf("got %s want %s", got, want)
			}
		})
	}
}

func TestOccupancyAcrossNodes(t *testing.T) {
	cb := &clusterBroker{}
	store := NewMemoryPresence()
	a := newFixture(t, nil, func(c *Config) { c.Broker = cb.node(); c.Presence = store })
	b := newFixture(t, nil, func(c *Config) { c.Broker = cb.node(); c.Presence = store })
	sa, ca := a.open()
	sb, cbc := b.open()
	a.mustSubscribe(sa, ca, "room", "")
	b.mustSubscribe(sb, cbc, "room", "")
	if n := len(a.sink.named(WebhookChannelOccupied)) + len(b.sink.named(WebhookChannelOccupied)); n != 1 {
		t.Fatalf("occupied %d times", n)
	}
	info, err := b.h.Channel(t.Context(), testAppID, "room")
	if err != nil || info.SubscriptionCount != 2 || !info.Occupied {
		t.Fatalf("cluster info %+v %v", info, err)
	}
	sa.Close()
	if n := len(a.sink.named(WebhookChannelVacated)); n != 0 {
		t.Fatal("vacated while b still subscribed")
	}
	if info, _ := a.h.Channel(t.Context(), testAppID, "room"); !info.Occupied || info.SubscriptionCount != 1 {
		t.Fatalf("a: %+v (occupied on b)", info)
	}
	if list, err := a.h.Channels(t.Context(), testAppID, ""); err != nil || len(list) != 1 || list[0].Name != "room" || list[0].SubscriptionCount != 1 {
		t.Fatalf("a lists %+v %v (cluster-wide)", list, err)
	}
	sb.Close()
	if n := len(b.sink.named(WebhookChannelVacated)); n != 1 {
		t.Fatalf("vacated %d", n)
	}
	if info, _ := a.h.Channel(t.Context(), testAppID, "room"); info.Occupied {
		t.Fatalf("still occupied %+v", info)
	}
}

func TestClusterStatsSingleNodeAndChannelCounter(t *testing.T) {
	single := newFixture(t, nil, nil)
	s, c := single.open()
	single.mustSubscribe(s, c, "room", "")
	if st, err := single.h.ClusterStats(t.Context(), testAppID); err != nil || st != single.h.Stats(testAppID) {
		t.Fatalf("single node %+v %v", st, err)
	}
	cb := &clusterBroker{}
	store := NewMemoryPresence() // a ChannelCounter, not a ConnectionCounter
	a := newFixture(t, nil, func(c *Config) { c.Broker = cb.node(); c.Presence = store })
	b := newFixture(t, nil, func(c *Config) { c.Broker = cb.node(); c.Presence = store })
	sa, ca := a.open()
	a.mustSubscribe(sa, ca, "x", "")
	sb, cbc := b.open()
	b.mustSubscribe(sb, cbc, "x", "")
	b.mustSubscribe(sb, cbc, "y", "")
	st, err := a.h.ClusterStats(t.Context(), testAppID)
	if err != nil || st.Connections != 1 || st.Channels != 2 || st.Subscriptions != 3 {
		t.Fatalf("cluster stats %+v %v (connections are this node's without a ConnectionCounter)", st, err)
	}
}

func TestStillCurrent(t *testing.T) {
	cb := &clusterBroker{}
	store := NewMemoryPresence()
	a := newFixture(t, nil, func(c *Config) { c.Broker = cb.node(); c.Presence = store })
	b := newFixture(t, nil, func(c *Config) { c.Broker = cb.node(); c.Presence = store })
	sa, ca := a.open()
	a.mustSubscribe(sa, ca, "presence-x", `{"user_id":"u"}`)
	sa.Close() // vacated and member_removed on a ...
	vac := WebhookEvent{Name: WebhookChannelVacated, Channel: "presence-x"}
	rem := WebhookEvent{Name: WebhookMemberRemoved, Channel: "presence-x", UserID: "u"}
	for _, e := range []WebhookEvent{vac, rem} {
		if ok, err := a.h.StillCurrent(t.Context(), testAppID, e); !ok || err != nil {
			t.Fatalf("%s: %v %v", e.Name, ok, err)
		}
	}
	sb, cbc := b.open() // ... undone on b
	b.mustSubscribe(sb, cbc, "presence-x", `{"user_id":"u"}`)
	for _, e := range []WebhookEvent{vac, rem} {
		if ok, err := a.h.StillCurrent(t.Context(), testAppID, e); ok || err != nil {
			t.Fatalf("%s still current after the undo: %v %v", e.Name, ok, err)
		}
	}
	if ok, _ := a.h.StillCurrent(t.Context(), testAppID, WebhookEvent{Name: WebhookClientEvent}); !ok {
		t.Fatal("client events are always current")
	}
}

// joinOrderPresence is a MemoryPresence that records, when an occupancy
// pseudo-channel is joined, whether the joining connection had already been
// told subscription_succeeded.
type joinOrderPresence struct {
	*MemoryPresence
	conn      *hubtest.Conn
	toldFirst bool
}

func (p *joinOrderPresence) Join(ctx context.Context, appID, channel, socketID string, m Member) (bool, error) {
	if strings.HasPrefix(channel, occupancyPrefix) && p.conn != nil {
		p.toldFirst = len(p.conn.Find(pusher.InternalSubscriptionSucceeded, strings.TrimPrefix(channel, occupancyPrefix))) > 0
	}
	return p.MemoryPresence.Join(ctx, appID, channel, socketID, m)
}

// A client that has seen subscription_succeeded is already counted by the
// cluster: the occupancy record is written before the reply.
func TestClusterSubscriptionRecordedBeforeSucceeded(t *testing.T) {
	cb := &clusterBroker{}
	store := &joinOrderPresence{MemoryPresence: NewMemoryPresence()}
	a := newFixture(t, nil, func(c *Config) { c.Broker = cb.node(); c.Presence = store })
	s, c := a.open()
	store.conn = c
	a.mustSubscribe(s, c, "room", "")
	if store.toldFirst {
		t.Fatal("subscription_succeeded was written before the cluster recorded the subscription")
	}
	if n, err := store.Connections(t.Context(), testAppID, occupancyPrefix+"room"); err != nil || n != 1 {
		t.Fatalf("cluster count %d %v", n, err)
	}
}

// Several expiries of one channel's subscriptions (a dead node's) within
// expiryCountDelay produce one subscription_count with the new count.
func TestExpiryCountShared(t *testing.T) {
	cb := &clusterBroker{}
	store := NewMemoryPresence()
	a := newFixture(t, func(app *App) { app.SubscriptionCount = true }, func(c *Config) { c.Broker = cb.node(); c.Presence = store })
	s, c := a.open()
	a.mustSubscribe(s, c, "room", "")
	if _, ok := c.Wait(pusher.InternalSubscriptionCount, "room", wait); !ok {
		t.Fatal("no subscription_count after subscribing")
	}
	before := len(c.Find(pusher.InternalSubscriptionCount, "room"))
	for i := range 3 { // a dead node's three subscriptions, expired by the store
		id := fmt.Sprintf("9.%d", i)
		if _, err := store.Join(t.Context(), testAppID, occupancyPrefix+"room", id, Member{UserID: occupancyUser}); err != nil {
			t.Fatal(err)
		}
		if _, _, _, err := store.Leave(t.Context(), testAppID, occupancyPrefix+"room", id); err != nil {
			t.Fatal(err)
		}
		a.h.expired(Expired{AppID: testAppID, Channel: occupancyPrefix + "room", SocketID: id, Member: Member{UserID: occupancyUser}})
	}
	deadline := time.Now().Add(wait)
	for len(c.Find(pusher.InternalSubscriptionCount, "room")) == before && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(3 * expiryCountDelay) // a second event would arrive meanwhile
	es := c.Find(pusher.InternalSubscriptionCount, "room")
	if n := len(es) - before; n != 1 {
		t.Fatalf("%d subscription_count events for 3 expiries, want 1", n)
	}
	if got := es[len(es)-1].DataString(); got != `{"subscription_count":1}` {
		t.Fatalf("count %s", got)
	}
}
