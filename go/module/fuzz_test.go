package pogows

import (
	"net/http/httptest"
	"testing"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
)

// FuzzUnmarshalCaddyfile checks that no input panics the parser and that
// whatever parses either resolves or fails with an error.
func FuzzUnmarshalCaddyfile(f *testing.F) {
	f.Add(seedBlock)
	f.Add("pogo_websocket {\n app x {\n secret s\n limits {\n max_payload 1KB\n }\n }\n}")
	f.Add("pogo_websocket {\n app_id a\n app_secret s\n handshake_rate off\n max_connections unlimited\n}")
	f.Fuzz(func(t *testing.T, input string) {
		h := new(Handler)
		if err := h.UnmarshalCaddyfile(caddyfile.NewTestDispenser(input)); err != nil {
			return
		}
		_, _ = h.resolve(caddy.NewReplacer())
	})
}

// FuzzOrigin checks that origin patterns and Origin headers never panic.
func FuzzOrigin(f *testing.F) {
	f.Add("https://*.example.com", "https://a.example.com", "ws.example.com")
	f.Add("app.example.com:8443", "http://app.example.com:8443", "x")
	f.Fuzz(func(t *testing.T, pattern, origin, host string) {
		p, err := newOriginPolicy([]string{pattern})
		if err != nil {
			return
		}
		r := httptest.NewRequest("GET", "http://x/app/k", nil)
		r.Host = host
		r.Header.Set("Origin", origin)
		_ = p.allowed(r)
	})
}
