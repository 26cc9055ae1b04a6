package httpapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

var fuzzMethods = []string{http.MethodPost, http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, "PATCH", "BREW"}

// FuzzRequest drives the whole request validator: routing, method check,
// signature, body size, JSON decoding and the per-event limits. With sign
// set the request is signed correctly (so validation beyond the signature
// is reached); tamper then changes one signed thing after signing. The
// invariants: no panic; every answer is JSON with a known status and an
// "error" member unless 200; an unsigned or tampered request is never 200;
// and whatever is published respects every limit of the app.
func FuzzRequest(f *testing.F) {
	f.Add(uint8(0), "events", `{"name":"e","channel":"c","data":"{}"}`, "", true, uint8(0))
	f.Add(uint8(0), "events", vecBody, "info=user_count", true, uint8(0))
	f.Add(uint8(0), "batch_events", batchBody(10, ""), "", true, uint8(0))
	f.Add(uint8(0), "batch_events", `{"batch":[{"name":"e","data":1,"channel":"c"}]}`, "", true, uint8(2))
	f.Add(uint8(1), "channels", "", "filter_by_prefix=presence-&info=user_count", true, uint8(0))
	f.Add(uint8(1), "channels/presence-x/users", "", "", true, uint8(1))
	f.Add(uint8(0), "users/u1/terminate_connections", "{}", "", false, uint8(0))
	f.Add(uint8(2), "events", "", "", true, uint8(0))
	f.Add(uint8(0), "events", `{"name":"e","channels":["a","b"],"data":"x","socket_id":"1.2"}`, "auth_timestamp=1", true, uint8(3))
	f.Add(uint8(0), "events", "\xff\xfe{", "a=%zz", true, uint8(0))
	f.Fuzz(func(t *testing.T, m uint8, tail, body, query string, sign bool, tamper uint8) {
		a := newAPITest(t)
		method := fuzzMethods[int(m)%len(fuzzMethods)]
		path := "/apps/3/" + tail
		if !utf8.ValidString(path) {
			return // net/http never hands the handler such a path
		}
		params := map[string]string{}
		if q, err := url.ParseQuery(query); err == nil {
			for k, vs := range q {
				params[k] = vs[0]
			}
		}
		if sign {
			params["auth_key"], params["auth_version"] = vecKey, "1.0"
			params["auth_timestamp"] = "1353088179"
			if body != "" {
				params["body_md5"] = BodyMD5([]byte(body))
			}
			params["auth_signature"] = Sign(vecSecret, method, path, params)
		}
		tampered := sign && tamper%4 != 0
		switch tamper % 4 {
		case 1:
			params["auth_timestamp"] = "1353088180"
		case 2:
			body += " "
		case 3:
			path = "/apps/3/x" + tail
		}
		q := url.Values{}
		for k, v := range params {
			q.Set(k, v)
		}
		req := httptest.NewRequest(method, "http://api.test/", strings.NewReader(body))
		req.URL.Path, req.URL.RawQuery = path, q.Encode()
		rec := httptest.NewRecorder()
		a.h.ServeHTTP(rec, req)
		checkAnswer(t, rec, sign && !tampered)
		checkPublished(t, a.b)
	})
}

// checkAnswer asserts the shape of a response.
func checkAnswer(t *testing.T, rec *httptest.ResponseRecorder, signed bool) {
	t.Helper()
	switch rec.Code {
	case 200, 400, 401, 403, 404, 405, 413:
	default:
		t.Fatalf("unexpected status %d: %s", rec.Code, rec.Body)
	}
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("response is not a JSON object: %q", rec.Body)
	}
	if rec.Code != 200 {
		if msg, ok := out["error"].(string); !ok || msg == "" {
			t.Fatalf("error without message: %s", rec.Body)
		}
	} else if !signed {
		t.Fatalf("unsigned or tampered request answered 200: %s", rec.Body)
	}
}

// checkPublished asserts that every published message respects the limits.
func checkPublished(t *testing.T, b *fakeBackend) {
	t.Helper()
	lim := pusher.DefaultLimits
	for _, m := range b.published {
		if len(m.Channels) == 0 || len(m.Channels) > lim.MaxChannelsPerPublish {
			t.Fatalf("published to %d channels", len(m.Channels))
		}
		for _, c := range m.Channels {
			if !pusher.ValidChannelName(c, lim.MaxChannelNameLength) {
				t.Fatalf("published to invalid channel %q", c)
			}
		}
		if m.Event == "" || len(m.Event) > lim.MaxEventNameLength || len(m.Data) > lim.MaxPayloadBytes {
			t.Fatalf("published event %q with %d bytes", m.Event, len(m.Data))
		}
		if m.ExceptSocketID != "" && !socketIDPattern.MatchString(m.ExceptSocketID) {
			t.Fatalf("published with socket id %q", m.ExceptSocketID)
		}
	}
	if len(b.published) > lim.MaxBatchEvents {
		t.Fatalf("one request published %d events", len(b.published))
	}
}
