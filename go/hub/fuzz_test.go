package hub

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/y-l-g/websocket/go/hub/hubtest"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// FuzzParseInbound: never panics; accepted messages have an event and
// survive a re-encode/parse round trip.
func FuzzParseInbound(f *testing.F) {
	for _, s := range []string{
		`{"event":"pusher:ping","data":{}}`,
		`{"event":"pusher:subscribe","data":{"channel":"private-a","auth":"k:s","channel_data":"{\"user_id\":1}"}}`,
		`{"event":"client-x","channel":"private-a","data":"str"}`,
		`{"event":"","data":null}`, `[]`, `{"event":1}`, `nul`, "{\"event\":\"\xff\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		in, err := ParseInbound(msg)
		if err != nil {
			return
		}
		if in.Event == "" {
			t.Fatal("accepted empty event")
		}
		b, err := json.Marshal(in)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		again, err := ParseInbound(b)
		if err != nil || again.Event != in.Event || again.Channel != in.Channel {
			t.Fatalf("round trip %q -> %q: %v", msg, b, err)
		}
	})
}

var channelNameRE = regexp.MustCompile(`^[A-Za-z0-9_\-=@,.;]+$`)

// FuzzValidChannelName checks pusher.ValidChannelName against a regular
// expression model of the rule.
func FuzzValidChannelName(f *testing.F) {
	for _, s := range []string{"a", "private-a", "presence-x", "#server-to-user-1", "#other", "a b", "é", "", strings.Repeat("a", 201)} {
		f.Add(s, 200)
	}
	f.Fuzz(func(t *testing.T, name string, maxLen int) {
		got := pusher.ValidChannelName(name, maxLen)
		body := strings.TrimPrefix(name, "#server-to-user-")
		if body != name {
			body = "server-to-user-" + body
		}
		want := name != "" && len(name) <= maxLen && channelNameRE.MatchString(body)
		if got != want {
			t.Fatalf("ValidChannelName(%q, %d) = %v, want %v", name, maxLen, got, want)
		}
	})
}

// FuzzAppendJSONString: output is valid JSON decoding to the input (with
// invalid UTF-8 replaced).
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "a\"b", "\x00\n", "\xff", "😀", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := appendJSONString(nil, s)
		var back string
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("%q -> %s: %v", s, out, err)
		}
		if utf8.ValidString(s) && back != s {
			t.Fatalf("%q -> %q", s, back)
		}
	})
}

// FuzzHandle feeds arbitrary messages to a session: no panic, every frame
// written is a valid text frame holding a JSON event, the connection is
// never closed by client input.
func FuzzHandle(f *testing.F) {
	for _, s := range []string{
		`{"event":"pusher:subscribe","data":{"channel":"presence-a","channel_data":"{\"user_id\":\"1\"}"}}`,
		`{"event":"pusher:signin","data":{"auth":"x","user_data":"{\"id\":\"1\"}"}}`,
		`{"event":"client-a","channel":"private-a","data":{}}`,
		`{"event":"pusher:unsubscribe","data":{"channel":"a"}}`,
		`{"event":"pusher:subscribe","data":{"channel":"cache-a"}}`,
	} {
		f.Add([]byte(s))
	}
	fx := newFixture(f, nil, nil)
	f.Fuzz(func(t *testing.T, msg []byte) {
		c := hubtest.NewConn()
		s, err := fx.h.Open(fx.app, c, protocol7)
		if err != nil {
			t.Fatal(err)
		}
		s.Handle(msg)
		s.Handle(msg)
		s.Close()
		if err := c.Err(); err != nil {
			t.Fatal(err)
		}
		if closed, _, _ := c.Closed(); closed {
			t.Fatal("client input closed the connection")
		}
	})
}
