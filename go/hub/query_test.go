package hub

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/y-l-g/websocket/go/hub/hubtest"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

func TestQueries(t *testing.T) {
	f := newFixture(t, nil, nil)
	a, ca := f.open()
	b, cb := f.open()
	f.mustSubscribe(a, ca, "news", "")
	f.mustSubscribe(b, cb, "news", "")
	f.mustSubscribe(a, ca, "private-x", "")
	joinPresence(f, a, ca, "presence-r", `{"user_id":"u1"}`)
	joinPresence(f, b, cb, "presence-r", `{"user_id":"u2"}`)

	info, err := f.h.Channel(t.Context(), testAppID, "news")
	if err != nil || !info.Occupied || info.SubscriptionCount != 2 {
		t.Fatalf("news %+v %v", info, err)
	}
	info, _ = f.h.Channel(t.Context(), testAppID, "presence-r")
	if info.UserCount != 2 {
		t.Fatalf("presence %+v", info)
	}
	if info, _ := f.h.Channel(t.Context(), testAppID, "empty"); info.Occupied || info.SubscriptionCount != 0 {
		t.Fatalf("empty %+v", info)
	}
	all, _ := f.h.Channels(t.Context(), testAppID, "")
	if fmt.Sprint(names(all)) != "[news presence-r private-x]" {
		t.Fatalf("channels %v", names(all))
	}
	pres, _ := f.h.Channels(t.Context(), testAppID, "presence-")
	if len(pres) != 1 || pres[0].UserCount != 2 {
		t.Fatalf("presence list %+v", pres)
	}
	users, err := f.h.PresenceUsers(t.Context(), testAppID, "presence-r")
	if err != nil || fmt.Sprint(users) != "[u1 u2]" {
		t.Fatalf("users %v %v", users, err)
	}
	if _, err := f.h.PresenceUsers(t.Context(), testAppID, "news"); !errors.Is(err, ErrNotPresence) {
		t.Fatal(err)
	}
	for _, fn := range []func() error{
		func() error { _, err := f.h.PresenceUsers(t.Context(), "nope", "presence-r"); return err },
		func() error { _, err := f.h.Channel(t.Context(), "nope", "x"); return err },
		func() error { _, err := f.h.Channels(t.Context(), "nope", ""); return err },
	} {
		if err := fn(); !errors.Is(err, ErrUnknownApp) {
			t.Fatal(err)
		}
	}
	if st := f.h.Stats(testAppID); st != (AppStats{Connections: 2, Channels: 3, Subscriptions: 5}) {
		t.Fatalf("stats %+v", st)
	}
	if st := f.h.Stats("nope"); st != (AppStats{}) {
		t.Fatal(st)
	}
	a.Close()
	b.Close()
	if st := f.h.Stats(testAppID); st != (AppStats{}) {
		t.Fatalf("stats after close %+v", st)
	}
	if all, _ := f.h.Channels(t.Context(), testAppID, ""); len(all) != 0 {
		t.Fatal(all)
	}
}

func names(cs []ChannelInfo) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func TestSlowConsumerDropped(t *testing.T) {
	m := newCountingMetrics()
	f := newFixture(t, nil, func(c *Config) { c.Metrics = m })
	c := hubtest.NewConn()
	c.FullErr = ErrSlowConsumer
	s, err := f.h.Open(f.app, c, protocol7)
	if err != nil {
		t.Fatal(err)
	}
	f.mustSubscribe(s, c, "s", "")
	c.Limit = len(c.Events()) // queue now "full"
	ok, cok := f.open()
	f.mustSubscribe(ok, cok, "s", "")
	f.publish("s", "e", "d")
	if _, got := cok.Wait("e", "s", wait); !got {
		t.Fatal("healthy subscriber starved")
	}
	if m.drops(DropSlowConsumer) != 1 {
		t.Fatalf("drops %v", m.dropped)
	}
	_ = pusher.CodeSlowConsumer
}

// Frames offered to a connection that is already closing (ErrClosed) are
// not slow-consumer drops.
func TestClosedConnWritesAreNotSlowConsumerDrops(t *testing.T) {
	m := newCountingMetrics()
	f := newFixture(t, nil, func(c *Config) { c.Metrics = m })
	c := hubtest.NewConn()
	c.FullErr = ErrClosed
	s, err := f.h.Open(f.app, c, protocol7)
	if err != nil {
		t.Fatal(err)
	}
	f.mustSubscribe(s, c, "s", "")
	c.Limit = len(c.Events()) // the connection is closing: every write fails with ErrClosed
	ok, cok := f.open()
	f.mustSubscribe(ok, cok, "s", "")
	for i := range 3 {
		f.publish("s", "e", fmt.Sprint(i))
	}
	deadline := time.Now().Add(wait)
	for len(cok.Find("e", "s")) < 3 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if n := len(cok.Find("e", "s")); n != 3 {
		t.Fatalf("healthy subscriber got %d of 3 events", n)
	}
	if n := m.drops(DropSlowConsumer); n != 0 {
		t.Fatalf("slow_consumer drops %d for a closing connection", n)
	}
}

// statsAtReplyConn records the hub's Stats at the moment the
// subscription_succeeded frame is written, the earliest a client can see it.
type statsAtReplyConn struct {
	*hubtest.Conn
	h    *Hub
	seen []AppStats
}

func (c *statsAtReplyConn) WriteFrame(f []byte) error {
	if bytes.Contains(f, []byte(pusher.InternalSubscriptionSucceeded)) {
		c.seen = append(c.seen, c.h.Stats(testAppID))
	}
	return c.Conn.WriteFrame(f)
}

// A client that has received subscription_succeeded and then asks for the
// stats must find its subscription (and the channel) counted.
func TestStatsCountSubscriptionBeforeReply(t *testing.T) {
	f := newFixture(t, nil, nil)
	c := &statsAtReplyConn{Conn: hubtest.NewConn(), h: f.h}
	s, err := f.h.Open(f.app, c, protocol7)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	subscribe(t, s, "a", "", "")
	subscribe(t, s, "b", "", "")
	want := []AppStats{{Connections: 1, Channels: 1, Subscriptions: 1}, {Connections: 1, Channels: 2, Subscriptions: 2}}
	if fmt.Sprint(c.seen) != fmt.Sprint(want) {
		t.Fatalf("stats seen when each reply was written: %+v, want %+v", c.seen, want)
	}
}
