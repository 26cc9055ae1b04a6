package wsconn

import (
	"bytes"
	"io"
	"net"
	"sync"
	"testing"
)

// BenchmarkFanout writes one shared 128-byte frame to 1000 connections per
// op (real loopback sockets, peers reading as fast as they can), as the hub
// does for a channel with 1000 subscribers. ns/op / 1000 is the transport
// cost of one delivery, including the on-demand writer goroutines.
func BenchmarkFanout(b *testing.B) {
	const conns = 1000
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	o, _ := Options{WriteQueueBytes: 64 << 20}.withDefaults()
	frame := textFrame(bytes.Repeat([]byte("x"), 126))
	servers := make([]*conn, conns)
	var readers sync.WaitGroup
	total := int64(b.N) * int64(len(frame))
	for i := range servers {
		cli, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			b.Fatal(err)
		}
		srv, err := ln.Accept()
		if err != nil {
			b.Fatal(err)
		}
		defer cli.Close()
		defer srv.Close()
		servers[i] = newConn(srv, &o, "", 1024, nil)
		readers.Add(1)
		go func() {
			defer readers.Done()
			_, _ = io.CopyN(io.Discard, cli, total)
		}()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for _, c := range servers {
			if err := c.WriteFrame(frame); err != nil {
				b.Fatal(err)
			}
		}
	}
	readers.Wait()
	b.StopTimer()
	var frames, batches int64
	for _, c := range servers {
		frames += c.frames.Load()
		batches += c.batches.Load()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(int64(b.N)*conns), "ns/delivery")
	b.ReportMetric(float64(frames)/float64(max(batches, 1)), "frames/batch")
}
