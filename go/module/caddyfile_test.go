package pogows

import (
	"strings"
	"testing"
	"time"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
)

func parse(t *testing.T, input string) (*Handler, error) {
	t.Helper()
	h := new(Handler)
	err := h.UnmarshalCaddyfile(caddyfile.NewTestDispenser(input))
	return h, err
}

// seedBlock is the seed's Caddyfile block with the environment already substituted.
const seedBlock = `pogo_websocket {
	app_id pogo-app
	app_secret s3cret
	auth_path /pogo/auth
	auth_script public/websocket-worker.php
	webhook_secret whsecret
	allowed_origins https://app.example.com https://admin.example.com

	handshake_rate 100
	handshake_burst 50
	max_connections 10000
	max_auth_body 16384
	max_concurrent_auth 100
	broker_queue_size 1024
	shard_queue_size 1024

	num_workers 2
	num_shards 8

	ping_period 54s
	pong_wait 60s
	write_wait 10s
	shutdown_timeout 10s

	redis_host redis:6379
	redis_password pw
	redis_db 3
	redis_tls true
}`

func TestCaddyfileSeedOptions(t *testing.T) {
	h, err := parse(t, seedBlock)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"app_id", h.AppID, "pogo-app"},
		{"app_secret", h.AppSecret, "s3cret"},
		{"auth_path", h.AuthPath, "/pogo/auth"},
		{"auth_script", h.AuthScript, "public/websocket-worker.php"},
		{"webhook_secret", h.WebhookSecret, "whsecret"},
		{"allowed_origins", strings.Join(h.AllowedOrigins, " "), "https://app.example.com https://admin.example.com"},
		{"handshake_rate", h.HandshakeRate, 100.0},
		{"handshake_burst", h.HandshakeBurst, 50},
		{"max_connections", h.MaxConnections, 10000},
		{"max_auth_body", h.MaxAuthBody, int64(16384)},
		{"max_concurrent_auth", h.MaxConcurrentAuth, 100},
		{"broker_queue_size", h.BrokerQueueSize, 1024},
		{"shard_queue_size", h.ShardQueueSize, 1024},
		{"num_workers", h.NumWorkers, 2},
		{"num_shards", h.NumShards, 8},
		{"ping_period", h.PingPeriod, caddy.Duration(54 * time.Second)},
		{"pong_wait", h.PongWait, caddy.Duration(60 * time.Second)},
		{"write_wait", h.WriteWait, caddy.Duration(10 * time.Second)},
		{"shutdown_timeout", h.ShutdownTimeout, caddy.Duration(10 * time.Second)},
		{"redis_host", h.Redis.Host, "redis:6379"},
		{"redis_password", h.Redis.Password, "pw"},
		{"redis_db", h.Redis.DB, 3},
		{"redis_tls", h.Redis.TLS, true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if err := h.check(); err != nil {
		t.Fatalf("check: %v", err)
	}
}

func TestCaddyfileExtendedOptions(t *testing.T) {
	h, err := parse(t, `pogo_websocket {
		app_id a1
		app_key k1
		app_secret s1
		user_auth_path /u
		client_events off
		subscription_count on
		activity_timeout 45s
		webhook_url http://127.0.0.1:9/a
		webhook_url http://127.0.0.1:9/b http://127.0.0.1:9/c
		webhook_grace 1s
		webhook_batch_window 20ms
		webhook_retry_for 1m
		webhook_timeout 2s
		webhook_queue_size 50
		auth_queue_timeout 2s
		auth_timeout 3s
		limits {
			max_channel_name 100
			max_event_name 90
			max_payload 20KiB
			max_message 128KB
			max_presence_members 10
			max_user_info 512
			max_user_id 64
			client_events_per_second 5
			max_subscriptions 50
			max_channels_per_publish 20
			max_batch_events 5
			max_watchlist 30
			cache_ttl 10m
		}
		app second {
			key k2
			secret s2
			client_events on
			activity_timeout 20s
			webhook_url https://hooks.example.com/x
			webhook_secret w2
			limits {
				max_payload 1000
			}
		}
		app third {
			secret s3
			disabled
		}
	}`)
	if err != nil {
		t.Fatal(err)
	}
	if h.AppKey != "k1" || h.UserAuthPath != "/u" || *h.ClientEvents || !*h.SubscriptionCount {
		t.Fatalf("flat options: %+v", h)
	}
	if len(h.WebhookURLs) != 3 || h.WebhookQueueSize != 50 || h.WebhookBatchWindow != caddy.Duration(20*time.Millisecond) {
		t.Fatalf("webhook options: %v %d %v", h.WebhookURLs, h.WebhookQueueSize, h.WebhookBatchWindow)
	}
	l := h.Limits
	if l.MaxPayload != 20*1024 || l.MaxMessage != 128000 || l.MaxWatchlist != 30 || l.CacheTTL != caddy.Duration(10*time.Minute) {
		t.Fatalf("limits: %+v", l)
	}
	if len(h.Apps) != 2 || h.Apps[0].ID != "second" || h.Apps[0].Key != "k2" || h.Apps[0].Limits.MaxPayload != 1000 {
		t.Fatalf("apps: %+v", h.Apps)
	}
	if !h.Apps[1].Disabled || h.Apps[1].Secret != "s3" {
		t.Fatalf("third app: %+v", h.Apps[1])
	}

	s, err := h.resolve(caddy.NewReplacer())
	if err != nil {
		t.Fatal(err)
	}
	if len(s.apps) != 3 {
		t.Fatalf("resolved %d apps", len(s.apps))
	}
	if s.authQueueTimeout != 2*time.Second || s.authTimeout != 3*time.Second {
		t.Fatalf("auth timeouts: queue %v, run %v", s.authQueueTimeout, s.authTimeout)
	}
	second := s.apps[1].toHub()
	if !second.ClientEvents || second.ActivityTimeout != 20*time.Second || second.Limits.MaxPayloadBytes != 1000 ||
		second.Limits.MaxEventNameLength != 90 || !second.SubscriptionCount {
		t.Fatalf("inheritance: %+v", second)
	}
	third := s.apps[2]
	if third.Key != "third" || third.WebhookSecret != "s3" || len(third.WebhookURLs) != 3 || *third.ClientEvents {
		t.Fatalf("third inherits: %+v", third)
	}
	if s.apps[1].WebhookSecret != "w2" || len(s.apps[1].WebhookURLs) != 1 {
		t.Fatalf("second webhooks: %+v", s.apps[1])
	}
}

func TestCaddyfileOffValues(t *testing.T) {
	h, err := parse(t, `pogo_websocket {
		app_id a
		app_secret s
		handshake_rate off
		max_connections unlimited
	}`)
	if err != nil {
		t.Fatal(err)
	}
	s, err := h.resolve(caddy.NewReplacer())
	if err != nil {
		t.Fatal(err)
	}
	if s.handshakeRate != 0 || s.maxConnections != 0 {
		t.Fatalf("off values: rate %v maxconn %d", s.handshakeRate, s.maxConnections)
	}
}

func TestCaddyfileDefaults(t *testing.T) {
	h, err := parse(t, "pogo_websocket {\n app_id a\n app_secret s\n}")
	if err != nil {
		t.Fatal(err)
	}
	s, err := h.resolve(caddy.NewReplacer())
	if err != nil {
		t.Fatal(err)
	}
	if s.authPath != DefaultAuthPath || s.userAuthPath != DefaultUserAuthPath || s.handshakeRate != DefaultHandshakeRate ||
		s.handshakeBurst != DefaultHandshakeBurst || s.maxConnections != DefaultMaxConnections ||
		s.pingPeriod != DefaultPingPeriod || s.pongWait != DefaultPongWait || s.maxAuthBody != DefaultMaxAuthBody ||
		s.webhook.grace != DefaultWebhookGrace || s.webhook.retryFor != DefaultWebhookRetryFor ||
		s.authQueueTimeout != DefaultAuthQueueTimeout || s.authTimeout != DefaultAuthTimeout {
		t.Fatalf("defaults: %+v", s)
	}
	a := s.apps[0].toHub()
	if a.Key != "a" || !a.ClientEvents || a.SubscriptionCount || a.Limits.MaxPayloadBytes != 10240 {
		t.Fatalf("app defaults: %+v", a)
	}
}

func TestCaddyfileBadValues(t *testing.T) {
	cases := []struct{ input, want string }{
		{"handshake_rate -1", "handshake_rate"},
		{"handshake_rate fast", "handshake_rate"},
		{"handshake_burst 0", "handshake_burst"},
		{"max_connections -5", "max_connections"},
		{"max_auth_body lots", "max_auth_body"},
		{"max_concurrent_auth 0", "max_concurrent_auth"},
		{"broker_queue_size x", "broker_queue_size"},
		{"shard_queue_size 1 2", "shard_queue_size"},
		{"num_workers", "num_workers"},
		{"num_shards -2", "num_shards"},
		{"ping_period soon", "ping_period"},
		{"pong_wait 0s", "pong_wait"},
		{"write_wait -1s", "write_wait"},
		{"shutdown_timeout", "shutdown_timeout"},
		{"redis_db -1", "redis_db"},
		{"redis_tls maybe", "redis_tls"},
		{"redis_host", "redis_host"},
		{"redis_cluster maybe", "redis_cluster"},
		{"redis_sentinel_master", "redis_sentinel_master"},
		{"redis_sentinel_master a b", "redis_sentinel_master"},
		{"client_events sometimes", "client_events"},
		{"app_secret", "app_secret"},
		{"allowed_origins", "allowed_origins"},
		{"webhook_url", "webhook_url"},
		{"webhook_grace 0", "webhook_grace"},
		{"auth_timeout 0s", "auth_timeout"},
		{"auth_timeout -3s", "auth_timeout"},
		{"bogus 1", "bogus"},
		{"app_id a\n app_id b", "app_id"},
		{"limits {\n max_payload 0\n}", "max_payload"},
		{"limits {\n max_nothing 1\n}", "max_nothing"},
		{"limits 5", "limits"},
		{"app x {\n key k\n}", "secret is required"},
		{"app {\n}", "app"},
		{"app x y", "app x"},
		{"app x {\n secret s\n nope 1\n}", "nope"},
		{"limits {\n cache_ttl never\n}", "cache_ttl"},
	}
	for _, c := range cases {
		_, err := parse(t, "pogo_websocket {\n"+c.input+"\n}")
		if err == nil {
			t.Errorf("%q: no error", c.input)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %q does not name %q", c.input, err, c.want)
		}
	}
	if _, err := parse(t, "pogo_websocket extra {\n}"); err == nil {
		t.Error("argument after directive: no error")
	}
}

func TestResolveErrorsNameTheOption(t *testing.T) {
	cases := []struct {
		h    Handler
		want string
	}{
		{Handler{}, "no app configured"},
		{Handler{AppSecret: "s"}, "without app_id"},
		{Handler{AppID: "a"}, "app_secret"},
		{Handler{AppID: "a/b", AppSecret: "s"}, "app id"},
		{Handler{AppID: "a", AppSecret: "s", AuthScript: "x.php", AuthWorker: "w"}, "mutually exclusive"},
		{Handler{AppID: "a", AppSecret: "s", PingPeriod: caddy.Duration(time.Minute)}, "ping_period"},
		{Handler{AppID: "a", AppSecret: "s", AllowedOrigins: []string{"ftp://x"}}, "allowed_origins"},
		{Handler{AppID: "a", AppSecret: "s", AllowedOrigins: []string{"https://a.*.com"}}, "allowed_origins"},
		{Handler{AppID: "a", AppSecret: "s", AuthPath: "pogo/auth"}, "auth_path"},
		{Handler{AppID: "a", AppSecret: "s", UserAuthPath: "/apps/x"}, "user_auth_path"},
		{Handler{AppID: "a", AppSecret: "s", UserAuthPath: "/pogo/auth"}, "both"},
		{Handler{AppID: "a", AppSecret: "s", WebhookURLs: []string{"/relative"}}, "webhook_url"},
		{Handler{AppID: "a", AppSecret: "s", Redis: &RedisConfig{Host: "nohostport"}}, "redis_host"},
		{Handler{AppID: "a", AppSecret: "s", Redis: &RedisConfig{URL: "http://x:1"}}, "redis_url"},
		{Handler{AppID: "a", AppSecret: "s", Redis: &RedisConfig{URL: "redis://"}}, "redis_url"},
		{Handler{AppID: "a", AppSecret: "s", Redis: &RedisConfig{Host: "a:1", Cluster: true, SentinelMaster: "m"}}, "redis_cluster and redis_sentinel_master"},
		{Handler{AppID: "a", AppSecret: "s", Redis: &RedisConfig{Host: "a:1", Cluster: true, DB: 2}}, "redis_db 2 with redis_cluster"},
		{Handler{AppID: "a", AppSecret: "s", Redis: &RedisConfig{URL: "redis://a:1", Cluster: true}}, "redis_url"},
		{Handler{AppID: "a", AppSecret: "s", Redis: &RedisConfig{URL: "redis://a:1", SentinelMaster: "m"}}, "redis_url"},
		{Handler{AppID: "a", AppSecret: "s", Redis: &RedisConfig{Hosts: []string{"a:1", "b:2"}}}, "need redis_cluster or redis_sentinel_master"},
		{Handler{AppID: "a", AppSecret: "s", Redis: &RedisConfig{Hosts: []string{"a:1", "nohostport"}, Cluster: true}}, `redis_host "nohostport"`},
		{Handler{AppID: "a", AppSecret: "s", Redis: &RedisConfig{Host: "a:1", SentinelMaster: "{env.POGO_TEST_UNSET_MASTER}"}}, "redis_sentinel_master"},
		{Handler{AppID: "a", AppSecret: "s", Apps: []AppConfig{{ID: "a", Secret: "t"}}}, "configured twice"},
		{Handler{AppID: "a", AppSecret: "s", Apps: []AppConfig{{ID: "b", Key: "a", Secret: "t"}}}, "configured twice"},
		{Handler{AppID: "a", AppSecret: "s", ActivityTimeout: caddy.Duration(time.Millisecond)}, "activity_timeout"},
		{Handler{AppID: "a", AppSecret: "s", Limits: &Limits{MaxPayload: -1}}, "max_payload"},
		{Handler{AppID: "a", AppSecret: "s", MaxAuthBody: -1}, "max_auth_body"},
		{Handler{AppID: "a", AppSecret: "s", AuthTimeout: caddy.Duration(-time.Second)}, "auth_timeout"},
	}
	for i, c := range cases {
		_, err := c.h.resolve(caddy.NewReplacer())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("case %d: error %v, want mention of %q", i, err, c.want)
		}
	}
}

func TestResolveEnvPlaceholders(t *testing.T) {
	t.Setenv("POGO_TEST_SECRET", "from-env")
	t.Setenv("POGO_TEST_HOOK", "http://127.0.0.1:1/hook")
	h := Handler{AppID: "a", AppSecret: "{env.POGO_TEST_SECRET}", WebhookURLs: []string{"{env.POGO_TEST_HOOK}"}}
	s, err := h.resolve(caddy.NewReplacer())
	if err != nil {
		t.Fatal(err)
	}
	if s.apps[0].Secret != "from-env" || s.apps[0].WebhookURLs[0] != "http://127.0.0.1:1/hook" {
		t.Fatalf("placeholders not replaced: %+v", s.apps[0])
	}
	h = Handler{AppID: "a", AppSecret: "{env.POGO_TEST_UNSET_VAR}"}
	if _, err := h.resolve(caddy.NewReplacer()); err == nil || !strings.Contains(err.Error(), "app_secret") {
		t.Fatalf("unset secret: %v", err)
	}
}
