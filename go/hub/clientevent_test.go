package hub

import (
	"strings"
	"testing"
	"time"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

func clientEvent(t *testing.T, s *Session, channel, event string, data any) {
	t.Helper()
	send(t, s, map[string]any{"event": event, "channel": channel, "data": data})
}

func TestClientEventRelay(t *testing.T) {
	f := newFixture(t, nil, nil)
	a, ca := f.open()
	b, cb := f.open()
	f.mustSubscribe(a, ca, "private-chat", "")
	f.mustSubscribe(b, cb, "private-chat", "")
	clientEvent(t, a, "private-chat", "client-typing", map[string]any{"who": "a"})
	clientEvent(t, a, "private-chat", "client-str", "plain \"text\"")
	e, ok := cb.Wait("client-typing", "private-chat", wait)
	if !ok || e.DataString() != `{"who":"a"}` || e.UserID != "" {
		t.Fatalf("relay %+v", e)
	}
	if e, ok := cb.Wait("client-str", "private-chat", wait); !ok || e.DataString() != `plain "text"` {
		t.Fatalf("string data %+v", e)
	}
	f.publish("private-chat", "marker", "")
	if _, ok := ca.Wait("marker", "private-chat", wait); !ok {
		t.Fatal("no marker")
	}
	never(t, ca, "client-typing", "") // not echoed
	hooks := f.sink.named(WebhookClientEvent)
	if len(hooks) != 2 || hooks[0].SocketID != a.SocketID() || hooks[0].Event != "client-typing" || hooks[0].Data != `{"who":"a"}` {
		t.Fatalf("webhooks %+v", hooks)
	}
}

func TestClientEventPresenceUserID(t *testing.T) {
	f := newFixture(t, nil, nil)
	a, ca := f.open()
	b, cb := f.open()
	joinPresence(f, a, ca, "presence-p", `{"user_id":"ann"}`)
	joinPresence(f, b, cb, "presence-p", `{"user_id":"bob"}`)
	clientEvent(t, a, "presence-p", "client-hi", map[string]int{"n": 1})
	e, ok := cb.Wait("client-hi", "presence-p", wait)
	if !ok || e.UserID != "ann" {
		t.Fatalf("%+v", e)
	}
	if h := f.sink.named(WebhookClientEvent); len(h) != 1 || h[0].UserID != "ann" {
		t.Fatalf("webhook %+v", h)
	}
}

func TestClientEventRejections(t *testing.T) {
	cases := []struct {
		name    string
		disable bool
		channel string
		event   string
		data    any
		sub     bool
		msgHas  string
	}{
		{"disabled app", true, "private-c", "client-x", "d", true, "not enabled"},
		{"public channel", false, "pub", "client-x", "d", true, "private and presence"},
		{"encrypted channel", false, "private-encrypted-c", "client-x", "d", true, "private and presence"},
		{"not subscribed", false, "private-c", "client-x", "d", false, "without a subscription"},
		{"event too long", false, "private-c", "client-" + strings.Repeat("x", 200), "d", true, "name longer"},
		{"data too large", false, "private-c", "client-x", strings.Repeat("x", 10241), true, "larger than"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newCountingMetrics()
			f := newFixture(t, func(a *App) { a.ClientEvents = !tc.disable }, func(c *Config) { c.Metrics = m })
			s, c := f.open()
			o, co := f.open()
			if tc.sub {
				f.mustSubscribe(s, c, tc.channel, "")
			}
			f.mustSubscribe(o, co, tc.channel, "")
			clientEvent(t, s, tc.channel, tc.event, tc.data)
			code, msg := lastError(t, c)
			if code != int(pusher.CodeClientEventRejected) || !strings.Contains(msg, tc.msgHas) {
				t.Fatalf("error %d %q", code, msg)
			}
			if closed, _, _ := c.Closed(); closed {
				t.Fatal("closed")
			}
			if m.drops(DropClientEvent) != 1 {
				t.Fatalf("drops %v", m.dropped)
			}
			f.publish(tc.channel, "marker", "")
			if _, ok := co.Wait("marker", tc.channel, wait); !ok {
				t.Fatal("no marker")
			}
			never(t, co, tc.event, tc.channel)
		})
	}
}

func TestClientEventRateLimit(t *testing.T) {
	f := newFixture(t, func(a *App) { a.Limits.ClientEventsPerSecond = 3 }, nil)
	clk := f.withClock()
	s, c := f.open()
	o, co := f.open()
	f.mustSubscribe(s, c, "private-r", "")
	f.mustSubscribe(o, co, "private-r", "")
	for range 4 {
		clientEvent(t, s, "private-r", "client-n", "x")
	}
	if code, msg := lastError(t, c); code != 4301 || !strings.Contains(msg, "rate limit") {
		t.Fatalf("%d %q", code, msg)
	}
	clk.Add(time.Second)
	clientEvent(t, s, "private-r", "client-after", "x")
	if _, ok := co.Wait("client-after", "private-r", wait); !ok {
		t.Fatal("event after the window refused")
	}
	if n := len(co.Find("client-n", "private-r")); n != 3 {
		t.Fatalf("delivered %d, want 3", n)
	}
	if n := len(c.Find(pusher.EventError, "")); n != 1 {
		t.Fatalf("%d errors", n)
	}
}
