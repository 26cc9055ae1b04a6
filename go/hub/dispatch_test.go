package hub

import (
	"strings"
	"testing"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

func TestDispatchBasics(t *testing.T) {
	cases := []struct {
		name    string
		msg     string
		reply   string // expected event, "" for none
		errCode int    // when reply is pusher:error
		errHas  string
	}{
		{"ping", `{"event":"pusher:ping","data":{}}`, pusher.EventPong, 0, ""},
		{"ping no data", `{"event":"pusher:ping"}`, pusher.EventPong, 0, ""},
		{"pong", `{"event":"pusher:pong","data":{}}`, "", 0, ""},
		{"not json", `{"event":`, pusher.EventError, 0, "Invalid message format"},
		{"array", `[1,2]`, pusher.EventError, 0, "Invalid message format"},
		{"no event", `{"data":{}}`, pusher.EventError, 0, "Invalid message format"},
		{"event not string", `{"event":5}`, pusher.EventError, 0, "Invalid message format"},
		{"unknown pusher", `{"event":"pusher:bogus","data":{}}`, pusher.EventError, 0, "Unsupported event"},
		{"internal", `{"event":"pusher_internal:member_added","data":{}}`, pusher.EventError, 0, "Unsupported event"},
		{"plain event", `{"event":"hello","data":{}}`, pusher.EventError, 0, "Unsupported event"},
		{"subscribe no data", `{"event":"pusher:subscribe"}`, pusher.EventError, 0, "Invalid subscribe"},
		{"subscribe bad data", `{"event":"pusher:subscribe","data":{"channel":5}}`, pusher.EventError, 0, "Invalid subscribe"},
		{"unsubscribe bad", `{"event":"pusher:unsubscribe","data":"x"}`, pusher.EventError, 0, "Invalid unsubscribe"},
		{"unsubscribe unknown", `{"event":"pusher:unsubscribe","data":{"channel":"nope"}}`, "", 0, ""},
		{"signin bad", `{"event":"pusher:signin","data":[]}`, pusher.EventError, 0, "Invalid signin"},
		{"too large", `{"event":"pusher:ping","data":"` + strings.Repeat("x", 70000) + `"}`, pusher.EventError, 0, "too large"},
	}
	f := newFixture(t, nil, nil)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, c := f.open()
			c.Reset()
			s.Handle([]byte(tc.msg))
			send(t, s, map[string]any{"event": "pusher:ping"}) // marker
			evs := c.Events()
			if tc.reply == "" {
				if len(evs) != 1 || evs[0].Event != pusher.EventPong {
					t.Fatalf("want only the marker pong, got %+v", evs)
				}
				return
			}
			if len(evs) != 2 || evs[0].Event != tc.reply {
				t.Fatalf("got %+v", evs)
			}
			if tc.reply == pusher.EventPong && evs[0].DataString() != "{}" {
				t.Fatalf("pong data %s", evs[0].Data)
			}
			if tc.reply == pusher.EventError {
				code, msg := errorCode(t, evs[0])
				if code != tc.errCode || !strings.Contains(msg, tc.errHas) {
					t.Fatalf("error %d %q", code, msg)
				}
			}
			if closed, _, _ := c.Closed(); closed {
				t.Fatal("connection closed")
			}
		})
	}
}

func TestHandleCopiesBuffer(t *testing.T) {
	f := newFixture(t, nil, nil)
	s, c := f.open()
	buf := []byte(`{"event":"pusher:subscribe","data":{"channel":"abc"}}`)
	s.Handle(buf)
	for i := range buf {
		buf[i] = 'x'
	}
	if _, ok := c.Wait(pusher.InternalSubscriptionSucceeded, "abc", wait); !ok {
		t.Fatal("no subscription")
	}
	if st := f.publish("abc", "e", "d"); st != StatusOK {
		t.Fatal(st)
	}
	if _, ok := c.Wait("e", "abc", wait); !ok {
		t.Fatal("event not delivered")
	}
}

func TestPingAndClosedSession(t *testing.T) {
	f := newFixture(t, nil, nil)
	s, c := f.open()
	s.Ping()
	if e, ok := c.Wait("pusher:ping", "", wait); !ok || e.DataString() != "{}" {
		t.Fatalf("ping %+v", e)
	}
	s.Close()
	c.Reset()
	s.Handle([]byte(`{"event":"pusher:ping"}`))
	if len(c.Events()) != 0 {
		t.Fatalf("closed session answered: %+v", c.Events())
	}
}
