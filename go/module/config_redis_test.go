package pogows

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/caddyserver/caddy/v2"
)

// redisBlock is a minimal pogo_websocket block with Redis option lines.
func redisBlock(lines string) string {
	return "pogo_websocket {\n app_id a\n app_secret s\n" + lines + "\n}"
}

// TestCaddyfileRedisModes: redis_host takes one address (JSON "host", as
// before) or several (JSON "hosts"), with redis_cluster or
// redis_sentinel_master; resolution keeps them in order.
func TestCaddyfileRedisModes(t *testing.T) {
	cases := []struct {
		lines    string
		json     string // the "redis" object the adapter writes
		addrs    string
		cluster  bool
		sentinel string
	}{
		{"redis_host r:6379", `{"host":"r:6379"}`, "[r:6379]", false, ""},
		{"redis_host a:1 b:2 c:3\n redis_cluster", `{"hosts":["a:1","b:2","c:3"],"cluster":true}`, "[a:1 b:2 c:3]", true, ""},
		{"redis_host a:1\n redis_cluster on\n redis_db 0", `{"host":"a:1","cluster":true}`, "[a:1]", true, ""},
		{"redis_host a:1\n redis_cluster off", `{"host":"a:1"}`, "[a:1]", false, ""},
		{"redis_host s1:26379 s2:26379\n redis_sentinel_master main\n redis_db 2",
			`{"hosts":["s1:26379","s2:26379"],"sentinel_master":"main","db":2}`, "[s1:26379 s2:26379]", false, "main"},
	}
	for _, c := range cases {
		h, err := parse(t, redisBlock(c.lines))
		if err != nil {
			t.Fatalf("%q: %v", c.lines, err)
		}
		raw, _ := json.Marshal(h.Redis)
		if string(raw) != c.json {
			t.Errorf("%q: JSON %s, want %s", c.lines, raw, c.json)
		}
		s, err := h.resolve(caddy.NewReplacer())
		if err != nil {
			t.Fatalf("%q: %v", c.lines, err)
		}
		r := s.redis
		if got := fmt.Sprint(r.addrs()); got != c.addrs || r.Cluster != c.cluster || r.SentinelMaster != c.sentinel {
			t.Errorf("%q: resolved %s cluster=%t sentinel=%q", c.lines, got, r.Cluster, r.SentinelMaster)
		}
	}
}

// TestResolveRedisPlaceholders: every address takes placeholders; one
// that is empty afterwards is dropped, and none left means no Redis.
func TestResolveRedisPlaceholders(t *testing.T) {
	t.Setenv("POGO_TEST_SEED", "seed:7000")
	h := Handler{AppID: "a", AppSecret: "s", Redis: &RedisConfig{
		Hosts: []string{"{env.POGO_TEST_SEED}", "{env.POGO_TEST_UNSET_SEED}", "b:7001"}, Cluster: true}}
	s, err := h.resolve(caddy.NewReplacer())
	if err != nil || fmt.Sprint(s.redis.addrs()) != "[seed:7000 b:7001]" {
		t.Fatalf("resolved %+v %v", s.redis, err)
	}
	if h.Redis.Hosts[0] != "{env.POGO_TEST_SEED}" {
		t.Fatal("resolve changed the handler's config")
	}
	h.Redis.Hosts = []string{"{env.POGO_TEST_UNSET_SEED}"}
	if s, err := h.resolve(caddy.NewReplacer()); err != nil || s.redis != nil {
		t.Fatalf("no address left: %+v %v", s.redis, err)
	}
}

// TestInstanceKeyRedisMode: a different Redis mode or seed list is a
// different hub.
func TestInstanceKeyRedisMode(t *testing.T) {
	keys := map[string]bool{}
	for _, r := range []RedisConfig{
		{Host: "a:1"}, {Host: "a:1", Cluster: true}, {Host: "a:1", SentinelMaster: "m"},
		{Hosts: []string{"a:1", "b:2"}, Cluster: true},
	} {
		k := instanceKey(&settings{redis: &r})
		if keys[k] {
			t.Errorf("%+v shares key %s", r, k)
		}
		keys[k] = true
		if !strings.Contains(k, "a:1") {
			t.Errorf("key %s lacks the address", k)
		}
	}
}
