package pogows

import (
	"fmt"
	"testing"
)

func TestIntegrationWebhooks(t *testing.T) {
	rc, srv := newReceiver(t, "whsecret")
	ts := startCaddy(t, fmt.Sprintf(`pogo_websocket {
			app_id app1
			app_key key1
			app_secret secret1
			webhook_url %s
			webhook_secret whsecret
			webhook_grace 300ms
			webhook_batch_window 50ms
		}`, srv.URL))
	c := ts.mustDial("key1")
	c.send(`{"event":"pusher:subscribe","data":{"channel":"orders"}}`)
	c.read()
	c.send(`{"event":"pusher:subscribe","data":{"channel":"news"}}`)
	c.read()
	first := "channel_occupied:orders,channel_occupied:news"
	rc.waitNames(t, func(n string) bool { return len(n) >= len(first) })
	rc.mu.Lock()
	got := eventNames(rc.bodies)
	rc.mu.Unlock()
	if got != first {
		t.Fatalf("first events: %s", got)
	}
	// Leave and come back within the grace: nothing is sent for orders.
	c.send(`{"event":"pusher:unsubscribe","data":{"channel":"orders"}}`)
	c.send(`{"event":"pusher:subscribe","data":{"channel":"orders"}}`)
	c.read()
	// Leave news for good: channel_vacated after the grace.
	c.send(`{"event":"pusher:unsubscribe","data":{"channel":"news"}}`)
	bodies := rc.waitNames(t, func(n string) bool { return len(n) > len(first) })
	if names := eventNames(bodies); names != first+",channel_vacated:news" {
		t.Fatalf("events: %s", names)
	}
}

func eventNames(bodies []webhookBody) string {
	s := ""
	for _, b := range bodies {
		for _, e := range b.Events {
			if s != "" {
				s += ","
			}
			s += e.Name + ":" + e.Channel
		}
	}
	return s
}
