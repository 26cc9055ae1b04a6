package pogows

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/caddyserver/caddy/v2"
)

func TestIntegrationReloadKeepsConnections(t *testing.T) {
	ts := startCaddy(t, basicApp)
	c := ts.mustDial("app1")
	c.send(`{"event":"pusher:subscribe","data":{"channel":"news"}}`)
	if ev := c.read(); ev.Event != "pusher_internal:subscription_succeeded" {
		t.Fatalf("subscribe: %+v", ev)
	}
	// Reload with changed handler options (origins, rate, timeouts) and a
	// rotated secret: same hub identity, the connection must survive.
	ts.load(`pogo_websocket {
			app_id app1
			app_secret secret2
			allowed_origins https://other.example.com
			handshake_rate 500
			ping_period 30s
			webhook_grace 1s
			webhook_retry_for 1m
		}`)
	c.send(`{"event":"pusher:ping","data":{}}`)
	if ev := c.read(); ev.Event != "pusher:pong" {
		t.Fatalf("after reload: %+v", ev)
	}
	inst := onlyInstance(t)
	if a, _ := inst.apps.ByID("app1"); a.Secret != "secret2" {
		t.Fatalf("reload did not swap the app config: secret %q", a.Secret)
	}
	if ws := inst.apps.webhookSettings(); ws.grace != time.Second || ws.retryFor != time.Minute {
		t.Fatalf("reload did not swap the webhook settings: %+v", ws)
	}
	if st := inst.hub.Stats("app1"); st.Connections != 1 || st.Subscriptions != 1 {
		t.Fatalf("stats after reload: %+v", st)
	}
	// A second reload, then a new connection works too.
	ts.load(basicApp)
	ts.mustDial("app1")
	c.send(`{"event":"pusher:ping","data":{}}`)
	if ev := c.read(); ev.Event != "pusher:pong" {
		t.Fatalf("after second reload: %+v", ev)
	}
}

func TestIntegrationFailedReloadKeepsRunningConfig(t *testing.T) {
	ts := startCaddy(t, basicApp)
	c := ts.mustDial("app1")
	if err := loadErr(t, "pogo_websocket {\n app_id app1\n app_secret x\n auth_worker w\n}"); err == nil {
		t.Fatal("auth_worker without a PHP build should fail to load")
	}
	c.send(`{"event":"pusher:ping","data":{}}`)
	if ev := c.read(); ev.Event != "pusher:pong" {
		t.Fatalf("after failed reload: %+v", ev)
	}
	if a, _ := onlyInstance(t).apps.ByID("app1"); a.Secret != "secret1" {
		t.Fatalf("failed reload leaked its config: %q", a.Secret)
	}
}

func TestIntegrationIdentityChangeAndStop(t *testing.T) {
	ts := startCaddy(t, basicApp)
	c := ts.mustDial("app1")
	// A new app set is a new hub: the old one is shut down, clients get 4200.
	ts.load(`pogo_websocket {
			app_id app1
			app_secret secret1
			app second {
				secret s2
			}
		}`)
	if code := c.readUntilClose(); code != 4200 {
		t.Fatalf("identity change close code %d, want 4200", code)
	}
	d := ts.mustDial("second")
	if err := caddy.Stop(); err != nil {
		t.Fatal(err)
	}
	if code := d.readUntilClose(); code != 4200 {
		t.Fatalf("stop close code %d, want 4200", code)
	}
	eventually(t, "hub released", func() bool { return countInstances() == 0 })
}

func TestIntegrationAdminStatsAndMetrics(t *testing.T) {
	ts := startCaddy(t, basicApp)
	c := ts.mustDial("app1")
	c.send(`{"event":"pusher:subscribe","data":{"channel":"a"}}`)
	c.read()
	code, body := get(t, ts.adminURL("/pogo_websocket/stats"))
	if code != 200 {
		t.Fatalf("stats: %d %s", code, body)
	}
	var st StatsJSON
	if err := json.Unmarshal([]byte(body), &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Hubs) != 1 || st.Hubs[0].Apps["app1"] != (AppStatsJSON{Connections: 1, Channels: 1, Subscriptions: 1}) {
		t.Fatalf("stats: %s", body)
	}
	_, _, _ = ts.dial("app1", map[string][]string{"Origin": {"https://evil.test"}})
	code, body = get(t, ts.adminURL("/metrics"))
	if code != 200 {
		t.Fatalf("metrics: %d", code)
	}
	for _, want := range []string{`pogo_connections{app="app1"}`, `pogo_connections_opened_total{app="app1"}`,
		`pogo_handshake_rejections_total{reason="origin"}`, `pogo_messages_received_total{app="app1"}`, "pogo_broker_queue_depth"} {
		if !contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	ts.load(basicApp) // metrics must survive a reload without duplicate registration
	if code, body = get(t, ts.adminURL("/metrics")); code != 200 || !contains(body, `pogo_connections{app="app1"}`) {
		t.Fatalf("metrics after reload: %d", code)
	}
}

func onlyInstance(t *testing.T) *instance {
	t.Helper()
	var out []*instance
	instances.Range(func(_, v any) bool {
		out = append(out, v.(*instance))
		return true
	})
	if len(out) != 1 {
		t.Fatalf("%d hub instances, want 1", len(out))
	}
	return out[0]
}

func countInstances() int {
	n := 0
	instances.Range(func(_, _ any) bool { n++; return true })
	return n
}

func TestIntegrationReloadWithManyConnections(t *testing.T) {
	ts := startCaddy(t, `pogo_websocket {
			app_id app1
			app_secret secret1
			handshake_rate off
		}`)
	clients := make([]*wsClient, 50)
	for i := range clients {
		clients[i] = ts.mustDial("app1")
	}
	for range 3 {
		ts.load(`pogo_websocket {
			app_id app1
			app_secret secret1
			handshake_rate off
			write_wait 5s
		}`)
	}
	for i, c := range clients {
		c.send(`{"event":"pusher:ping","data":{}}`)
		if ev := c.read(); ev.Event != "pusher:pong" {
			t.Fatalf("client %d after reloads: %+v", i, ev)
		}
	}
	if n := onlyInstance(t).hub.Stats("app1").Connections; n != 50 {
		t.Fatalf("connections after reloads: %d", n)
	}
}
