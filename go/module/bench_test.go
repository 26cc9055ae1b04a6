package pogows

import (
	"fmt"
	"net/http/httptest"
	"testing"
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
