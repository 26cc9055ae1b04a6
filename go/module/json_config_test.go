package pogows

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig"
)

func TestDirectiveOrderBeforeFileServer(t *testing.T) {
	cf := `http://127.0.0.1:1 {
	file_server
	pogo_websocket {
		app_id a
		app_secret s
	}
}`
	cfg, _, err := caddyconfig.GetAdapter("caddyfile").Adapt([]byte(cf), nil)
	if err != nil {
		t.Fatal(err)
	}
	js := string(cfg)
	p, f := strings.Index(js, `"handler":"pogo_websocket"`), strings.Index(js, `"handler":"file_server"`)
	if p < 0 || f < 0 || p > f {
		t.Fatalf("pogo_websocket must come before file_server:\n%s", js)
	}
}

func TestNativeJSONConfig(t *testing.T) {
	t.Setenv("POGO_JSON_SECRET", "json-secret")
	var port int
	config := func() []byte {
		port = freePort(t)
		return []byte(fmt.Sprintf(`{
  "admin": {"disabled": true, "config": {"persist": false}},
  "apps": {"http": {"servers": {"s": {
    "listen": ["127.0.0.1:%d"],
    "automatic_https": {"disable": true},
    "routes": [{"handle": [
      {"handler": "pogo_websocket",
       "apps": [{"id": "j1", "key": "jk", "secret": "{env.POGO_JSON_SECRET}", "client_events": false,
                 "limits": {"max_payload": 2048}}],
       "limits": {"max_event_name": 50},
       "handshake_rate": -1,
       "shutdown_timeout": "2s"},
      {"handler": "static_response", "body": "next"}
    ]}]
  }}}}
}`, port))
	}
	loadRetry(t, config)
	ts := &testServer{t: t, port: port}
	ts.mustDial("jk")
	a, ok := onlyInstance(t).apps.ByKey("jk")
	if !ok || a.Secret != "json-secret" || a.ClientEvents || a.Limits.MaxPayloadBytes != 2048 || a.Limits.MaxEventNameLength != 50 {
		t.Fatalf("app from JSON: %+v", a)
	}
	if code, body := get(t, ts.url("/x")); code != 200 || body != "next" {
		t.Fatalf("fall through: %d %q", code, body)
	}
}

func TestInvalidConfigFailsAtLoad(t *testing.T) {
	cases := map[string]string{
		"pogo_websocket {\n app_id a\n}":                                          "app_secret",
		"pogo_websocket {\n app_id a\n app_secret s\n ping_period 2m\n}":          "ping_period",
		"pogo_websocket {\n app_id a\n app_secret s\n allowed_origins ftp://x\n}": "allowed_origins",
		"pogo_websocket {\n app_id a\n app_secret s\n handshake_burst x\n}":       "handshake_burst",
		"pogo_websocket {\n app_id a\n app_secret s\n redis_host nohostport\n}":   "redis_host",
	}
	for input, want := range cases {
		err := loadErr(t, input)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want mention of %s", input, err, want)
		}
	}
	_ = caddy.Stop()
}

func TestCaddyfileEnvSubstitution(t *testing.T) {
	t.Setenv("POGO_T_SECRET", "native-env-secret")
	cf := "http://127.0.0.1:1 {\n pogo_websocket {\n  app_id a\n  app_secret {$POGO_T_SECRET}\n }\n}"
	cfg, _, err := caddyconfig.GetAdapter("caddyfile").Adapt([]byte(cf), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cfg), `"app_secret":"native-env-secret"`) {
		t.Fatalf("{$VAR} not substituted: %s", cfg)
	}
	cf = "http://127.0.0.1:1 {\n pogo_websocket {\n  app_id a\n  app_secret {$POGO_T_UNSET_SECRET}\n }\n}"
	if _, _, err := caddyconfig.GetAdapter("caddyfile").Adapt([]byte(cf), nil); err == nil || !strings.Contains(err.Error(), "app_secret") {
		t.Fatalf("unset {$VAR}: %v", err)
	}
}

func TestIntegrationDisabledApp(t *testing.T) {
	ts := startCaddy(t, `pogo_websocket {
			app_id live
			app_secret s
			app off {
				secret s2
				disabled
			}
		}`)
	ts.mustDial("live")
	c, _, err := ts.dial("off", nil)
	if err != nil {
		t.Fatal(err)
	}
	if code := c.readUntilClose(); code != 4003 {
		t.Fatalf("disabled app close code %d, want 4003", code)
	}
}

// TestCaddyfileJSONRoundTrip checks that what the Caddyfile sets survives
// the adapter's JSON encoding (every option has a JSON field).
func TestCaddyfileJSONRoundTrip(t *testing.T) {
	h, err := parse(t, seedBlock+"\n")
	if err != nil {
		t.Fatal(err)
	}
	h.Apps = []AppConfig{{ID: "x", Secret: "y", Limits: &Limits{CacheTTL: caddy.Duration(time.Minute)}}}
	h.UserAuthPath, h.AuthWorker, h.WebhookURLs = "/u", "", []string{"http://127.0.0.1:1/h"}
	raw, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	var back Handler
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(&back)
	if string(raw) != string(again) {
		t.Fatalf("round trip differs:\n%s\n%s", raw, again)
	}
	for _, key := range []string{`"app_id"`, `"handshake_burst"`, `"redis":{"host"`, `"num_shards"`, `"cache_ttl"`, `"webhook_urls"`} {
		if !strings.Contains(string(raw), key) {
			t.Errorf("JSON lacks %s: %s", key, raw)
		}
	}
}
