package httpapi

import (
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/y-l-g/websocket/go/hub"
)

func TestRequestValidation(t *testing.T) {
	big := strings.Repeat("x", 10*1024+1)
	cases := []struct {
		name   string
		method string
		path   string
		app    string // default "3"
		body   string
		status int
	}{
		{name: "100 channels", path: "/events", status: 200,
			body: `{"name":"e","data":"{}","channels":` + channelList(100) + `}`},
		{name: "101 channels", path: "/events", status: 400,
			body: `{"name":"e","data":"{}","channels":` + channelList(101) + `}`},
		{name: "no channel", path: "/events", status: 400, body: `{"name":"e","data":"{}"}`},
		{name: "channel and channels", path: "/events", status: 400,
			body: `{"name":"e","data":"{}","channel":"a","channels":["b"]}`},
		{name: "invalid channel name", path: "/events", status: 400, body: `{"name":"e","data":"{}","channel":"a b"}`},
		{name: "long channel name", path: "/events", status: 400,
			body: `{"name":"e","data":"{}","channel":"` + strings.Repeat("c", 201) + `"}`},
		{name: "server-to-user channel", path: "/events", status: 200,
			body: `{"name":"e","data":"{}","channel":"#server-to-user-42"}`},
		{name: "empty event name", path: "/events", status: 400, body: `{"name":"","data":"{}","channel":"a"}`},
		{name: "long event name", path: "/events", status: 400,
			body: `{"name":"` + strings.Repeat("e", 201) + `","data":"{}","channel":"a"}`},
		{name: "data not a string", path: "/events", status: 400, body: `{"name":"e","data":{"a":1},"channel":"a"}`},
		{name: "data missing", path: "/events", status: 400, body: `{"name":"e","channel":"a"}`},
		{name: "data null", path: "/events", status: 400, body: `{"name":"e","data":null,"channel":"a"}`},
		{name: "data at 10 KiB", path: "/events", status: 200,
			body: `{"name":"e","data":"` + big[1:] + `","channel":"a"}`},
		{name: "data above 10 KiB", path: "/events", status: 413,
			body: `{"name":"e","data":"` + big + `","channel":"a"}`},
		{name: "data above the app limit", path: "/events", app: "small", status: 413,
			body: `{"name":"e","data":"` + strings.Repeat("y", 17) + `","channel":"a"}`},
		{name: "body above MaxBodyBytes", path: "/events", status: 413,
			body: `{"name":"e","data":"` + strings.Repeat("z", 70<<10) + `","channel":"a"}`},
		{name: "invalid JSON", path: "/events", status: 400, body: `{"name":`},
		{name: "trailing JSON", path: "/events", status: 400, body: `{"name":"e","data":"","channel":"a"} {}`},
		{name: "bad socket_id", path: "/events", status: 400,
			body: `{"name":"e","data":"{}","channel":"a","socket_id":"abc"}`},
		{name: "unknown info attribute", path: "/events", status: 400,
			body: `{"name":"e","data":"{}","channel":"a","info":"bogus"}`},
		{name: "10 batch events", path: "/batch_events", status: 200, body: batchBody(10, "")},
		{name: "11 batch events", path: "/batch_events", status: 400, body: batchBody(11, "")},
		{name: "empty batch", path: "/batch_events", status: 400, body: `{"batch":[]}`},
		{name: "batch with channels", path: "/batch_events", status: 400,
			body: `{"batch":[{"name":"e","data":"{}","channels":["a"]}]}`},
		{name: "batch event too large", path: "/batch_events", status: 413,
			body: `{"batch":[{"name":"e","data":"{}","channel":"a"},{"name":"e","data":"` + big + `","channel":"b"}]}`},
		{name: "unknown app", path: "/events", app: "nope", status: 404, body: `{"name":"e","data":"{}","channel":"a"}`},
		{name: "disabled app", path: "/events", app: "off", status: 403, body: `{"name":"e","data":"{}","channel":"a"}`},
		{name: "unknown path", path: "/nothing", status: 404, body: `{}`},
		{name: "unknown channel subpath", method: "GET", path: "/channels/a/b", status: 404},
		{name: "GET on events", method: "GET", path: "/events", status: 405},
		{name: "POST on channels", path: "/channels", status: 405, body: `{}`},
		{name: "GET channel with invalid name", method: "GET", path: "/channels/a!b", status: 400},
		{name: "terminate invalid user id", path: "/users/a!b/terminate_connections", status: 400, body: `{}`},
	}
	secrets := map[string][2]string{"3": {vecKey, vecSecret}, "small": {"small-key", "small-secret"},
		"off": {"off-key", "off-secret"}, "nope": {vecKey, vecSecret}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newAPITest(t)
			method, app := tc.method, tc.app
			if method == "" {
				method = http.MethodPost
			}
			if app == "" {
				app = "3"
			}
			cred := secrets[app]
			code, out := a.do(signed(method, "/apps/"+app+tc.path, cred[0], cred[1], tc.body, nil, nil))
			if code != tc.status {
				t.Fatalf("status %d, want %d (%v)", code, tc.status, out)
			}
			if tc.status != 200 && len(a.b.published) > 0 {
				t.Fatalf("published despite the error: %+v", a.b.published)
			}
		})
	}
}

func TestPublishStatusMapping(t *testing.T) {
	want := map[hub.Status]int{
		hub.StatusOK: 200, hub.StatusHubMissing: 404, hub.StatusChannelTooLong: 400, hub.StatusEventTooLong: 400,
		hub.StatusPayloadTooLarge: 413, hub.StatusInvalidPayloadJSON: 400, hub.StatusBrokerFailed: 500,
		hub.StatusInvalidMultiJSON: 400, hub.StatusBrokerQueueFull: 503, hub.StatusShardQueueFull: 503,
	}
	for st, code := range want {
		t.Run(st.String(), func(t *testing.T) {
			a := newAPITest(t)
			a.b.status = st
			got, out := a.post("/events", `{"name":"e","data":"{}","channel":"a"}`)
			if got != code {
				t.Fatalf("status %d -> HTTP %d, want %d (%v)", st, got, code, out)
			}
		})
	}
}

func TestEventsFieldsAndInfo(t *testing.T) {
	a := newAPITest(t)
	a.b.chans["presence-room"] = hub.ChannelInfo{Name: "presence-room", Occupied: true, SubscriptionCount: 3, UserCount: 2}
	a.b.chans["news"] = hub.ChannelInfo{Name: "news", Occupied: true, SubscriptionCount: 5}
	code, out := a.post("/events", `{"name":"e","data":"d","channels":["presence-room","news"],`+
		`"socket_id":"12.34","info":"user_count,subscription_count"}`)
	if code != 200 {
		t.Fatalf("%d %v", code, out)
	}
	want := map[string]any{"channels": map[string]any{
		"presence-room": map[string]any{"user_count": 2.0, "subscription_count": 3.0},
		"news":          map[string]any{"subscription_count": 5.0},
	}}
	if !reflect.DeepEqual(out, want) {
		t.Fatalf("info %v", out)
	}
	if m := a.b.published[0]; m.ExceptSocketID != "12.34" || m.Data != "d" || len(m.Channels) != 2 {
		t.Fatalf("published %+v", m)
	}
}

func TestBatchInfoIsIndexAligned(t *testing.T) {
	a := newAPITest(t)
	a.b.chans["presence-a"] = hub.ChannelInfo{Name: "presence-a", Occupied: true, SubscriptionCount: 1, UserCount: 1}
	body := `{"batch":[{"name":"e","data":"1","channel":"presence-a","info":"user_count"},` +
		`{"name":"e","data":"2","channel":"b"},{"name":"e","data":"3","channel":"c","info":"subscription_count"}]}`
	code, out := a.post("/batch_events", body)
	if code != 200 {
		t.Fatalf("%d %v", code, out)
	}
	want := map[string]any{"batch": []any{
		map[string]any{"user_count": 1.0}, map[string]any{}, map[string]any{"subscription_count": 0.0},
	}}
	if !reflect.DeepEqual(out, want) {
		t.Fatalf("batch info %v", out)
	}
	if len(a.b.published) != 3 || a.b.published[2].Data != "3" {
		t.Fatalf("published %+v", a.b.published)
	}
	if code, out := a.post("/batch_events", batchBody(2, "")); code != 200 || len(out) != 0 {
		t.Fatalf("batch without info: %d %v", code, out)
	}
}

func TestChannelQueries(t *testing.T) {
	a := newAPITest(t)
	a.b.chans["presence-x"] = hub.ChannelInfo{Name: "presence-x", Occupied: true, SubscriptionCount: 4, UserCount: 3}
	a.b.chans["pub"] = hub.ChannelInfo{Name: "pub", Occupied: true, SubscriptionCount: 1}
	a.b.chans["cache-c"] = hub.ChannelInfo{Name: "cache-c", Occupied: false,
		Cache: &hub.CacheEntry{Event: "e", Data: "cached", TTL: 1500 * time.Millisecond}}
	a.b.users["presence-x"] = []string{"u1", "u2", "u3"}
	cases := []struct {
		name   string
		path   string
		params map[string]string
		status int
		want   string
	}{
		{name: "all channels", path: "/channels", status: 200,
			want: `map[channels:map[presence-x:map[] pub:map[]]]`},
		{name: "presence user_count", path: "/channels", params: map[string]string{"filter_by_prefix": "presence-", "info": "user_count"},
			status: 200, want: `map[channels:map[presence-x:map[user_count:3]]]`},
		{name: "user_count without presence prefix", path: "/channels", params: map[string]string{"info": "user_count"}, status: 400},
		{name: "subscription_count list", path: "/channels", params: map[string]string{"filter_by_prefix": "pu", "info": "subscription_count"},
			status: 200, want: `map[channels:map[pub:map[subscription_count:1]]]`},
		{name: "one presence channel", path: "/channels/presence-x", params: map[string]string{"info": "user_count,subscription_count"},
			status: 200, want: `map[occupied:true subscription_count:4 user_count:3]`},
		{name: "vacant channel", path: "/channels/empty", status: 200, want: `map[occupied:false]`},
		{name: "user_count on public channel", path: "/channels/pub", params: map[string]string{"info": "user_count"}, status: 400},
		{name: "cache", path: "/channels/cache-c", params: map[string]string{"info": "cache"},
			status: 200, want: `map[cache:map[data:cached ttl:2] occupied:false]`},
		{name: "cache on non-cache channel", path: "/channels/pub", params: map[string]string{"info": "cache"}, status: 400},
		{name: "users", path: "/channels/presence-x/users", status: 200, want: `map[users:[map[id:u1] map[id:u2] map[id:u3]]]`},
		{name: "users of a public channel", path: "/channels/pub/users", status: 400},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out := a.get(tc.path, tc.params)
			if code != tc.status {
				t.Fatalf("status %d, want %d (%v)", code, tc.status, out)
			}
			if tc.want != "" && fmt.Sprint(out) != tc.want {
				t.Fatalf("got %v, want %s", out, tc.want)
			}
		})
	}
}

func TestTerminateAndBackendErrors(t *testing.T) {
	a := newAPITest(t)
	if code, out := a.post("/users/user-1/terminate_connections", `{}`); code != 200 || len(out) != 0 {
		t.Fatalf("terminate: %d %v", code, out)
	}
	if len(a.b.terminated) != 1 || a.b.terminated[0] != "user-1" {
		t.Fatalf("terminated %v", a.b.terminated)
	}
	for err, code := range map[error]int{
		hub.ErrUnknownApp: 404, hub.ErrNotPresence: 400, hub.ErrClosed: 503,
		hub.ErrBrokerQueueFull: 503, errors.New("redis down"): 500,
	} {
		a.b.queryErr = fmt.Errorf("wrapped: %w", err)
		if got, out := a.get("/channels", nil); got != code {
			t.Errorf("%v -> %d, want %d (%v)", err, got, code, out)
		}
	}
}
