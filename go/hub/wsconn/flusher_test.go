//go:build linux

package wsconn

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"testing"
	"time"
)

func TestLeftover(t *testing.T) {
	frames := [][]byte{[]byte("abc"), []byte("de"), []byte("fghi")}
	for _, tc := range []struct {
		n    int
		want string
	}{
		{0, "abc|de|fghi"}, {1, "bc|de|fghi"}, {3, "de|fghi"}, {4, "e|fghi"}, {5, "fghi"}, {8, "i"},
	} {
		rest := leftover(frames, tc.n)
		if got := string(bytes.Join(rest, []byte("|"))); got != tc.want {
			t.Errorf("n=%d: got %q want %q", tc.n, got, tc.want)
		}
	}
	if string(frames[0]) != "abc" {
		t.Fatal("leftover changed its input")
	}
}

// tcpPair returns the two ends of a real loopback TCP connection.
func tcpPair(t *testing.T) (server, client net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server, err = ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Close(); _ = server.Close() })
	return server, client
}

func TestFastPathOnlyForTCP(t *testing.T) {
	o, _ := Options{}.withDefaults()
	srv, _ := tcpPair(t)
	if c := newConn(srv, &o, "", 1024, nil); c.raw == nil {
		t.Fatal("a TCP connection must use the flusher pool")
	}
	p1, p2 := net.Pipe()
	defer p1.Close()
	defer p2.Close()
	if c := newConn(p1, &o, "", 1024, nil); c.raw != nil {
		t.Fatal("a pipe has no socket for the flusher pool")
	}
}

// A client that stops reading fills its socket buffers: the flusher hands
// the connection to its own writer and back, and every byte still arrives
// in order once the client reads again.
func TestFlusherKeepsOrderThroughBackpressure(t *testing.T) {
	srv, cli := tcpPair(t)
	o, _ := Options{WriteQueueBytes: 64 << 20}.withDefaults()
	c := newConn(srv, &o, "", 1024, nil)
	var want bytes.Buffer
	const n = 20000 // about 20 MB: far beyond loopback socket buffers
	payload := bytes.Repeat([]byte("p"), 1000)
	for i := range n {
		f := textFrame(append(fmt.Appendf(nil, "%08d", i), payload...))
		want.Write(f)
		if err := c.WriteFrame(f); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
	}
	got := make([]byte, want.Len())
	_ = cli.SetReadDeadline(time.Now().Add(waitLong))
	if _, err := io.ReadFull(cli, got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatal("bytes differ from the frames written, in order")
	}
	if f := c.frames.Load(); f != n {
		t.Fatalf("frames=%d want %d", f, n)
	}
	c.Close(1000, "")
}

// Frames queued while a flusher is busy leave together: many connections,
// several frames each, fewer vectored writes than frames.
func TestFlusherCoalescesUnderLoad(t *testing.T) {
	o, _ := Options{WriteQueueBytes: 64 << 20}.withDefaults()
	const conns, frames = 200, 50
	type pair struct {
		c   *conn
		cli net.Conn
	}
	ps := make([]pair, conns)
	for i := range ps {
		srv, cli := tcpPair(t)
		ps[i] = pair{newConn(srv, &o, "", 1024, nil), cli}
	}
	frame := textFrame(bytes.Repeat([]byte("x"), 100))
	for range frames {
		for _, p := range ps {
			if err := p.c.WriteFrame(frame); err != nil {
				t.Fatal(err)
			}
		}
	}
	var written, batches int64
	for _, p := range ps {
		_ = p.cli.SetReadDeadline(time.Now().Add(waitLong))
		if _, err := io.CopyN(io.Discard, p.cli, int64(frames*len(frame))); err != nil {
			t.Fatal(err)
		}
		written += p.c.frames.Load()
		batches += p.c.batches.Load()
	}
	if written != conns*frames {
		t.Fatalf("frames=%d want %d", written, conns*frames)
	}
	if batches >= written {
		t.Fatalf("%d writes for %d frames: nothing coalesced", batches, written)
	}
	t.Logf("%.1f frames per write", float64(written)/float64(batches))
}

func TestFlushersWakeLazily(t *testing.T) {
	for _, tc := range []struct {
		size, idle, pending int
		want                bool
	}{
		{2, 2, 1, true},                // nobody works: wake one
		{2, 1, 10, false},              // one works and will take these next round
		{2, 1, flushChunk, false},      // exactly its next round
		{2, 1, flushChunk + 1, true},   // a backlog: wake the other
		{2, 0, 10 * flushChunk, false}, // nobody left to wake
		{4, 2, 2*flushChunk + 1, true}, // two work, the backlog exceeds their rounds
		{4, 2, 2 * flushChunk, false},
	} {
		q := &flushQueue{size: tc.size, idle: tc.idle, pending: make([]*conn, tc.pending)}
		if got := q.wantMoreLocked(); got != tc.want {
			t.Errorf("%+v: got %v", tc, got)
		}
	}
}
