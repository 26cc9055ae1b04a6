package hub

import (
	"strings"
	"testing"

	"github.com/y-l-g/websocket/go/hub/hubtest"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// subscriptionError returns the type/status of the last subscription_error on channel.
func subscriptionError(t *testing.T, c *hubtest.Conn, channel string) (string, int) {
	t.Helper()
	e, ok := c.Wait(pusher.EventSubscriptionError, channel, wait)
	if !ok {
		t.Fatalf("no subscription_error on %q: %+v", channel, c.Events())
	}
	var d struct {
		Type   string `json:"type"`
		Error  string `json:"error"`
		Status int    `json:"status"`
	}
	if err := e.DataInto(&d); err != nil || d.Error == "" {
		t.Fatalf("subscription_error data %s: %v", e.Data, err)
	}
	return d.Type, d.Status
}

func TestPrivateAuth(t *testing.T) {
	for _, ch := range []string{"private-a", "private-encrypted-a", "private-cache-a", "private-encrypted-cache-a"} {
		t.Run(ch, func(t *testing.T) {
			f := newFixture(t, nil, nil)
			s, c := f.open()
			cases := []string{"", ":" + Sign(testSecret, s.SocketID()+":"+ch), f.app.Key + ":bad",
				f.auth(s, ch+"x", ""), f.app.Key + ":" + Sign("wrong", s.SocketID()+":"+ch)}
			for _, auth := range cases {
				c.Reset()
				subscribe(t, s, ch, auth, "")
				if typ, status := subscriptionError(t, c, ch); typ != "AuthError" || status != 401 {
					t.Fatalf("auth %q: %s %d", auth, typ, status)
				}
				if code, msg := lastError(t, c); code != 0 || !strings.Contains(msg, "signature") {
					t.Fatalf("auth %q: pusher:error %d %q", auth, code, msg)
				}
				never(t, c, pusher.InternalSubscriptionSucceeded, ch)
			}
			f.mustSubscribe(s, c, ch, "")
			if closed, _, _ := c.Closed(); closed {
				t.Fatal("connection closed after auth failures")
			}
		})
	}
}

func TestEncryptedPayloadRelayedUntouched(t *testing.T) {
	f := newFixture(t, nil, nil)
	s, c := f.open()
	f.mustSubscribe(s, c, "private-encrypted-x", "")
	data := `{"nonce":"bm9uY2U=","ciphertext":"Y2lwaGVy\u2028"}`
	if st := f.publish("private-encrypted-x", "secret", data); st != StatusOK {
		t.Fatal(st)
	}
	e, ok := c.Wait("secret", "private-encrypted-x", wait)
	if !ok || e.DataString() != data {
		t.Fatalf("got %+v", e)
	}
}

func TestSubscribeValidation(t *testing.T) {
	f := newFixture(t, func(a *App) { a.Limits.MaxSubscriptions = 2; a.Limits.MaxChannelNameLength = 20 }, nil)
	s, c := f.open()
	for _, bad := range []string{"", "with space", "#hash", strings.Repeat("a", 21), "ü"} {
		c.Reset()
		subscribe(t, s, bad, "", "")
		if typ, status := subscriptionError(t, c, bad); typ != "InvalidChannel" || status != 400 {
			t.Fatalf("%q: %s %d", bad, typ, status)
		}
	}
	f.mustSubscribe(s, c, "one", "")
	f.mustSubscribe(s, c, strings.Repeat("a", 20), "")
	c.Reset()
	subscribe(t, s, "three", "", "")
	if typ, _ := subscriptionError(t, c, "three"); typ != "LimitReached" {
		t.Fatalf("limit: %s", typ)
	}
	// Re-subscribing does not count twice and answers again.
	c.Reset()
	f.mustSubscribe(s, c, "one", "")
	if st := f.h.Stats(testAppID); st.Subscriptions != 2 {
		t.Fatalf("stats %+v", st)
	}
}

func TestUnsubscribeStopsDelivery(t *testing.T) {
	f := newFixture(t, nil, nil)
	s, c := f.open()
	f.mustSubscribe(s, c, "a", "")
	f.mustSubscribe(s, c, "b", "")
	send(t, s, map[string]any{"event": "pusher:unsubscribe", "data": map[string]string{"channel": "a"}})
	f.publish("a", "ea", "1")
	f.publish("b", "eb", "2")
	if _, ok := c.Wait("eb", "b", wait); !ok {
		t.Fatal("b not delivered")
	}
	never(t, c, "ea", "a")
}
