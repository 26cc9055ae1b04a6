package wsconn

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

// rawHandshakeWithFrame sends the upgrade request and a masked text frame in
// a single write, so the frame lands in the HTTP server's read buffer.
func rawHandshakeWithFrame(t *testing.T, hostport, msg string) *client {
	t.Helper()
	nc, err := net.DialTimeout("tcp", hostport, waitLong)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "GET /app/good?protocol=7 HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n"+
		"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", hostport)
	if err := ws.WriteFrame(&buf, ws.MaskFrame(ws.NewTextFrame([]byte(msg)))); err != nil {
		t.Fatal(err)
	}
	if _, err := nc.Write(buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(nc)
	_ = nc.SetReadDeadline(time.Now().Add(waitLong))
	for { // skip the 101 response headers
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("handshake: %v", err)
		}
		if line == "\r\n" {
			break
		}
	}
	return &client{t: t, nc: nc, br: br}
}

// TestWriterCoalesces blocks the writer on its first frame, queues nine
// more, and checks they leave in one batch, in order.
func TestWriterCoalesces(t *testing.T) {
	server, peer := net.Pipe()
	defer peer.Close()
	o, _ := Options{}.withDefaults()
	c := newConn(server, &o, "", 1024, nil)
	frames := make([][]byte, 10)
	var want []byte
	for i := range frames {
		frames[i] = textFrame(fmt.Appendf(nil, "frame-%d", i))
		want = append(want, frames[i]...)
	}
	if err := c.WriteFrame(frames[0]); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, len(want))
	_ = peer.SetReadDeadline(time.Now().Add(waitLong))
	if _, err := io.ReadFull(peer, got[:1]); err != nil { // the writer is now inside batch 1
		t.Fatal(err)
	}
	for _, f := range frames[1:] {
		if err := c.WriteFrame(f); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := io.ReadFull(peer, got[1:]); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("bytes differ:\n%q\n%q", got, want)
	}
	if b, f := c.batches.Load(), c.frames.Load(); b != 2 || f != 10 {
		t.Fatalf("batches=%d frames=%d, want 2 and 10", b, f)
	}
}

// BenchmarkWriteFrame measures queuing and writing 128-byte frames to a
// real loopback TCP socket whose peer reads as fast as it can; frames/batch
// shows the coalescing.
func BenchmarkWriteFrame(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		nc, _ := ln.Accept()
		accepted <- nc
	}()
	cli, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer cli.Close()
	srv := <-accepted
	o, _ := Options{WriteQueueBytes: 64 << 20}.withDefaults()
	c := newConn(srv, &o, "", 1024, nil)
	frame := textFrame(bytes.Repeat([]byte("x"), 126))
	total := int64(b.N) * int64(len(frame))
	read := make(chan error, 1)
	go func() {
		_, err := io.CopyN(io.Discard, cli, total)
		read <- err
	}()
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for c.WriteFrame(frame) != nil { // queue full: let the writer catch up
			b.Fatal("queue overflow")
		}
	}
	if err := <-read; err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	b.ReportMetric(float64(c.frames.Load())/float64(max(c.batches.Load(), 1)), "frames/batch")
	c.Close(1000, "")
}
