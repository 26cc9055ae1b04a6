package httpapi

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestOfficialSigningVector(t *testing.T) {
	if got := BodyMD5([]byte(vecBody)); got != vecMD5 {
		t.Fatalf("body_md5 %s", got)
	}
	params := map[string]string{"auth_key": vecKey, "auth_timestamp": "1353088179", "auth_version": "1.0", "body_md5": vecMD5}
	if got := Sign(vecSecret, "POST", "/apps/3/events", params); got != vecSig {
		t.Fatalf("signature %s, want %s", got, vecSig)
	}
	a := newAPITest(t)
	req := httptest.NewRequest(http.MethodPost, "/apps/3/events?auth_key="+vecKey+
		"&auth_timestamp=1353088179&auth_version=1.0&body_md5="+vecMD5+"&auth_signature="+vecSig, stringsReader(vecBody))
	code, body := a.do(req)
	if code != http.StatusOK || len(body) != 0 {
		t.Fatalf("vector request: %d %v", code, body)
	}
	m := a.b.published[0]
	if m.AppID != "3" || m.Event != "foo" || m.Data != `{"some":"data"}` || len(m.Channels) != 1 || m.Channels[0] != "project-3" {
		t.Fatalf("published %+v", m)
	}
}

func TestAuthFailures(t *testing.T) {
	body := `{"name":"e","data":"{}","channel":"c"}`
	cases := []struct {
		name   string
		req    *http.Request
		status int
	}{
		{name: "bad signature", status: 401,
			req: signed("POST", "/apps/3/events", vecKey, "wrong", body, nil, nil)},
		{name: "stale timestamp", status: 401,
			req: signed("POST", "/apps/3/events", vecKey, vecSecret, body, map[string]string{"auth_timestamp": "1353087578"}, nil)},
		{name: "future timestamp", status: 401,
			req: signed("POST", "/apps/3/events", vecKey, vecSecret, body, map[string]string{"auth_timestamp": "1353088780"}, nil)},
		{name: "timestamp at the window edge", status: 200,
			req: signed("POST", "/apps/3/events", vecKey, vecSecret, body, map[string]string{"auth_timestamp": "1353087579"}, nil)},
		{name: "non-numeric timestamp", status: 401,
			req: signed("POST", "/apps/3/events", vecKey, vecSecret, body, map[string]string{"auth_timestamp": "soon"}, nil)},
		{name: "wrong body_md5", status: 401,
			req: signed("POST", "/apps/3/events", vecKey, vecSecret, body, map[string]string{"body_md5": vecMD5}, nil)},
		{name: "missing body_md5", status: 401,
			req: signed("POST", "/apps/3/events", vecKey, vecSecret, body, nil, func(p map[string]string) { delete(p, "body_md5") })},
		{name: "wrong auth_key", status: 401,
			req: signed("POST", "/apps/3/events", "off-key", vecSecret, body, nil, nil)},
		{name: "auth_version 2.0", status: 401,
			req: signed("POST", "/apps/3/events", vecKey, vecSecret, body, map[string]string{"auth_version": "2.0"}, nil)},
		{name: "no auth parameters", status: 401,
			req: httptest.NewRequest("POST", "/apps/3/events", stringsReader(body))},
		{name: "altered query", status: 401,
			req: signed("GET", "/apps/3/channels", vecKey, vecSecret, "", map[string]string{"filter_by_prefix": "a"},
				func(p map[string]string) { p["filter_by_prefix"] = "b" })},
		{name: "uppercase signature hex", status: 200,
			req: signed("GET", "/apps/3/channels", vecKey, vecSecret, "", nil,
				func(p map[string]string) { p["auth_signature"] = upper(p["auth_signature"]) })},
		{name: "duplicate parameter", status: 400,
			req: httptest.NewRequest("GET", "/apps/3/channels?info=a&info=b", nil)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newAPITest(t)
			if code, out := a.do(tc.req); code != tc.status {
				t.Fatalf("status %d, want %d (%v)", code, tc.status, out)
			}
		})
	}
}

func TestSignedPathIncludesMountPrefix(t *testing.T) {
	a := newAPITest(t)
	body := `{"name":"e","data":"x","channel":"c"}`
	if code, out := a.do(signed("POST", "/pusher/apps/3/events", vecKey, vecSecret, body, nil, nil)); code != 200 {
		t.Fatalf("prefixed path: %d %v", code, out)
	}
	req := signed("POST", "/apps/3/events", vecKey, vecSecret, body, nil, nil)
	req.URL.Path = "/pusher/apps/3/events" // signed without the prefix
	if code, _ := a.do(req); code != 401 {
		t.Fatalf("signature over another path accepted: %d", code)
	}
}
