package redis

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/hub/hubtest"
)

// benchSubscribe opens n counting subscribers of channel on m.
func benchSubscribe(b *testing.B, m *hubNode, channel string, n int) []*hubtest.CountingConn {
	conns := make([]*hubtest.CountingConn, n)
	for i := range conns {
		c := &hubtest.CountingConn{}
		s, err := m.h.Open(m.app, c, hub.ConnMeta{Protocol: "7", HasProtocol: true})
		if err != nil {
			b.Fatal(err)
		}
		s.Handle([]byte(`{"event":"pusher:subscribe","data":{"channel":"` + channel + `"}}`))
		conns[i] = c
	}
	return conns
}

func frames(conns []*hubtest.CountingConn) int64 {
	var n int64
	for _, c := range conns {
		n += c.Frames.Load()
	}
	return n
}

// BenchmarkClusterPublish publishes from every goroutine of
// RunParallel into a three-node cluster over a real redis-server, with
// subs subscribers per node, and reports publishes/s and deliveries/s
// (publish accepted by Redis to frame written on every node).
func BenchmarkClusterPublish(b *testing.B) {
	for _, subs := range []int{1, 1000} {
		b.Run(fmt.Sprintf("nodes=3/subs=%d", subs), func(b *testing.B) {
			c := newCluster(b, 3, nodeOpts{queue: 8192})
			var conns []*hubtest.CountingConn
			for _, n := range c.nodes {
				conns = append(conns, benchSubscribe(b, n, "bench", subs)...)
			}
			base := frames(conns)
			m := hub.Message{AppID: appID, Channels: []string{"bench"}, Event: "tick", Data: `{"price":42.5}`}
			b.SetParallelism(8)
			b.ResetTimer()
			start := time.Now()
			var failed atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					ctx, cancel := context.WithTimeout(context.Background(), time.Second)
					if st := c.nodes[0].h.Publish(ctx, m); st != hub.StatusOK {
						failed.Add(1)
					}
					cancel()
				}
			})
			pubElapsed := time.Since(start)
			want := base + int64(b.N)*int64(len(conns))
			deadline := time.Now().Add(30 * time.Second)
			for frames(conns) < want && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			elapsed := time.Since(start)
			b.StopTimer()
			got := frames(conns) - base
			b.ReportMetric(float64(b.N)/pubElapsed.Seconds(), "publishes/s")
			b.ReportMetric(float64(got)/elapsed.Seconds(), "deliveries/s")
			b.ReportMetric(float64(int64(b.N)*int64(len(conns))-got), "lost")
			b.ReportMetric(float64(failed.Load()), "failed")
		})
	}
}
