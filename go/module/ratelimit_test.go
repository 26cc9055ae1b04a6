package pogows

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"
)

func TestRateLimiterBurstAndRefill(t *testing.T) {
	l := newRateLimiter(2, 3)
	now := time.Unix(1000, 0)
	l.now = func() time.Time { return now }
	for i := range 3 {
		if !l.allow("1.2.3.4") {
			t.Fatalf("burst token %d refused", i)
		}
	}
	if l.allow("1.2.3.4") {
		t.Fatal("4th handshake allowed beyond burst")
	}
	if !l.allow("5.6.7.8") {
		t.Fatal("other IP refused")
	}
	now = now.Add(500 * time.Millisecond) // 1 token at 2/s
	if !l.allow("1.2.3.4") || l.allow("1.2.3.4") {
		t.Fatal("refill should grant exactly one token after 500ms")
	}
	now = now.Add(time.Hour) // refills to burst, not beyond
	for range 3 {
		if !l.allow("1.2.3.4") {
			t.Fatal("refilled burst refused")
		}
	}
	if l.allow("1.2.3.4") {
		t.Fatal("refill exceeded burst")
	}
}

func TestRateLimiterDisabledAndBounded(t *testing.T) {
	var off *rateLimiter = newRateLimiter(0, 10)
	for range 1000 {
		if !off.allow("x") {
			t.Fatal("disabled limiter refused")
		}
	}
	l := newRateLimiter(1, 1)
	now := time.Unix(0, 0)
	l.now = func() time.Time { return now }
	for i := range limiterShards * maxPerShard * 2 {
		l.allow(fmt.Sprint("10.", i))
	}
	total := 0
	for i := range l.shards {
		if n := len(l.shards[i].buckets); n > maxPerShard {
			t.Fatalf("shard %d holds %d buckets", i, n)
		}
		total += len(l.shards[i].buckets)
	}
	if total == 0 {
		t.Fatal("no buckets kept")
	}
}

func TestClientIPFallback(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "192.0.2.7:5555"
	if got := clientIP(r); got != "192.0.2.7" {
		t.Fatalf("clientIP = %q", got)
	}
}
