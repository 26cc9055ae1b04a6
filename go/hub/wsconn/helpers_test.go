package wsconn

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"net"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// waitLong bounds every wait in these tests; generous for a loaded box.
const waitLong = 20 * time.Second

// fakeEngine knows the key "good" (and "small" with a 1 KiB message cap);
// "off" is disabled. Open needs protocol=7.
type fakeEngine struct {
	mu       sync.Mutex
	sessions []*fakeSession
	opened   chan *fakeSession
}

func newFakeEngine() *fakeEngine { return &fakeEngine{opened: make(chan *fakeSession, 64)} }

func (e *fakeEngine) Resolve(key string) (*hub.App, *pusher.Error) {
	switch key {
	case "good":
		return &hub.App{ID: "1", Key: key}, nil
	case "small":
		return &hub.App{ID: "2", Key: key, Limits: pusher.Limits{MaxMessageBytes: 1024}}, nil
	case "off":
		return nil, pusher.NewCloseError(pusher.CodeAppDisabled, "app disabled")
	}
	return nil, pusher.NewCloseError(pusher.CodeAppNotFound, "unknown app key")
}

func (e *fakeEngine) Open(app *hub.App, c hub.Conn, meta hub.ConnMeta) (Session, error) {
	if !meta.HasProtocol {
		return nil, pusher.NewCloseError(pusher.CodeNoProtocol, "no protocol version")
	}
	s := newFakeSession(c)
	if err := c.WriteFrame(textFrame([]byte(`{"event":"pusher:connection_established"}`))); err != nil {
		return nil, err
	}
	e.mu.Lock()
	e.sessions = append(e.sessions, s)
	e.mu.Unlock()
	e.opened <- s
	return s, nil
}

// fakeSession records messages; "echo:X" writes X back, "close" closes
// with 4009 after writing "bye".
type fakeSession struct {
	conn       hub.Conn
	msgs       chan string
	pings      atomic.Int32
	closeCalls atomic.Int32
	closeCode  atomic.Int32 // code given to CloseWith
	closed     chan struct{}
}

func (s *fakeSession) Handle(msg []byte) {
	m := string(msg)
	switch {
	case strings.HasPrefix(m, "echo:"):
		_ = s.conn.WriteFrame(textFrame([]byte(m[5:])))
	case m == "close":
		_ = s.conn.WriteFrame(textFrame([]byte("bye")))
		s.conn.Close(pusher.CodeUnauthorized, "terminated")
	}
	s.msgs <- m
}

func (s *fakeSession) Ping() {
	s.pings.Add(1)
	_ = s.conn.WriteFrame(textFrame([]byte(`{"event":"pusher:ping","data":"{}"}`)))
}

func (s *fakeSession) Close() {
	if s.closeCalls.Add(1) == 1 {
		close(s.closed)
	}
}

// CloseWith records the transport's close code, then closes.
func (s *fakeSession) CloseWith(code pusher.Code) {
	s.closeCode.CompareAndSwap(0, int32(code))
	s.Close()
}

// newFakeSession returns a session that writes on c.
func newFakeSession(c hub.Conn) *fakeSession {
	return &fakeSession{conn: c, msgs: make(chan string, 1024), closed: make(chan struct{})}
}

// expectClosedWith waits for the transport to close the session and checks
// it did so exactly once, reporting code.
func (s *fakeSession) expectClosedWith(t *testing.T, code pusher.Code) {
	t.Helper()
	s.waitClosed(t)
	if n := s.closeCalls.Load(); n != 1 {
		t.Fatalf("session.Close called %d times", n)
	}
	if got := s.closeCode.Load(); got != int32(code) {
		t.Fatalf("session closed with code %d, want %d", got, code)
	}
}

func (s *fakeSession) waitClosed(t *testing.T) {
	t.Helper()
	select {
	case <-s.closed:
	case <-time.After(waitLong):
		t.Fatal("session.Close was not called")
	}
}

// startServer serves h on a real loopback TCP server.
func startServer(t *testing.T, e Engine, o Options) string {
	t.Helper()
	h, err := NewHandler(e, o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

// client is a raw gobwas/ws client connection.
type client struct {
	t  *testing.T
	nc net.Conn
	br *bufio.Reader
}

func dial(t *testing.T, url string) *client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	nc, br, _, err := ws.Dial(ctx, url)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	if br == nil {
		br = bufio.NewReader(nc)
	}
	return &client{t: t, nc: nc, br: br}
}

// dialOpen dials and consumes connection_established.
func dialOpen(t *testing.T, base string, e *fakeEngine) (*client, *fakeSession) {
	t.Helper()
	c := dial(t, base+"/app/good?protocol=7")
	c.expectText(`{"event":"pusher:connection_established"}`)
	select {
	case s := <-e.opened:
		return c, s
	case <-time.After(waitLong):
		t.Fatal("no session opened")
	}
	return nil, nil
}

func (c *client) send(op ws.OpCode, fin bool, p []byte) {
	c.t.Helper()
	f := ws.NewFrame(op, fin, p)
	if err := ws.WriteFrame(c.nc, ws.MaskFrame(f)); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

func (c *client) next() ws.Frame {
	c.t.Helper()
	_ = c.nc.SetReadDeadline(time.Now().Add(waitLong))
	f, err := ws.ReadFrame(c.br) //nolint:staticcheck // bounded test input
	if err != nil {
		c.t.Fatalf("read frame: %v", err)
	}
	return f
}

func (c *client) expectText(want string) {
	c.t.Helper()
	f := c.next()
	if f.Header.OpCode != ws.OpText || string(f.Payload) != want {
		c.t.Fatalf("got op %v %q, want text %q", f.Header.OpCode, f.Payload, want)
	}
}

// expectError reads a pusher:error and returns its code.
func (c *client) expectError() int {
	c.t.Helper()
	f := c.next()
	var ev struct {
		Event string `json:"event"`
		Data  struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"data"`
	}
	if f.Header.OpCode != ws.OpText || json.Unmarshal(f.Payload, &ev) != nil || ev.Event != pusher.EventError {
		c.t.Fatalf("want pusher:error, got op %v %q", f.Header.OpCode, f.Payload)
	}
	return ev.Data.Code
}

// expectClose skips text frames (when skip is true) until a close frame and returns its code.
func (c *client) expectClose(skip bool) int {
	c.t.Helper()
	for {
		f := c.next()
		if f.Header.OpCode == ws.OpClose { // answer like a real client, then hang up
			_ = ws.WriteFrame(c.nc, ws.MaskFrame(ws.NewCloseFrame(f.Payload)))
			_ = c.nc.Close()
			if len(f.Payload) < 2 {
				return 0
			}
			return int(binary.BigEndian.Uint16(f.Payload))
		}
		if !skip {
			c.t.Fatalf("want close, got op %v %q", f.Header.OpCode, f.Payload)
		}
	}
}

// expectErrorAndClose checks a pusher:error followed by a close, both with code.
func (c *client) expectErrorAndClose(code int) {
	c.t.Helper()
	// A WebSocket-level close code (below 4000) is not a Pusher error code:
	// the pusher:error carries "code": null (decoded as 0) for those.
	want := code
	if code < 4000 {
		want = 0
	}
	if got := c.expectError(); got != want {
		c.t.Fatalf("pusher:error code %d, want %d", got, want)
	}
	if got := c.expectClose(false); got != code {
		c.t.Fatalf("close code %d, want %d", got, code)
	}
}

// newTestHub returns a running hub with one app whose id and key are id
// (secret "s"), closed when the test ends; metrics may be nil.
func newTestHub(tb testing.TB, id string, metrics hub.Metrics) *hub.Hub {
	tb.Helper()
	apps, err := hub.NewStaticApps(&hub.App{ID: id, Key: id, Secret: "s"})
	if err != nil {
		tb.Fatal(err)
	}
	h, err := hub.New(hub.Config{Apps: apps, Metrics: metrics})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = h.Close() })
	return h
}

// expectPingThenPongTimeout checks what a silent client sees: one ping
// (pusher:ping and a WebSocket ping), then pusher:error and close 4201, and
// that the session was pinged once and closed.
func (c *client) expectPingThenPongTimeout(s *fakeSession) {
	c.t.Helper()
	c.expectText(`{"event":"pusher:ping","data":"{}"}`)
	if f := c.next(); f.Header.OpCode != ws.OpPing {
		c.t.Fatalf("want a WebSocket ping, got %v", f.Header.OpCode)
	}
	c.expectErrorAndClose(int(pusher.CodePongTimeout))
	s.waitClosed(c.t)
	if n := s.pings.Load(); n != 1 {
		c.t.Fatalf("session.Ping called %d times, want 1", n)
	}
}
