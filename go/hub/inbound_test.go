package hub

import (
	"bytes"
	"encoding/json"
	"testing"
)

// slowInbound is ParseInbound's encoding/json path, the reference of the
// fast path.
func slowInbound(msg []byte) (Inbound, error) {
	var in Inbound
	if err := json.Unmarshal(msg, &in); err != nil {
		return Inbound{}, err
	}
	if bytes.Equal(in.Data, []byte("null")) {
		in.Data = nil
	}
	return in, nil
}

var inboundSamples = []string{
	`{"event":"pusher:subscribe","data":{"auth":"","channel":"bench-0"}}`,
	`{"event":"pusher:subscribe","data":{"channel":"private-a","auth":"k:s","channel_data":"{\"user_id\":1}"}}`,
	`{"event":"pusher:ping","data":{}}`,
	`{"event":"pusher:pong","data":null}`,
	`{"event":"pusher:unsubscribe","data":{"channel":"a"}}`,
	` { "event" : "client-x" , "channel" : "private-a" , "data" : "str" } `,
	`{"event":"client-x","channel":"private-a","data":{"a":[1,2,{"b":"}"}],"c":-1.5e3,"d":true}}`,
	`{"event":"client-x","channel":"private-a","data":[{"x":"\"]"}]}`,
	`{"event":"client-x","channel":"private-a","data":12}`,
	`{"event":"a","event":"b"}`,
	`{"event":"a","event":null}`,
	`{"event":"\u0061"}`,
	`{"EVENT":"a"}`,
	`{"event":"a","other":1}`,
	`{"event":"é","channel":"ü"}`,
	"{\"event\":\"\xff\"}",
	`{"event":""}`,
	`{"event":1}`,
	`{"data":{}}`,
	`{"event":"a","data":{}}x`,
	`{"event":"a","data":{"b":1}`,
	`[]`, `nul`, ``, `{}`, `"x"`,
}

// TestParseInboundFastMatchesJSON: whenever the fast path answers, the
// encoding/json path gives the same message.
func TestParseInboundFastMatchesJSON(t *testing.T) {
	fast := 0
	for _, s := range inboundSamples {
		if checkFastInbound(t, []byte(s)) {
			fast++
		}
	}
	if fast < 8 {
		t.Fatalf("fast path answered only %d samples", fast)
	}
}

// checkFastInbound compares both paths on msg and reports whether the fast
// path answered.
func checkFastInbound(t *testing.T, msg []byte) bool {
	t.Helper()
	got, ok := parseInboundFast(msg, false)
	want, err := slowInbound(msg)
	if !ok {
		return false
	}
	if err != nil {
		t.Fatalf("%q: fast path accepted what encoding/json refuses: %v", msg, err)
	}
	if got.Event != want.Event || got.Channel != want.Channel || !bytes.Equal(got.Data, want.Data) ||
		(got.Data == nil) != (want.Data == nil) {
		t.Fatalf("%q: fast %+v (data %q), json %+v (data %q)", msg, got, got.Data, want, want.Data)
	}
	return true
}

func TestParseInboundFastCases(t *testing.T) {
	for _, tc := range []struct {
		msg     string
		fast    bool
		event   string
		channel string
		data    string
	}{
		{`{"event":"pusher:subscribe","data":{"auth":"","channel":"bench-0"}}`, true, "pusher:subscribe", "", `{"auth":"","channel":"bench-0"}`},
		{`{"event":"pusher:pong","data":null}`, true, "pusher:pong", "", ""},
		{`{"event":"client-x","channel":"private-a","data":"str"}`, true, "client-x", "private-a", `"str"`},
		{`{"event":"a","event":"b"}`, true, "b", "", ""},
		{`{"event":"\u0061"}`, false, "", "", ""},         // escapes: encoding/json
		{`{"EVENT":"a"}`, false, "", "", ""},              // case-insensitive key: encoding/json
		{`{"event":"a","event":null}`, false, "", "", ""}, // null keeps "a": encoding/json
		{`{"event":"a","x":1}`, false, "", "", ""},        // unknown key
		{"{\"event\":\"\xff\"}", false, "", "", ""},       // invalid UTF-8 becomes U+FFFD
		{`{"event":""}`, false, "", "", ""},
		{`{"event":"a"}}`, false, "", "", ""},
	} {
		in, ok := parseInboundFast([]byte(tc.msg), false)
		if ok != tc.fast {
			t.Fatalf("%q: fast path answered %v, want %v", tc.msg, ok, tc.fast)
		}
		if ok && (in.Event != tc.event || in.Channel != tc.channel || string(in.Data) != tc.data) {
			t.Fatalf("%q: got %+v (data %q)", tc.msg, in, in.Data)
		}
	}
}

// TestParseInboundDataDoesNotAlias: ParseInbound copies data; the alias
// form used by Handle does not.
func TestParseInboundDataDoesNotAlias(t *testing.T) {
	msg := []byte(`{"event":"client-x","channel":"private-a","data":{"k":"v"}}`)
	in, err := ParseInbound(msg)
	if err != nil {
		t.Fatal(err)
	}
	aliased, err := parseInbound(msg, true)
	if err != nil {
		t.Fatal(err)
	}
	copy(msg[len(msg)-7:], "XXXXX")
	if string(in.Data) != `{"k":"v"}` {
		t.Fatalf("ParseInbound data changed with msg: %q", in.Data)
	}
	if string(aliased.Data) == `{"k":"v"}` {
		t.Fatalf("alias form copied data")
	}
}

func TestDecodeSubscribe(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		ok   bool
		want subscribeRequest
	}{
		{`{"auth":"","channel":"bench-0"}`, true, subscribeRequest{Channel: "bench-0"}},
		{`{"channel":"private-a","auth":"k:s","channel_data":"{\"user_id\":1}"}`, true,
			subscribeRequest{Channel: "private-a", Auth: "k:s", ChannelData: `{"user_id":1}`}},
		{`{"Channel":"a","channel":null}`, true, subscribeRequest{Channel: "a"}},
		{`{"channel":1}`, false, subscribeRequest{}},
		{`"x"`, false, subscribeRequest{}},
		{``, false, subscribeRequest{}},
	} {
		var req subscribeRequest
		ok := decodeSubscribe(json.RawMessage(tc.raw), &req)
		if ok != tc.ok || (ok && req != tc.want) {
			t.Fatalf("%q: got %+v %v, want %+v %v", tc.raw, req, ok, tc.want, tc.ok)
		}
	}
	var un unsubscribeRequest
	if !decodeUnsubscribe(json.RawMessage(`{"channel":"a"}`), &un) || un.Channel != "a" {
		t.Fatalf("unsubscribe: %+v", un)
	}
	if decodeUnsubscribe(json.RawMessage(`[1]`), &un) {
		t.Fatal("unsubscribe accepted an array")
	}
}

// FuzzInboundFastPath: the fast paths of ParseInbound and of subscribe's
// data decoding agree with encoding/json whenever they answer.
func FuzzInboundFastPath(f *testing.F) {
	for _, s := range inboundSamples {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		checkFastInbound(t, msg)
		if !json.Valid(msg) {
			return
		}
		var fast subscribeRequest
		if decodeStrings(msg, subscribeKeys, []*string{&fast.Channel, &fast.Auth, &fast.ChannelData}) {
			var want subscribeRequest
			if err := json.Unmarshal(msg, &want); err != nil || want != fast {
				t.Fatalf("%q: fast %+v, json %+v (%v)", msg, fast, want, err)
			}
		}
	})
}

func BenchmarkParseInbound(b *testing.B) {
	msg := []byte(`{"event":"pusher:subscribe","data":{"auth":"","channel":"bench-0"}}`)
	b.ReportAllocs()
	for range b.N {
		in, err := parseInbound(msg, true)
		if err != nil {
			b.Fatal(err)
		}
		var req subscribeRequest
		if !decodeSubscribe(in.Data, &req) {
			b.Fatal("subscribe")
		}
	}
}
