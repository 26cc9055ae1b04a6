package pogows

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
)

func BenchmarkOriginAllowed(b *testing.B) {
	p, _ := newOriginPolicy([]string{"https://app.example.com", "https://*.example.org"})
	r := httptest.NewRequest("GET", "http://ws.example.com/app/k", nil)
	r.Header.Set("Origin", "https://a.example.org")
	b.ReportAllocs()
	for b.Loop() {
		if !p.allowed(r) {
			b.Fatal("refused")
		}
	}
}

func BenchmarkRateLimiterAllow(b *testing.B) {
	l := newRateLimiter(1e9, 1e9)
	ips := make([]string, 1024)
	for i := range ips {
		ips[i] = fmt.Sprintf("10.0.%d.%d", i/256, i%256)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			l.allow(ips[i%len(ips)])
			i++
		}
	})
}

// BenchmarkServeHTTPFallThrough measures what the handler adds to an
// application request it does not serve.
func BenchmarkServeHTTPFallThrough(b *testing.B) {
	inst := &instance{apps: &appRegistry{}}
	inst.apps.push("bench", newAppSnapshot([]AppConfig{{ID: "a", Key: "a", Secret: "s"}}, webhookSettings{}, 0))
	h := &Handler{state: &handlerState{s: &settings{authPath: "/pogo/auth", userAuthPath: "/pogo/user-auth"},
		inst: inst, guard: newScriptGuard("/srv/websocket/auth-worker.php")}}
	next := caddyhttp.HandlerFunc(func(http.ResponseWriter, *http.Request) error { return nil })
	r := httptest.NewRequest("GET", "http://x/dashboard/settings", nil)
	w := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		if err := h.ServeHTTP(w, r, next); err != nil {
			b.Fatal(err)
		}
	}
}
