//go:build linux

package wsconn

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// shortParkDelay makes readers park 1 ms after activity for this test.
func shortParkDelay(t *testing.T) {
	t.Helper()
	parkDelay.Store(int64(time.Millisecond))
	t.Cleanup(func() { parkDelay.Store(int64(defaultParkDelay)) })
}

// serverConn returns the transport connection behind a fake session.
// openParkable starts a server with opts and a short park delay and opens
// one connection: the client, its fake session and the server's conn.
func openParkable(t *testing.T, opts Options) (*client, *fakeSession, *conn) {
	t.Helper()
	shortParkDelay(t)
	e := newFakeEngine()
	base := startServer(t, e, opts)
	c, s := dialOpen(t, base, e)
	return c, s, serverConn(t, s)
}

func serverConn(t *testing.T, s *fakeSession) *conn {
	t.Helper()
	c, ok := s.conn.(*conn)
	if !ok {
		t.Fatalf("session conn is %T", s.conn)
	}
	return c
}

// waitParked waits until c's reader has parked.
func waitParked(t *testing.T, c *conn) {
	t.Helper()
	waitFor(t, "the reader to park", func() bool { return c.rd.state.Load() == readParked })
}

// waitFor polls cond until it holds, failing after waitLong.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(waitLong); !cond(); {
		if time.Now().After(end) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// pollerEntries returns how many descriptors and deadlines the poller holds
// for conns.
func pollerEntries(conns []*conn) (fds, deadlines int) {
	parkPoller.mu.Lock()
	defer parkPoller.mu.Unlock()
	for _, c := range conns {
		if parkPoller.connLocked(c.rd.fd) == c && c.rd.registered {
			fds++
		}
		if c.rd.slot != 0 {
			deadlines++
		}
	}
	return fds, deadlines
}

func TestParkedConnectionsHaveNoGoroutine(t *testing.T) {
	const n = 200
	shortParkDelay(t)
	e := newFakeEngine()
	base := startServer(t, e, Options{})
	runtime.GC()
	before := runtime.NumGoroutine()
	clients := make([]*client, n)
	conns := make([]*conn, n)
	for i := range n {
		var s *fakeSession
		clients[i], s = dialOpen(t, base, e)
		conns[i] = serverConn(t, s)
	}
	for _, c := range conns {
		waitParked(t, c)
	}
	// Every reader has parked, so its goroutine has returned or is
	// returning; allow a few stragglers (HTTP and writer goroutines ending).
	waitFor(t, "parked goroutines to exit", func() bool { return runtime.NumGoroutine() < before+n/10 })
	if fds, deadlines := pollerEntries(conns); fds != n || deadlines != n {
		t.Fatalf("poller holds %d descriptors and %d deadlines, want %d", fds, deadlines, n)
	}
	// Each parked connection wakes on a message and parks again.
	for i, c := range clients {
		c.send(ws.OpText, true, fmt.Appendf(nil, "echo:%d", i))
	}
	for i, c := range clients {
		c.expectText(fmt.Sprint(i))
	}
	for _, c := range conns {
		waitParked(t, c)
	}
	waitFor(t, "woken goroutines to exit", func() bool { return runtime.NumGoroutine() < before+n/10 })
}

func TestParkedConnectionIsPingedThenClosed(t *testing.T) {
	shortParkDelay(t)
	e := newFakeEngine()
	base := startServer(t, e, Options{PingPeriod: 200 * time.Millisecond, PongWait: 400 * time.Millisecond})
	c, s := dialOpen(t, base, e) // silent from now on: the reader parks and only its deadline wakes it
	c.expectPingThenPongTimeout(s)
	if n := s.closeCalls.Load(); n != 1 {
		t.Fatalf("session.Close called %d times", n)
	}
	if fds, deadlines := pollerEntries([]*conn{serverConn(t, s)}); fds != 0 || deadlines != 0 {
		t.Fatalf("closed conn still in the poller: %d %d", fds, deadlines)
	}
}

func TestParkedConnectionAnsweringPingsStays(t *testing.T) {
	c, _, sc := openParkable(t, Options{PingPeriod: 100 * time.Millisecond, PongWait: 5 * time.Second})
	for pings := 0; pings < 4; {
		waitParked(t, sc)
		if f := c.next(); f.Header.OpCode == ws.OpPing {
			pings++
			c.send(ws.OpPong, true, f.Payload)
		}
	}
	c.send(ws.OpText, true, []byte("echo:alive"))
	for f := c.next(); f.Header.OpCode != ws.OpText || string(f.Payload) != "alive"; f = c.next() {
		if f.Header.OpCode == ws.OpClose {
			t.Fatal("closed although pongs were sent")
		}
	}
}

func TestParkedConnectionServerClose(t *testing.T) {
	c, s, sc := openParkable(t, Options{})
	waitParked(t, sc)
	sc.Close(pusher.CodeUnauthorized, "terminated")
	if code := c.expectClose(false); code != int(pusher.CodeUnauthorized) {
		t.Fatalf("close code %d", code)
	}
	s.waitClosed(t)
	if got := s.closeCode.Load(); got != int32(pusher.CodeUnauthorized) {
		t.Fatalf("session closed with %d", got)
	}
	if fds, deadlines := pollerEntries([]*conn{sc}); fds != 0 || deadlines != 0 {
		t.Fatalf("closed conn still in the poller: %d %d", fds, deadlines)
	}
}

func TestParkedConnectionServerCloseWithSilentClient(t *testing.T) {
	c, s, sc := openParkable(t, Options{CloseGrace: 100 * time.Millisecond})
	waitParked(t, sc)
	sc.Close(pusher.CodeUnauthorized, "terminated") // the client never answers
	if f := c.next(); f.Header.OpCode != ws.OpClose {
		t.Fatalf("want close, got %v", f.Header.OpCode)
	}
	s.waitClosed(t)
	if n := s.closeCalls.Load(); n != 1 {
		t.Fatalf("session.Close called %d times", n)
	}
}

func TestParkedConnectionClientDisconnect(t *testing.T) {
	c, s, sc := openParkable(t, Options{})
	waitParked(t, sc)
	_ = c.nc.Close()
	s.expectClosedWith(t, closeAbnormal)
	if fds, deadlines := pollerEntries([]*conn{sc}); fds != 0 || deadlines != 0 {
		t.Fatalf("closed conn still in the poller: %d %d", fds, deadlines)
	}
}

func TestSpuriousWakesAreHarmless(t *testing.T) {
	c, s, sc := openParkable(t, Options{})
	for range 50 {
		waitParked(t, sc)
		sc.wake()
	}
	waitParked(t, sc)
	c.send(ws.OpText, true, []byte("echo:still here"))
	c.expectText("still here")
	if n := s.pings.Load(); n != 0 {
		t.Fatalf("spurious wakes pinged %d times", n)
	}
}

// Descriptor numbers are reused as soon as a socket closes: connections
// that come and go must never wake or detach one another.
func TestDescriptorReuseAfterClose(t *testing.T) {
	shortParkDelay(t)
	e := newFakeEngine()
	base := startServer(t, e, Options{})
	keep, ks := dialOpen(t, base, e)
	kc := serverConn(t, ks)
	var gone []*conn
	for i := range 40 {
		c, s := dialOpen(t, base, e)
		sc := serverConn(t, s)
		waitParked(t, sc)
		if i%2 == 0 {
			_ = c.nc.Close()
		} else {
			sc.Close(pusher.CodeUnauthorized, "bye")
			c.expectClose(false)
		}
		s.waitClosed(t)
		gone = append(gone, sc)
		// A newcomer likely gets the descriptor just freed.
		n, ns := dialOpen(t, base, e)
		waitParked(t, serverConn(t, ns))
		n.send(ws.OpText, true, fmt.Appendf(nil, "echo:n%d", i))
		n.expectText(fmt.Sprintf("n%d", i))
		if ns.closeCalls.Load() != 0 {
			t.Fatal("newcomer closed")
		}
	}
	if fds, deadlines := pollerEntries(gone); fds != 0 || deadlines != 0 {
		t.Fatalf("closed conns still in the poller: %d descriptors, %d deadlines", fds, deadlines)
	}
	for _, sc := range gone {
		if st := sc.rd.state.Load(); st != readRunning {
			t.Fatalf("closed conn in reader state %d", st)
		}
	}
	waitParked(t, kc)
	keep.send(ws.OpText, true, []byte("echo:kept"))
	keep.expectText("kept")
}

// With the default delay a reader first lingers in Read after activity,
// then parks; a message wakes it either way.
func TestReaderLingersThenParks(t *testing.T) {
	e := newFakeEngine()
	base := startServer(t, e, Options{})
	c, s := dialOpen(t, base, e)
	sc := serverConn(t, s)
	c.send(ws.OpText, true, []byte("echo:one"))
	c.expectText("one")
	waitParked(t, sc)
	c.send(ws.OpText, true, []byte("echo:two"))
	c.expectText("two")
	waitParked(t, sc)
	if n := s.pings.Load(); n != 0 {
		t.Fatalf("pinged %d times", n)
	}
}
