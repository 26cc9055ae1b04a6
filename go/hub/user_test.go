package hub

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/y-l-g/websocket/go/hub/hubtest"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

func signin(t *testing.T, f *fixture, s *Session, userData string) {
	t.Helper()
	auth := f.app.Key + ":" + Sign(f.app.Secret, UserAuthString(s.SocketID(), userData))
	send(t, s, map[string]any{"event": "pusher:signin", "data": map[string]string{"auth": auth, "user_data": userData}})
}

func mustSignin(t *testing.T, f *fixture, s *Session, userData string) {
	t.Helper()
	c := s.conn.(*hubtest.Conn)
	c.Reset()
	signin(t, f, s, userData)
	e, ok := c.Wait(pusher.EventSigninSuccess, "", wait)
	if !ok {
		t.Fatalf("no signin_success: %+v", c.Events())
	}
	// pusher-js: JSON.parse(data.user_data).id must be a non-empty string.
	var d struct {
		UserData string `json:"user_data"`
	}
	if err := e.DataInto(&d); err != nil || d.UserData != userData {
		t.Fatalf("signin_success data %s: %v", e.Data, err)
	}
}

func TestSignin(t *testing.T) {
	f := newFixture(t, func(a *App) { a.Limits.MaxUserInfoBytes = 30 }, nil)
	s, c := f.open()
	mustSignin(t, f, s, `{"id":"42","user_info":{"name":"N"}}`)
	if s.UserID() != "42" {
		t.Fatal(s.UserID())
	}
	c.Reset()
	mustSignin(t, f, s, `{"id":"42"}`) // same user again is fine
	c.Reset()
	signin(t, f, s, `{"id":"43"}`)
	if _, msg := lastError(t, c); !strings.Contains(msg, "another user") {
		t.Fatal(msg)
	}
	cases := map[string]string{
		"bad signature": "",
		"no id":         `{"user_info":{}}`,
		"numeric id":    `{"id":42}`,
		"empty id":      `{"id":""}`,
		"not json":      `x`,
		"info too big":  `{"id":"1","user_info":{"name":"01234567890123456789"}}`,
	}
	for name, ud := range cases {
		s, c := f.open()
		if name == "bad signature" {
			send(t, s, map[string]any{"event": "pusher:signin", "data": map[string]string{"auth": testKey + ":00", "user_data": `{"id":"1"}`}})
		} else {
			signin(t, f, s, ud)
		}
		if _, msg := lastError(t, c); msg == "" {
			t.Fatalf("%s: empty message", name)
		}
		never(t, c, pusher.EventSigninSuccess, "")
		if s.UserID() != "" {
			t.Fatalf("%s: signed in", name)
		}
	}
}

func TestServerToUser(t *testing.T) {
	f := newFixture(t, nil, nil)
	u1, c1 := f.open()
	u2, c2 := f.open()
	other, co := f.open()
	mustSignin(t, f, u1, `{"id":"7"}`)
	mustSignin(t, f, u2, `{"id":"7"}`)
	mustSignin(t, f, other, `{"id":"8"}`)
	f.mustSubscribe(u1, c1, "#server-to-user-7", "")
	f.mustSubscribe(u2, c2, "#server-to-user-7", "")
	subscribe(t, other, "#server-to-user-7", "", "")
	if typ, _ := subscriptionError(t, co, "#server-to-user-7"); typ != "AuthError" {
		t.Fatal(typ)
	}
	anon, ca := f.open()
	subscribe(t, anon, "#server-to-user-7", "", "")
	subscriptionError(t, ca, "#server-to-user-7")
	if st := f.publish("#server-to-user-7", "notice", `{"x":1}`); st != StatusOK {
		t.Fatal(st)
	}
	for _, c := range []*hubtest.Conn{c1, c2} {
		if _, ok := c.Wait("notice", "#server-to-user-7", wait); !ok {
			t.Fatal("user connection missed the event")
		}
	}
}

func TestPresenceWithSigninUser(t *testing.T) {
	f := newFixture(t, nil, nil)
	s, c := f.open()
	mustSignin(t, f, s, `{"id":"9","user_info":{"name":"Nine"}}`)
	p := joinPresence(f, s, c, "presence-s", "") // private-style signature, signin identity
	if p.Presence.Count != 1 || string(p.Presence.Hash["9"]) != `{"name":"Nine"}` {
		t.Fatalf("%+v", p)
	}
}

func TestTerminateUser(t *testing.T) {
	f := newFixture(t, nil, nil)
	a1, c1 := f.open()
	a2, c2 := f.open()
	b, cb := f.open()
	mustSignin(t, f, a1, `{"id":"a"}`)
	mustSignin(t, f, a2, `{"id":"a"}`)
	mustSignin(t, f, b, `{"id":"b"}`)
	if err := f.h.TerminateUser(t.Context(), testAppID, "a"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*hubtest.Conn{c1, c2} {
		if closed, code, _ := c.Closed(); !closed || code != pusher.CodeUnauthorized {
			t.Fatalf("closed=%v code=%d", closed, code)
		}
		if code, _ := lastError(t, c); code != 4009 {
			t.Fatal(code)
		}
	}
	if closed, _, _ := cb.Closed(); closed {
		t.Fatal("other user closed")
	}
	if err := f.h.TerminateUser(t.Context(), "nope", "a"); err == nil {
		t.Fatal("unknown app accepted")
	}
}

type watchEvents struct {
	Events []struct {
		Name    string   `json:"name"`
		UserIDs []string `json:"user_ids"`
	} `json:"events"`
}

func watchlist(t *testing.T, c *hubtest.Conn) []string {
	t.Helper()
	var out []string
	for _, e := range c.Find(pusher.InternalWatchlistEvents, "") {
		if e.Channel != "" {
			t.Fatal("watchlist event has a channel")
		}
		var w watchEvents
		if err := e.DataInto(&w); err != nil {
			t.Fatal(err)
		}
		for _, ev := range w.Events {
			out = append(out, ev.Name+":"+strings.Join(ev.UserIDs, ","))
		}
	}
	return out
}

func TestWatchlist(t *testing.T) {
	f := newFixture(t, nil, nil)
	seven, c7 := f.open()
	mustSignin(t, f, seven, `{"id":"7"}`)
	w, cw := f.open()
	mustSignin(t, f, w, `{"id":"1","watchlist":["7","9"]}`)
	if got := watchlist(t, cw); len(got) != 1 || got[0] != "online:7" {
		t.Fatalf("initial %v", got)
	}
	nine, c9 := f.open()
	mustSignin(t, f, nine, `{"id":"9"}`)
	nine2, c92 := f.open()
	mustSignin(t, f, nine2, `{"id":"9"}`) // second connection: no new event
	_, _ = c9, c92
	nine.Close()
	nine2.Close()
	seven.Close()
	_ = c7
	got := watchlist(t, cw)
	want := []string{"online:7", "online:9", "offline:9", "offline:7"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %v want %v", got, want)
	}
}

func TestWatchlistLimit(t *testing.T) {
	f := newFixture(t, func(a *App) { a.Limits.MaxWatchlist = 2 }, nil)
	w, cw := f.open()
	ids, _ := json.Marshal([]string{"a", "b", "c"})
	mustSignin(t, f, w, fmt.Sprintf(`{"id":"1","watchlist":%s}`, ids))
	if code, _ := lastError(t, cw); code != int(pusher.CodeWatchlistLimit) {
		t.Fatal(code)
	}
	c, cc := f.open()
	mustSignin(t, f, c, `{"id":"c"}`)
	_ = cc
	b, cbb := f.open()
	mustSignin(t, f, b, `{"id":"b"}`)
	_ = cbb
	if got := watchlist(t, cw); fmt.Sprint(got) != "[online:b]" {
		t.Fatalf("got %v", got)
	}
}
