package hub

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/y-l-g/websocket/go/hub/hubtest"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

func counts(t *testing.T, c *hubtest.Conn, ch string) []int {
	t.Helper()
	var out []int
	for _, e := range c.Find(pusher.InternalSubscriptionCount, ch) {
		var d struct {
			N int `json:"subscription_count"`
		}
		if err := json.Unmarshal([]byte(e.DataString()), &d); err != nil {
			t.Fatal(err)
		}
		out = append(out, d.N)
	}
	return out
}

func TestSubscriptionCount(t *testing.T) {
	f := newFixture(t, func(a *App) { a.SubscriptionCount = true }, nil)
	a, ca := f.open()
	b, cb := f.open()
	f.mustSubscribe(a, ca, "room", "")
	f.mustSubscribe(b, cb, "room", "")
	if _, ok := cb.Wait(pusher.InternalSubscriptionCount, "room", wait); !ok {
		t.Fatal("b got no count")
	}
	send(t, b, map[string]any{"event": "pusher:unsubscribe", "data": map[string]string{"channel": "room"}})
	f.publish("room", "marker", "")
	ca.Wait("marker", "room", wait)
	if got := counts(t, ca, "room"); fmt.Sprint(got) != "[1 2 1]" {
		t.Fatalf("counts %v", got)
	}
	if got := counts(t, cb, "room"); fmt.Sprint(got) != "[2]" {
		t.Fatalf("b counts %v", got)
	}
	if n := len(f.sink.named(WebhookSubscriptionCount)); n != 3 {
		t.Fatalf("webhooks %d", n)
	}
	// Never on presence.
	p, cp := f.open()
	joinPresence(f, p, cp, "presence-q", `{"user_id":"1"}`)
	f.publish("presence-q", "marker", "")
	cp.Wait("marker", "presence-q", wait)
	never(t, cp, pusher.InternalSubscriptionCount, "")
}

func TestSubscriptionCountDisabled(t *testing.T) {
	f := newFixture(t, nil, nil)
	a, ca := f.open()
	f.mustSubscribe(a, ca, "room", "")
	f.publish("room", "marker", "")
	ca.Wait("marker", "room", wait)
	never(t, ca, pusher.InternalSubscriptionCount, "")
	if len(f.sink.named(WebhookSubscriptionCount)) != 0 {
		t.Fatal("webhook sent")
	}
}

func TestSubscriptionCountThrottled(t *testing.T) {
	f := newFixture(t, func(a *App) {
		a.SubscriptionCount = true
		a.Limits.SubscriptionCountEvery = 50 * time.Millisecond
	}, nil)
	clk := f.withClock()
	first, c := f.open()
	f.mustSubscribe(first, c, "big", "")
	for range 100 {
		s, sc := f.open()
		f.mustSubscribe(s, sc, "big", "")
	}
	before := len(f.sink.named(WebhookSubscriptionCount)) // 101 (one per change up to 101)
	// Above 100: changes inside the window are throttled to one trailing event.
	for range 5 {
		s, sc := f.open()
		f.mustSubscribe(s, sc, "big", "")
	}
	if n := len(f.sink.named(WebhookSubscriptionCount)); n != before {
		t.Fatalf("throttled changes sent %d events", n-before)
	}
	clk.Add(time.Second) // the trailing timer (real 50ms) fires with the clock past the window
	deadline := time.Now().Add(wait)
	for len(f.sink.named(WebhookSubscriptionCount)) == before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	hooks := f.sink.named(WebhookSubscriptionCount)
	if len(hooks) != before+1 || *hooks[len(hooks)-1].SubscriptionCount != 106 {
		t.Fatalf("trailing event: %d hooks, last %+v", len(hooks)-before, hooks[len(hooks)-1])
	}
}
