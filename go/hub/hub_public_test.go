package hub

import (
	"testing"

	"github.com/y-l-g/websocket/go/hub/hubtest"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

func TestPublicEndToEnd(t *testing.T) {
	f := newFixture(t, nil, nil)
	s1, c1 := f.open()
	s2, c2 := f.open()
	est, _ := c1.Wait(pusher.EventConnectionEstablished, "", wait)
	var hs struct {
		SocketID        string `json:"socket_id"`
		ActivityTimeout int    `json:"activity_timeout"`
	}
	if err := est.DataInto(&hs); err != nil || hs.SocketID != s1.SocketID() || hs.ActivityTimeout != 30 {
		t.Fatalf("handshake %s: %+v %v", est.Data, hs, err)
	}
	e := f.mustSubscribe(s1, c1, "news", "")
	if e.DataString() != "{}" {
		t.Fatalf("subscription_succeeded data %s", e.Data)
	}
	f.mustSubscribe(s2, c2, "news", "")
	if st := f.publish("news", "hello", `{"a":"b\"c"}`); st != StatusOK {
		t.Fatalf("publish: %v", st)
	}
	for i, conn := range []*hubtest.Conn{c1, c2} {
		got, ok := conn.Wait("hello", "news", wait)
		if !ok || got.DataString() != `{"a":"b\"c"}` {
			t.Fatalf("conn %d: %+v %v", i, got, ok)
		}
	}
	if err := c1.Err(); err != nil {
		t.Fatal(err)
	}
	if st := f.h.Stats(testAppID); st.Connections != 2 || st.Channels != 1 || st.Subscriptions != 2 {
		t.Fatalf("stats %+v", st)
	}
	send(t, s1, map[string]any{"event": "pusher:unsubscribe", "data": map[string]string{"channel": "news"}})
	s2.Close()
	if st := f.h.Stats(testAppID); st.Connections != 1 || st.Channels != 0 || st.Subscriptions != 0 {
		t.Fatalf("stats after leave %+v", st)
	}
	if len(f.sink.named(WebhookChannelOccupied)) != 1 || len(f.sink.named(WebhookChannelVacated)) != 1 {
		t.Fatalf("webhooks %+v", f.sink.events)
	}
}
