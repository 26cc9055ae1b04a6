package naive

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/y-l-g/websocket/bench/sign"
)

func newTestServer(t *testing.T, opts Options) *httptest.Server {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return ts
}

var app = sign.App{ID: "a", Key: "k", Secret: "s"}

func TestNewRequiresApp(t *testing.T) {
	if _, err := New(Options{App: sign.App{ID: "a"}}); err == nil {
		t.Fatal("an app without key and secret must be refused")
	}
	if _, err := New(Options{App: app, MaxConnections: -1}); err == nil {
		t.Fatal("a negative connection limit must be refused")
	}
}

func TestPublishChecksAppSignatureAndBody(t *testing.T) {
	ts := newTestServer(t, Options{App: app})
	post := func(path, body string, a sign.App) int {
		q := sign.Query(a, "POST", path, []byte(body), 1)
		resp, err := http.Post(ts.URL+path+"?"+q, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := post("/apps/a/events", `{"name":"e","channel":"c","data":"x"}`, app); c != 200 {
		t.Fatalf("good publish: %d", c)
	}
	if c := post("/apps/b/events", `{"name":"e","channel":"c","data":"x"}`, app); c != 404 {
		t.Fatalf("unknown app: %d", c)
	}
	if c := post("/apps/a/events", `{"name":"e","channel":"c","data":"x"}`, sign.App{ID: "a", Key: "k", Secret: "bad"}); c != 401 {
		t.Fatalf("bad signature: %d", c)
	}
	if c := post("/apps/a/events", `not json`, app); c != 400 {
		t.Fatalf("bad body: %d", c)
	}
}

func TestUpgradeRefusesUnknownKey(t *testing.T) {
	ts := newTestServer(t, Options{App: app})
	resp, err := http.Get(ts.URL + "/app/nope")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown key: %d", resp.StatusCode)
	}
}

func TestSocketIDShape(t *testing.T) {
	id := socketID()
	a, b, ok := strings.Cut(id, ".")
	if !ok || a == "" || b == "" || strings.Trim(a+b, "0123456789") != "" {
		t.Fatalf("socket id %q", id)
	}
}
