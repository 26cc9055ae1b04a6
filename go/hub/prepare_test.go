package hub

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/y-l-g/websocket/go/hub/hubtest"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// TestPrepareFrame: the appended frame is the connection_established event
// Open sends, after whatever dst held.
func TestPrepareFrame(t *testing.T) {
	f := newFixture(t, nil, nil)
	c := hubtest.NewConn()
	s, out, err := f.h.Prepare(f.app, c, protocol7, []byte("HEAD"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	frame, ok := bytes.CutPrefix(out, []byte("HEAD"))
	if !ok {
		t.Fatalf("dst not kept: %q", out)
	}
	want := TextFrame([]byte(`{"event":"pusher:connection_established","data":` +
		strconv.Quote(`{"socket_id":"`+s.SocketID()+`","activity_timeout":30}`) + `}`))
	if !bytes.Equal(frame, want) {
		t.Fatalf("frame %q\nwant  %q", frame, want)
	}
	if len(c.Events()) != 0 {
		t.Fatal("Prepare wrote to the conn")
	}
}

// TestPreparePendingInvisible: before Start the session is not listed (no
// traffic, no shutdown); Start lists it; Close without Start undoes the
// connection count.
func TestPreparePendingInvisible(t *testing.T) {
	m := newCountingMetrics()
	f := newFixture(t, nil, func(c *Config) { c.Metrics = m })
	c := hubtest.NewConn()
	s, _, err := f.h.Prepare(f.app, c, protocol7, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.h.Connections() != 1 || len(f.h.allSessions()) != 0 {
		t.Fatalf("pending: %d connections, %d listed", f.h.Connections(), len(f.h.allSessions()))
	}
	s.Start()
	if len(f.h.allSessions()) != 1 {
		t.Fatal("started session not listed")
	}
	s.Close()
	s2, _, err := f.h.Prepare(f.app, hubtest.NewConn(), protocol7, nil)
	if err != nil {
		t.Fatal(err)
	}
	s2.Close() // the write failed: never started
	if f.h.Connections() != 0 || len(f.h.allSessions()) != 0 {
		t.Fatalf("after closes: %d connections, %d listed", f.h.Connections(), len(f.h.allSessions()))
	}
	if m.opened != 2 || m.sent != 1 {
		t.Fatalf("metrics opened=%d sent=%d", m.opened, m.sent)
	}
}

// TestPrepareStartDuringShutdown: a session started after Shutdown began is
// closed with 4200 like every other session, and Shutdown completes.
func TestPrepareStartDuringShutdown(t *testing.T) {
	f := newFixture(t, nil, nil)
	c := hubtest.NewConn()
	s, _, err := f.h.Prepare(f.app, c, protocol7, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.OnClose = func(pusher.Code, string) { go s.Close() }
	ctx, cancel := testContext()
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- f.h.Shutdown(ctx) }()
	for !f.h.shutting.Load() {
		if ctx.Err() != nil {
			t.Fatal("Shutdown did not start")
		}
	}
	s.Start()
	if err := <-done; err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if closed, code, _ := c.Closed(); !closed || code != pusher.CodeReconnect {
		t.Fatalf("closed=%v code=%d", closed, code)
	}
	if _, _, err := f.h.Prepare(f.app, hubtest.NewConn(), protocol7, nil); !isCode(err, pusher.CodeReconnect) {
		t.Fatalf("Prepare after shutdown: %v", err)
	}
}

// TestPrepareErrorsKeepDst: refusals return dst unchanged.
func TestPrepareErrorsKeepDst(t *testing.T) {
	f := newFixture(t, nil, nil)
	_, out, err := f.h.Prepare(f.app, hubtest.NewConn(), ConnMeta{}, []byte("HEAD"))
	if !isCode(err, pusher.CodeNoProtocol) || string(out) != "HEAD" {
		t.Fatalf("got %q, %v", out, err)
	}
	if f.h.Connections() != 0 {
		t.Fatal("refused connection counted")
	}
}

func isCode(err error, code pusher.Code) bool {
	var perr *pusher.Error
	return errors.As(err, &perr) && perr.Code == code
}

func TestAppendTextFrame(t *testing.T) {
	for _, n := range []int{0, 1, 125, 126, 127, 65535, 65536} {
		p := []byte(strings.Repeat("x", n))
		if got := appendTextFrame([]byte("ab"), p); !bytes.Equal(got[2:], TextFrame(p)) || string(got[:2]) != "ab" {
			t.Fatalf("%d bytes: frame differs from TextFrame", n)
		}
	}
}

// BenchmarkPrepareStartClose is BenchmarkOpenClose through Prepare and
// Start into a reused buffer, as wsconn's handler does.
func BenchmarkPrepareStartClose(b *testing.B) {
	f := newFixture(b, nil, nil)
	c := &hubtest.CountingConn{}
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for range b.N {
		s, out, err := f.h.Prepare(f.app, c, protocol7, buf[:0])
		if err != nil {
			b.Fatal(err)
		}
		buf = out
		s.Start()
		s.Close()
	}
}
