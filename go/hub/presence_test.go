package hub

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/y-l-g/websocket/go/hub/hubtest"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

type presenceData struct {
	Presence struct {
		IDs   []string                   `json:"ids"`
		Hash  map[string]json.RawMessage `json:"hash"`
		Count int                        `json:"count"`
	} `json:"presence"`
}

func joinPresence(f *fixture, s *Session, c *hubtest.Conn, ch, cd string) presenceData {
	f.t.Helper()
	e := f.mustSubscribe(s, c, ch, cd)
	var p presenceData
	if err := e.DataInto(&p); err != nil {
		f.t.Fatalf("presence data %s: %v", e.Data, err)
	}
	return p
}

func TestPresenceMembers(t *testing.T) {
	f := newFixture(t, nil, nil)
	const ch = "presence-room"
	a1, ca1 := f.open()
	p := joinPresence(f, a1, ca1, ch, `{"user_id":"a","user_info":{"name":"Ann"}}`)
	if p.Presence.Count != 1 || p.Presence.IDs[0] != "a" || string(p.Presence.Hash["a"]) != `{"name":"Ann"}` {
		t.Fatalf("first join %+v", p)
	}
	b, cb := f.open()
	p = joinPresence(f, b, cb, ch, `{"user_id":7}`) // numeric id, no info
	if p.Presence.Count != 2 || p.Presence.IDs[1] != "7" || string(p.Presence.Hash["7"]) != "null" {
		t.Fatalf("second join %+v", p)
	}
	added, ok := ca1.Wait(pusher.InternalMemberAdded, ch, wait)
	if !ok || added.DataString() != `{"user_id":"7","user_info":null}` {
		t.Fatalf("member_added %+v", added)
	}
	never(t, cb, pusher.InternalMemberAdded, ch) // not to the joiner

	// Second tab of "a": no member_added, same count.
	a2, ca2 := f.open()
	p = joinPresence(f, a2, ca2, ch, `{"user_id":"a","user_info":{"name":"Ann"}}`)
	if p.Presence.Count != 2 {
		t.Fatalf("second tab count %d", p.Presence.Count)
	}
	a1.Close() // "a" still has a2
	send(t, b, map[string]any{"event": "pusher:unsubscribe", "data": map[string]string{"channel": ch}})
	a2.Close() // last "a" connection
	if n := len(f.sink.named(WebhookMemberAdded)); n != 2 {
		t.Fatalf("member_added webhooks %d", n)
	}
	if n := len(f.sink.named(WebhookMemberRemoved)); n != 2 {
		t.Fatalf("member_removed webhooks %d: %+v", n, f.sink.events)
	}
	if users, err := f.h.PresenceUsers(t.Context(), testAppID, ch); err != nil || len(users) != 0 {
		t.Fatalf("users %v %v", users, err)
	}
}

func TestPresenceMemberRemovedOnlyOnLastConnection(t *testing.T) {
	f := newFixture(t, nil, nil)
	const ch = "presence-x"
	w, cw := f.open()
	joinPresence(f, w, cw, ch, `{"user_id":"watcher"}`)
	u1, cu1 := f.open()
	u2, cu2 := f.open()
	joinPresence(f, u1, cu1, ch, `{"user_id":"u"}`)
	joinPresence(f, u2, cu2, ch, `{"user_id":"u"}`)
	u1.Close()
	f.publish(ch, "marker", "1")
	if _, ok := cw.Wait("marker", ch, wait); !ok {
		t.Fatal("no marker")
	}
	never(t, cw, pusher.InternalMemberRemoved, ch)
	u2.Close()
	e, ok := cw.Wait(pusher.InternalMemberRemoved, ch, wait)
	if !ok || e.DataString() != `{"user_id":"u"}` {
		t.Fatalf("member_removed %+v", e)
	}
	if n := len(cw.Find(pusher.InternalMemberAdded, ch)); n != 1 {
		t.Fatalf("member_added %d times", n)
	}
}

func TestPresenceRejections(t *testing.T) {
	f := newFixture(t, func(a *App) {
		a.Limits.MaxPresenceMembers = 2
		a.Limits.MaxUserInfoBytes = 20
		a.Limits.MaxUserIDLength = 8
	}, nil)
	const ch = "presence-lim"
	cases := []struct{ name, cd, typ string }{
		{"no channel_data, not signed in", "", "AuthError"},
		{"not json", `nope`, "AuthError"},
		{"no user id", `{"user_info":{}}`, "AuthError"},
		{"bool id", `{"user_id":true}`, "AuthError"},
		{"id too long", `{"user_id":"123456789"}`, "AuthError"},
		{"bad id chars", `{"user_id":"a b"}`, "AuthError"},
		{"info too large", `{"user_id":"x","user_info":{"name":"0123456789abcdef"}}`, "AuthError"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, c := f.open()
			subscribe(t, s, ch, f.auth(s, ch, tc.cd), tc.cd)
			if typ, _ := subscriptionError(t, c, ch); typ != tc.typ {
				t.Fatalf("type %s", typ)
			}
		})
	}
	// Signature must cover the exact channel_data bytes.
	s, c := f.open()
	subscribe(t, s, ch, f.auth(s, ch, `{"user_id":"x"}`), `{"user_id": "x"}`)
	if typ, _ := subscriptionError(t, c, ch); typ != "AuthError" {
		t.Fatal(typ)
	}
	// Member limit counts distinct users.
	for _, id := range []string{"u1", "u2", "u1"} {
		s, c := f.open()
		joinPresence(f, s, c, ch, fmt.Sprintf(`{"user_id":%q}`, id))
	}
	s, c = f.open()
	subscribe(t, s, ch, f.auth(s, ch, `{"user_id":"u3"}`), `{"user_id":"u3"}`)
	if typ, status := subscriptionError(t, c, ch); typ != "LimitReached" || status != 403 {
		t.Fatalf("full: %s %d", typ, status)
	}
	if _, msg := lastError(t, c); !strings.Contains(msg, "full") {
		t.Fatal(msg)
	}
}

func TestPresenceResubscribe(t *testing.T) {
	f := newFixture(t, nil, nil)
	s, c := f.open()
	joinPresence(f, s, c, "presence-r", `{"user_id":"1"}`)
	c.Reset()
	p := joinPresence(f, s, c, "presence-r", `{"user_id":"1"}`)
	if p.Presence.Count != 1 {
		t.Fatalf("%+v", p)
	}
}
