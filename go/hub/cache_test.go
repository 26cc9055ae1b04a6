package hub

import (
	"testing"
	"time"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

func TestCacheChannels(t *testing.T) {
	for _, ch := range []string{"cache-a", "private-cache-a", "private-encrypted-cache-a", "presence-cache-a"} {
		t.Run(ch, func(t *testing.T) {
			f := newFixture(t, func(a *App) { a.Limits.CacheTTL = time.Minute }, nil)
			clk := f.withClock()
			cd := ""
			if pusher.KindOf(ch) == pusher.KindPresence {
				cd = `{"user_id":"u"}`
			}
			// Miss: empty channel.
			s, c := f.open()
			f.mustSubscribe(s, c, ch, cd)
			evs := c.Events()
			last := evs[len(evs)-1]
			if last.Event != pusher.EventCacheMiss || last.Channel != ch || last.Data != nil {
				t.Fatalf("want cache_miss last, got %+v", evs)
			}
			if n := len(f.sink.named(WebhookCacheMiss)); n != 1 {
				t.Fatalf("cache_miss webhooks %d", n)
			}
			o, co := f.open() // a second miss on the same channel: no second webhook
			f.mustSubscribe(o, co, ch, cd)
			if n := len(f.sink.named(WebhookCacheMiss)); n != 1 || len(co.Find(pusher.EventCacheMiss, ch)) != 1 {
				t.Fatalf("cache_miss webhooks %d after a second subscriber", n)
			}
			o.Close()
			s.Close()
			// Publish with nobody subscribed: still cached.
			if st := f.publish(ch, "price", `{"v":1}`); st != StatusOK {
				t.Fatal(st)
			}
			f.publish(ch, "price", `{"v":2}`)
			s2, c2 := f.open()
			f.mustSubscribe(s2, c2, ch, cd)
			evs = c2.Events()
			last = evs[len(evs)-1]
			if evs[len(evs)-2].Event != pusher.InternalSubscriptionSucceeded || last.Event != "price" || last.DataString() != `{"v":2}` {
				t.Fatalf("want replay right after success, got %+v", evs)
			}
			info, err := f.h.Channel(t.Context(), testAppID, ch)
			if err != nil || info.Cache == nil || info.Cache.Data != `{"v":2}` || info.Cache.TTL != time.Minute {
				t.Fatalf("info %+v %v", info, err)
			}
			// Expiry.
			clk.Add(time.Minute)
			s3, c3 := f.open()
			f.mustSubscribe(s3, c3, ch, cd)
			if evs := c3.Events(); evs[len(evs)-1].Event != pusher.EventCacheMiss {
				t.Fatalf("expired entry replayed: %+v", evs)
			}
			if info, _ := f.h.Channel(t.Context(), testAppID, ch); info.Cache != nil {
				t.Fatal("expired cache in info")
			}
		})
	}
}

func TestCacheIgnoresProtocolEventsAndSweeps(t *testing.T) {
	f := newFixture(t, nil, nil)
	clk := f.withClock()
	f.h.publishInternal(testAppID, "cache-x", pusher.InternalMemberAdded, "{}", "")
	if info, _ := f.h.Channel(t.Context(), testAppID, "cache-x"); info.Cache != nil {
		t.Fatal("protocol event cached")
	}
	f.publish("cache-x", "e", "d")
	clk.Add(pusher.DefaultLimits.CacheTTL)
	for _, sh := range f.h.shards {
		sh.sweep(clk.Now())
	}
	for _, sh := range f.h.shards {
		if len(sh.cache) != 0 {
			t.Fatal("sweep left an expired entry")
		}
	}
}

func TestNoDuplicateReplay(t *testing.T) {
	// An event queued before the subscription and replayed from the cache
	// must not be delivered twice.
	f := newFixture(t, nil, func(c *Config) { c.NumShards = 1 })
	s, c := f.open()
	f.mustSubscribe(s, c, "cache-d", "")
	for range 50 {
		f.publish("cache-d", "e", "x")
	}
	s2, c2 := f.open()
	f.mustSubscribe(s2, c2, "cache-d", "")
	f.publish("cache-d", "marker", "")
	if _, ok := c2.Wait("marker", "cache-d", wait); !ok {
		t.Fatal("no marker")
	}
	if n := len(c2.Find("e", "cache-d")); n != 1 {
		t.Fatalf("got %d copies of the cached event", n)
	}
}
