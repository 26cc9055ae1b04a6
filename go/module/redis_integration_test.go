package pogows

import (
	"fmt"
	"strings"
	"testing"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig"

	"github.com/y-l-g/websocket/go/hub/redis/redistest"
)

// Two sites whose hubs differ by num_shards are two Redis nodes in one
// process: a message published through one node's HTTP API reaches a
// client of the other node, and presence is shared.
func TestIntegrationRedisTwoNodes(t *testing.T) {
	srv := redistest.Start(t)
	a, b := &testServer{t: t, port: freePort(t)}, &testServer{t: t, port: freePort(t)}
	site := func(port, shards int) string {
		return fmt.Sprintf(`http://127.0.0.1:%d {
	bind 127.0.0.1
	route {
		pogo_websocket {
			app_id app1
			app_key key1
			app_secret secret1
			num_shards %d
			redis_host %s
		}
		respond "next"
	}
}
`, port, shards, srv.Addr())
	}
	cf := "{\n admin off\n persist_config off\n auto_https off\n}\n" + site(a.port, 4) + site(b.port, 8)
	cfg, _, err := caddyconfig.GetAdapter("caddyfile").Adapt([]byte(cf), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := caddy.Load(cfg, true); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = caddy.Stop() })
	if n := countInstances(); n != 2 {
		t.Fatalf("%d hubs, want 2", n)
	}
	c := a.mustDial("key1")
	c.send(`{"event":"pusher:subscribe","data":{"channel":"orders"}}`)
	if ev := c.read(); ev.Event != "pusher_internal:subscription_succeeded" {
		t.Fatalf("subscribe: %+v", ev)
	}
	// The subscription may take a moment to be known cluster-wide and the
	// node's Redis subscription to come up: publish until it arrives.
	got := make(chan wireEvent, 1)
	go func() { got <- c.read() }()
	eventually(t, "cross-node delivery", func() bool {
		if code := signedPost(t, b, "key1", "secret1", "/apps/app1/events",
			`{"name":"created","channel":"orders","data":"{}"}`); code != 200 && code != 500 && code != 503 {
			t.Fatalf("publish status %d", code)
		}
		select {
		case ev := <-got:
			if ev.Event != "created" {
				t.Fatalf("delivered %+v", ev)
			}
			return true
		default:
			return false
		}
	})
	code, body := get(t, b.url("/x"))
	if code != 200 || !strings.Contains(body, "next") {
		t.Fatalf("fall through on node b: %d %q", code, body)
	}
}
