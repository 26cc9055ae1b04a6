package pogows

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

func TestMetricsRegisterTwiceAndAcrossRegistries(t *testing.T) {
	m := newMetrics()
	for range 2 { // two configs (reload) and two handlers in one config
		reg := prometheus.NewPedanticRegistry()
		if err := m.register(reg); err != nil {
			t.Fatal(err)
		}
		if err := m.register(reg); err != nil {
			t.Fatalf("second registration in the same registry: %v", err)
		}
	}
	m.ConnectionOpened("a")
	m.ConnectionOpened("a")
	m.ConnectionClosed("a", pusher.CodeReconnect)
	m.Published("a", hub.StatusShardQueueFull)
	m.Published("a", hub.StatusOK)
	m.trackQueue("x", func() int { return 7 })
	if v := testutil.ToFloat64(m.connections.WithLabelValues("a")); v != 1 {
		t.Fatalf("connections = %v", v)
	}
	if v := testutil.ToFloat64(m.closed.WithLabelValues("a", "4200")); v != 1 {
		t.Fatalf("closed{4200} = %v", v)
	}
	if v := testutil.ToFloat64(m.publishes.WithLabelValues("a", "shard_queue_full")); v != 1 {
		t.Fatalf("publishes{shard_queue_full} = %v", v)
	}
	if v := testutil.ToFloat64(m.brokerQueue); v != 7 {
		t.Fatalf("broker depth = %v", v)
	}
	m.untrackQueue("x")
	if l := statusLabel(hub.StatusInvalidMultiJSON); l != "invalid_multi_channel_json" {
		t.Fatalf("label %q", l)
	}
	reg := prometheus.NewPedanticRegistry()
	_ = m.register(reg)
	done := m.authStarted(AuthUser)
	done()
	m.handshakeRejection("origin")
	n, err := testutil.GatherAndCount(reg)
	if err != nil || n == 0 {
		t.Fatalf("gather: %d %v", n, err)
	}
	if err := testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP pogo_handshake_rejections_total WebSocket handshakes rejected before upgrading, by reason.
# TYPE pogo_handshake_rejections_total counter
pogo_handshake_rejections_total{reason="origin"} 1
`), "pogo_handshake_rejections_total"); err != nil {
		t.Fatal(err)
	}
}
