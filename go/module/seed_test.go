//go:build !cgo || nopogophp

package pogows

import (
	"strings"
	"testing"

	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
	"github.com/caddyserver/caddy/v2/caddyconfig/httpcaddyfile"
	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
)

// In builds without FrankenPHP, stand-ins for the frankenphp global option
// and the php_server directive let the seed's Caddyfile be adapted and run
// as written: php_server answers "php".
func init() {
	httpcaddyfile.RegisterGlobalOption("frankenphp", func(d *caddyfile.Dispenser, _ any) (any, error) {
		for d.Next() {
			for nesting := d.Nesting(); d.NextBlock(nesting); {
			}
		}
		return nil, nil
	})
	httpcaddyfile.RegisterHandlerDirective("php_server", func(h httpcaddyfile.Helper) (caddyhttp.MiddlewareHandler, error) {
		for h.Next() {
			for nesting := h.Nesting(); h.NextBlock(nesting); {
			}
		}
		return &caddyhttp.StaticResponse{Body: "php"}, nil
	})
	httpcaddyfile.RegisterDirectiveOrder("php_server", httpcaddyfile.Before, "file_server")
}

// seedCaddyfile is the seed's Caddyfile, with the port, the admin endpoint
// and storage made test-friendly and "br" dropped from encode (the brotli
// encoder is a FrankenPHP build plugin, not standard Caddy).
const seedCaddyfile = `{
  admin 127.0.0.1:ADMIN
  persist_config off
  storage file_system STORAGE
  frankenphp {
    worker {
      file public/frankenphp-worker.php
    }
  }

  order pogo_websocket before php_server
}

:PORT {
  bind 127.0.0.1
  route /app/* {
    pogo_websocket {
      app_id pogo-app
      app_secret {$WS_APP_SECRET}
      auth_path /pogo/auth
      auth_script public/websocket-worker.php
      webhook_secret {$POGO_WEBHOOK_SECRET}
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

      # redis_host redis:6379
      # redis_password {$REDIS_PASSWORD}
      # redis_db 0
      # redis_tls false
    }
  }

  route {
    root * public
    encode zstd gzip

    php_server {
      index frankenphp-worker.php
      try_files {path} frankenphp-worker.php
      resolve_root_symlink
    }
  }
}
`

func TestSeedCaddyfileRuns(t *testing.T) {
	t.Setenv("WS_APP_SECRET", "seed-secret")
	t.Setenv("POGO_WEBHOOK_SECRET", "seed-webhook-secret")
	recordingFactory(t)
	ts := &testServer{t: t}
	storage := scratchDir(t)
	loadRetry(t, func() []byte {
		ts.port, ts.adminPort = freePort(t), freePort(t)
		return adapt(t, strings.NewReplacer("ADMIN", itoa(ts.adminPort), "STORAGE", storage, "PORT", itoa(ts.port)).Replace(seedCaddyfile))
	})
	ts.mustDial("pogo-app")
	if code, body := get(t, ts.url("/dashboard")); code != 200 || body != "php" {
		t.Fatalf("app route: %d %q", code, body)
	}
	a, _ := onlyInstance(t).apps.ByID("pogo-app")
	if a.Secret != "seed-secret" || a.Key != "pogo-app" {
		t.Fatalf("seed app: %+v", a)
	}
}
