package pogows

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/y-l-g/websocket/go/hub"
)

// socketID extracts the socket id from a connection_established event.
func (ts *testServer) dialWithSocketID(key string) (*wsClient, string) {
	ts.t.Helper()
	c, _, err := ts.dial(key, nil)
	if err != nil {
		ts.t.Fatal(err)
	}
	ev := c.read()
	raw, _ := ev.Data.(string)
	var d struct {
		SocketID string `json:"socket_id"`
	}
	if err := json.Unmarshal([]byte(raw), &d); err != nil || d.SocketID == "" {
		ts.t.Fatalf("connection_established %+v: %v", ev, err)
	}
	return c, d.SocketID
}

func joinPresence(t *testing.T, c *wsClient, socketID, key, secret, channel, userID string) {
	t.Helper()
	cd := fmt.Sprintf(`{"user_id":%q}`, userID)
	auth := key + ":" + hub.Sign(secret, hub.ChannelAuthString(socketID, channel, cd))
	msg, _ := json.Marshal(map[string]any{"event": "pusher:subscribe",
		"data": map[string]string{"channel": channel, "auth": auth, "channel_data": cd}})
	c.send(string(msg))
	if ev := c.read(); ev.Event != "pusher_internal:subscription_succeeded" {
		t.Fatalf("presence subscribe: %+v", ev)
	}
}

func TestIntegrationPresenceAndClientEventWebhooks(t *testing.T) {
	rc, srv := newReceiver(t, "whsecret")
	ts := startCaddy(t, fmt.Sprintf(`pogo_websocket {
			app_id app1
			app_key key1
			app_secret secret1
			webhook_url %s
			webhook_secret whsecret
			webhook_grace 2s
			webhook_batch_window 50ms
		}`, srv.URL))
	c, sid := ts.dialWithSocketID("key1")
	joinPresence(t, c, sid, "key1", "secret1", "presence-room", "u1")
	first := "channel_occupied:presence-room,member_added:presence-room"
	rc.waitNames(t, func(n string) bool { return n == first })
	// The user reconnects within the grace: no member_removed/member_added pair.
	c.nc.Close()
	c2, sid2 := ts.dialWithSocketID("key1")
	joinPresence(t, c2, sid2, "key1", "secret1", "presence-room", "u1")
	c2.send(`{"event":"client-typing","channel":"presence-room","data":{"on":true}}`)
	want := first + ",client_event:presence-room"
	bodies := rc.waitNames(t, func(n string) bool { return len(n) >= len(want) })
	if got := eventNames(bodies); got != want {
		t.Fatalf("events %s, want %s", got, want)
	}
	last := bodies[len(bodies)-1].Events[0]
	if last.Event != "client-typing" || last.UserID != "u1" || last.SocketID != sid2 {
		t.Fatalf("client_event: %+v", last)
	}
	// Leaving for good: member_removed and channel_vacated after the grace.
	c2.nc.Close()
	bodies = rc.waitNames(t, func(n string) bool { return len(n) > len(want)+len(",member_removed:presence-room") })
	got := eventNames(bodies)[len(want)+1:]
	if got != "member_removed:presence-room,channel_vacated:presence-room" &&
		got != "channel_vacated:presence-room,member_removed:presence-room" {
		t.Fatalf("leave events: %s", got)
	}
}
