package main

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/y-l-g/websocket/bench/naive"
)

// startNaive serves the naive reference server on a loopback port.
func startNaive(t *testing.T) *httptest.Server {
	t.Helper()
	srv, err := naive.New(naive.Options{App: benchApp})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts
}

func TestConnectSubscribesAndReaderCountsDeliveries(t *testing.T) {
	ts := startNaive(t)
	addr := strings.TrimPrefix(ts.URL, "http://")
	epoch := time.Now()
	p, err := newPool(1, epoch, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx := context.Background()
	r := connectAll(ctx, newDialer(addr, benchApp.Key, 2), p, 3, 1, 2, 10*time.Second)
	if r.ok != 3 || r.failed != 0 {
		t.Fatalf("connected %d, failed %d: %v", r.ok, r.failed, r.firstErr)
	}
	pub := newPublisher(ts.URL, benchApp, epoch, 50, 1)
	defer pub.close()
	for seq := int64(1); seq <= 5; seq++ {
		if err := pub.publish(ctx, chName(0), seq); err != nil {
			t.Fatal(err)
		}
	}
	drain(p, 15, 10*time.Second)
	p.Stop()
	if got := p.delivered(); got != 15 {
		t.Fatalf("delivered %d, want 15", got)
	}
	for _, s := range p.subs() {
		if s.track.lost(5) != 0 || s.track.dup != 0 || s.track.ooo != 0 {
			t.Fatalf("accounting %+v", s.track)
		}
	}
	if p.hist().Count() != 15 {
		t.Fatalf("latency samples %d", p.hist().Count())
	}
}

func TestConnectReportsBadKey(t *testing.T) {
	ts := startNaive(t)
	d := newDialer(strings.TrimPrefix(ts.URL, "http://"), "wrong-key", 1)
	_, err := d.connect(context.Background(), 0, []string{"x"}, 5*time.Second)
	if err == nil || !strings.Contains(err.Error(), "upgrade refused") {
		t.Fatalf("err = %v", err)
	}
}

func TestPublishRejectsBadSignature(t *testing.T) {
	ts := startNaive(t)
	app := benchApp
	app.Secret = "wrong"
	pub := newPublisher(ts.URL, app, time.Now(), 10, 1)
	defer pub.close()
	if err := pub.publish(context.Background(), "c", 1); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("err = %v", err)
	}
}
