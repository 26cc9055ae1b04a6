package hub

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/y-l-g/websocket/go/hub/hubtest"
)

// benchSubscribers opens n sessions on counting conns subscribed to channel.
func benchSubscribers(b *testing.B, f *fixture, channel string, n int) []*hubtest.CountingConn {
	b.Helper()
	conns := make([]*hubtest.CountingConn, n)
	msg := []byte(`{"event":"pusher:subscribe","data":{"channel":"` + channel + `"}}`)
	for i := range conns {
		conns[i] = &hubtest.CountingConn{}
		s, err := f.h.Open(f.app, conns[i], protocol7)
		if err != nil {
			b.Fatal(err)
		}
		s.Handle(msg)
	}
	return conns
}

func totalFrames(conns []*hubtest.CountingConn) int64 {
	var n int64
	for _, c := range conns {
		n += c.Frames.Load()
	}
	return n
}

// window bounds in-flight events in BenchmarkPublishFanOut.
const window = 256

// BenchmarkPublishFanOut measures Hub.Publish to one channel with 1k and 10k
// subscribers end to end (validation, memory broker, encoding, shard queue,
// fan-out goroutine). Reports deliveries/s and allocations per delivery.
func BenchmarkPublishFanOut(b *testing.B) {
	for _, subs := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("subs=%d", subs), func(b *testing.B) {
			f := newFixture(b, nil, nil)
			conns := benchSubscribers(b, f, "bench", subs)
			base := totalFrames(conns)
			last := conns[len(conns)-1] // fan-out writes in subscription order
			lastBase := last.Frames.Load()
			m := Message{AppID: testAppID, Channels: []string{"bench"}, Event: "tick", Data: `{"price":42.5,"symbol":"POGO"}`}
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				// Keep at most `window` events in flight so the shard queue
				// never overflows (a full queue is a status, not back-pressure).
				for i >= window && last.Frames.Load() < lastBase+int64(i-window) {
					runtime.Gosched()
				}
				if st := f.h.Publish(ctx, m); st != StatusOK {
					b.Fatal(st)
				}
			}
			want := base + int64(b.N)*int64(subs)
			for totalFrames(conns) < want {
				runtime.Gosched()
			}
			elapsed := time.Since(start)
			b.StopTimer()
			b.ReportMetric(float64(b.N)*float64(subs)/elapsed.Seconds(), "deliveries/s")
		})
	}
}

// BenchmarkFanOutLoop measures the per-subscriber cost of the fan-out loop
// alone (one pre-encoded frame written to every subscriber); allocs/op must
// be 0.
func BenchmarkFanOutLoop(b *testing.B) {
	for _, subs := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("subs=%d", subs), func(b *testing.B) {
			f := newFixture(b, nil, nil)
			benchSubscribers(b, f, "loop", subs)
			k := chanKey{testAppID, "loop"}
			sh := f.h.shardOf(testAppID, "loop")
			j := job{key: k, frame: encodeFrame(&serverEvent{Event: "e", Channel: "loop", Data: "{}"}), seq: ^uint64(0)}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				f.h.fanOut(sh, j)
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)*float64(subs)/b.Elapsed().Seconds(), "deliveries/s")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(subs), "ns/delivery")
		})
	}
}

// BenchmarkOpenClose measures one handshake: Open (socket id, registration,
// connection_established frame) and Close.
func BenchmarkOpenClose(b *testing.B) {
	f := newFixture(b, nil, nil)
	c := &hubtest.CountingConn{}
	b.ReportAllocs()
	for b.Loop() {
		s, err := f.h.Open(f.app, c, protocol7)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// BenchmarkSubscribeUnsubscribe measures a public subscribe and unsubscribe
// on a channel with 1000 other subscribers (copy-on-write of the list).
func BenchmarkSubscribeUnsubscribe(b *testing.B) {
	f := newFixture(b, nil, nil)
	benchSubscribers(b, f, "busy", 1000)
	s, err := f.h.Open(f.app, &hubtest.CountingConn{}, protocol7)
	if err != nil {
		b.Fatal(err)
	}
	sub := []byte(`{"event":"pusher:subscribe","data":{"channel":"busy"}}`)
	unsub := []byte(`{"event":"pusher:unsubscribe","data":{"channel":"busy"}}`)
	b.ReportAllocs()
	for b.Loop() {
		s.Handle(sub)
		s.Handle(unsub)
	}
}

// BenchmarkClientEvent measures a client event relayed to one other
// subscriber of a private channel (parse, checks, broker, fan-out).
func BenchmarkClientEvent(b *testing.B) {
	f := newFixture(b, func(a *App) { a.Limits.ClientEventsPerSecond = 1 << 30 }, nil)
	conns := make([]*hubtest.CountingConn, 2)
	var sender *Session
	for i := range conns {
		conns[i] = &hubtest.CountingConn{}
		s, err := f.h.Open(f.app, conns[i], protocol7)
		if err != nil {
			b.Fatal(err)
		}
		auth := f.auth(s, "private-chat", "")
		s.Handle([]byte(`{"event":"pusher:subscribe","data":{"channel":"private-chat","auth":"` + auth + `"}}`))
		sender = s
	}
	msg := []byte(`{"event":"client-typing","channel":"private-chat","data":{"user":"someone","typing":true}}`)
	base := conns[0].Frames.Load()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		sender.Handle(msg)
		n++
		for n-int(conns[0].Frames.Load()-base) > window {
			runtime.Gosched()
		}
	}
}

// BenchmarkIdleSessionMemory reports the hub's heap per open session that
// is subscribed to one public channel (the transport's buffers excluded).
func BenchmarkIdleSessionMemory(b *testing.B) {
	const n = 10000
	for b.Loop() {
		f := newFixture(b, nil, nil)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		sessions := make([]*Session, n)
		for i := range sessions {
			s, err := f.h.Open(f.app, &hubtest.CountingConn{}, protocol7)
			if err != nil {
				b.Fatal(err)
			}
			s.Handle([]byte(`{"event":"pusher:subscribe","data":{"channel":"user-` + fmt.Sprint(i%1000) + `"}}`))
			sessions[i] = s
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "B/session")
		runtime.KeepAlive(sessions)
		_ = f.h.Close()
	}
}
