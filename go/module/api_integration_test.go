package pogows

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/y-l-g/websocket/go/hub/httpapi"
)

// signedPost sends a signed HTTP API POST and returns the status.
func signedPost(t *testing.T, ts *testServer, key, secret, path, body string) int {
	t.Helper()
	params := map[string]string{
		"auth_key": key, "auth_timestamp": strconv.FormatInt(time.Now().Unix(), 10),
		"auth_version": "1.0", "body_md5": httpapi.BodyMD5([]byte(body)),
	}
	params["auth_signature"] = httpapi.Sign(secret, "POST", path, params)
	q := url.Values{}
	for k, v := range params {
		q.Set(k, v)
	}
	resp, err := http.Post(ts.url(path)+"?"+q.Encode(), "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestIntegrationHTTPAPIPublish(t *testing.T) {
	ts := startCaddy(t, `pogo_websocket {
			app_id app1
			app_key key1
			app_secret secret1
		}`)
	c := ts.mustDial("key1")
	c.send(`{"event":"pusher:subscribe","data":{"channel":"orders"}}`)
	c.read()
	body := `{"name":"created","channel":"orders","data":"{\"id\":1}"}`
	if code := signedPost(t, ts, "key1", "secret1", "/apps/app1/events", body); code != 200 {
		t.Fatalf("publish status %d", code)
	}
	if ev := c.read(); ev.Event != "created" || ev.Channel != "orders" || ev.Data != `{"id":1}` {
		t.Fatalf("delivered: %+v", ev)
	}
	if code := signedPost(t, ts, "key1", "wrong", "/apps/app1/events", body); code != http.StatusUnauthorized {
		t.Fatalf("bad signature status %d", code)
	}
	// A path prefix (the SDKs' path option) is part of the signed path.
	body2 := `{"name":"prefixed","channel":"orders","data":"{}"}`
	if code := signedPost(t, ts, "key1", "secret1", "/api/apps/app1/events", body2); code != 200 {
		t.Fatalf("prefixed publish status %d", code)
	}
	if ev := c.read(); ev.Event != "prefixed" {
		t.Fatalf("prefixed delivery: %+v", ev)
	}
	// Unknown app ids are not ours: they fall through to the next handler.
	if code, b := get(t, ts.url("/apps/other/channels")); code != 200 || b != "next" {
		t.Fatalf("unknown app id: %d %q", code, b)
	}
}

// signedGet sends a signed HTTP API GET and returns status and body.
func signedGet(t *testing.T, ts *testServer, key, secret, path string) (int, string) {
	t.Helper()
	params := map[string]string{
		"auth_key": key, "auth_timestamp": strconv.FormatInt(time.Now().Unix(), 10), "auth_version": "1.0",
	}
	params["auth_signature"] = httpapi.Sign(secret, "GET", path, params)
	q := url.Values{}
	for k, v := range params {
		q.Set(k, v)
	}
	return get(t, ts.url(path)+"?"+q.Encode())
}
