package hub

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/y-l-g/websocket/go/hub/hubtest"
)

func TestAppendJSONString(t *testing.T) {
	cases := []string{"", "plain", `q"b\s/`, "\n\r\t\x00\x1f\x7f", "héllo ✓ 😀", "bad \xff\xfe utf8", "\u2028\u2029", "<>&"}
	for _, s := range cases {
		out := appendJSONString(nil, s)
		var back string
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("%q -> %s: %v", s, out, err)
		}
		want := strings.ToValidUTF8(s, "\ufffd")
		if strings.Contains(s, "\xff\xfe") {
			want = strings.ReplaceAll(s, "\xff\xfe", "\ufffd\ufffd")
		}
		if back != want {
			t.Fatalf("%q round-tripped to %q", s, back)
		}
	}
}

func TestFrameLengths(t *testing.T) {
	for _, n := range []int{0, 1, 125, 126, 127, 65535, 65536, 70000} {
		payload := []byte(strings.Repeat("x", n))
		f := TextFrame(payload)
		got, err := hubtest.DecodeFrame(f)
		if err != nil || string(got) != string(payload) {
			t.Fatalf("n=%d: %v", n, err)
		}
	}
}

func TestEncodeEvent(t *testing.T) {
	f := encodeFrame(&serverEvent{Event: "e", Channel: "c", Data: `{"x":"y"}`, UserID: "u"})
	p, err := hubtest.DecodeFrame(f)
	if err != nil {
		t.Fatal(err)
	}
	if string(p) != `{"event":"e","channel":"c","data":"{\"x\":\"y\"}","user_id":"u"}` {
		t.Fatal(string(p))
	}
	p, _ = hubtest.DecodeFrame(encodeFrame(&serverEvent{Event: "pusher:error", RawData: appendErrorData(nil, 0, "m")}))
	if string(p) != `{"event":"pusher:error","data":{"code":null,"message":"m"}}` {
		t.Fatal(string(p))
	}
	p, _ = hubtest.DecodeFrame(encodeFrame(&serverEvent{Event: "pusher:cache_miss", Channel: "cache-x", NoData: true}))
	if string(p) != `{"event":"pusher:cache_miss","channel":"cache-x"}` {
		t.Fatal(string(p))
	}
}
