package pogows

import (
	"net/http"
	"testing"
)

const basicApp = `pogo_websocket {
			app_id app1
			app_secret secret1
			allowed_origins https://*.example.com
		}`

func TestIntegrationConnectAndFallThrough(t *testing.T) {
	ts := startCaddy(t, basicApp)
	c := ts.mustDial("app1")
	c.send(`{"event":"pusher:ping","data":{}}`)
	if ev := c.read(); ev.Event != "pusher:pong" {
		t.Fatalf("ping answer: %+v", ev)
	}
	if code, body := get(t, ts.url("/somewhere")); code != 200 || body != "next" {
		t.Fatalf("fall through: %d %q", code, body)
	}
	if code, body := get(t, ts.url("/app/unknown-key")); code != 200 || body != "next" {
		t.Fatalf("non-upgrade GET of an unknown key should fall through: %d %q", code, body)
	}
	if code, body := get(t, ts.url("/pogo/auth")); code != 200 || body != "next" {
		t.Fatalf("auth path without dispatcher should fall through: %d %q", code, body)
	}
	// A wsPath prefix in front of /app/{key} works too.
	p, _, err := ts.dialPath("/ws/app/app1")
	if err != nil {
		t.Fatal(err)
	}
	if ev := p.read(); ev.Event != "pusher:connection_established" {
		t.Fatalf("prefixed path: %+v", ev)
	}
	// An unknown key is upgraded and refused with 4001, as Pusher does.
	u, _, err := ts.dial("nope", nil)
	if err != nil {
		t.Fatal(err)
	}
	if code := u.readUntilClose(); code != 4001 {
		t.Fatalf("unknown app close code %d", code)
	}
}

func TestIntegrationOrigins(t *testing.T) {
	ts := startCaddy(t, basicApp)
	cases := []struct {
		origin string
		ok     bool
	}{
		{"", true},
		{"http://127.0.0.1:" + itoa(ts.port), true},
		{"https://app.example.com", true},
		{"https://evil.test", false},
		{"https://example.com", false},
	}
	for _, c := range cases {
		hdr := http.Header{}
		if c.origin != "" {
			hdr.Set("Origin", c.origin)
		}
		_, status, err := ts.dial("app1", hdr)
		if c.ok && err != nil {
			t.Errorf("origin %q refused: %v", c.origin, err)
		}
		if !c.ok && status != http.StatusForbidden {
			t.Errorf("origin %q: status %d (%v), want 403", c.origin, status, err)
		}
	}
}

func TestIntegrationHandshakeRateLimit(t *testing.T) {
	ts := startCaddy(t, `pogo_websocket {
			app_id app1
			app_secret secret1
			handshake_rate 0.001
			handshake_burst 2
		}`)
	for i := range 2 {
		if _, _, err := ts.dial("app1", nil); err != nil {
			t.Fatalf("handshake %d: %v", i, err)
		}
	}
	_, status, _ := ts.dial("app1", nil)
	if status != http.StatusTooManyRequests {
		t.Fatalf("3rd handshake status %d, want 429", status)
	}
}

func TestIntegrationMaxConnections(t *testing.T) {
	ts := startCaddy(t, `pogo_websocket {
			app_id app1
			app_secret secret1
			max_connections 1
		}`)
	ts.mustDial("app1")
	c, _, err := ts.dial("app1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if code := c.readUntilClose(); code != 4100 {
		t.Fatalf("over capacity close code %d, want 4100", code)
	}
}
