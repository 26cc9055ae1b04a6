package wsconn

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

func TestEchoInOrderAndFragments(t *testing.T) {
	e := newFakeEngine()
	base := startServer(t, e, Options{})
	c, s := dialOpen(t, base, e)
	for i := range 100 {
		c.send(ws.OpText, true, fmt.Appendf(nil, "echo:%d", i))
	}
	for i := range 100 {
		c.expectText(fmt.Sprint(i))
	}
	// A fragmented message with a ping in the middle.
	c.send(ws.OpText, false, []byte("echo:fr"))
	c.send(ws.OpPing, true, []byte("p"))
	c.send(ws.OpContinuation, false, []byte("ag"))
	c.send(ws.OpContinuation, true, []byte("ment"))
	if f := c.next(); f.Header.OpCode != ws.OpPong || string(f.Payload) != "p" {
		t.Fatalf("want pong p, got %v %q", f.Header.OpCode, f.Payload)
	}
	c.expectText("fragment")
	c.send(ws.OpClose, true, ws.NewCloseFrameBody(ws.StatusNormalClosure, "bye"))
	if code := c.expectClose(false); code != 1000 {
		t.Fatalf("close echo %d, want 1000", code)
	}
	s.waitClosed(t)
}

func TestRefusedConnections(t *testing.T) {
	e := newFakeEngine()
	base := startServer(t, e, Options{})
	cases := []struct {
		name string
		path string
		code pusher.Code
	}{
		{name: "unknown app", path: "/app/nope?protocol=7", code: pusher.CodeAppNotFound},
		{name: "disabled app", path: "/app/off?protocol=7", code: pusher.CodeAppDisabled},
		{name: "no protocol", path: "/app/good", code: pusher.CodeNoProtocol},
		{name: "bad path", path: "/other/good?protocol=7", code: pusher.CodePathNotFound},
		{name: "empty key", path: "/app/?protocol=7", code: pusher.CodePathNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := dial(t, base+tc.path)
			c.expectErrorAndClose(int(tc.code))
		})
	}
}

func TestInboundViolations(t *testing.T) {
	e := newFakeEngine()
	base := startServer(t, e, Options{})
	big := bytes.Repeat([]byte("a"), 1025)
	cases := []struct {
		name string
		send func(c *client)
		code pusher.Code
	}{
		{name: "binary", code: closeUnsupportedData,
			send: func(c *client) { c.send(ws.OpBinary, true, []byte("x")) }},
		{name: "too big", code: closeTooBig,
			send: func(c *client) { c.send(ws.OpText, true, big) }},
		{name: "too big fragmented", code: closeTooBig,
			send: func(c *client) {
				c.send(ws.OpText, false, big[:600])
				c.send(ws.OpContinuation, true, big[:600])
			}},
		{name: "invalid utf8", code: closeInvalidPayload,
			send: func(c *client) { c.send(ws.OpText, true, []byte{'a', 0xff, 0xfe}) }},
		{name: "orphan continuation", code: closeProtocolError,
			send: func(c *client) { c.send(ws.OpContinuation, true, []byte("x")) }},
		{name: "text inside fragmented message", code: closeProtocolError,
			send: func(c *client) {
				c.send(ws.OpText, false, []byte("x"))
				c.send(ws.OpText, true, []byte("y"))
			}},
		{name: "unmasked", code: closeProtocolError,
			send: func(c *client) { _ = ws.WriteFrame(c.nc, ws.NewTextFrame([]byte("x"))) }},
		{name: "reserved bits", code: closeProtocolError,
			send: func(c *client) {
				f := ws.MaskFrame(ws.NewTextFrame([]byte("x")))
				f.Header.Rsv = ws.Rsv(true, false, false)
				_ = ws.WriteFrame(c.nc, f)
			}},
		{name: "long ping", code: closeProtocolError,
			send: func(c *client) { c.send(ws.OpPing, true, bytes.Repeat([]byte("p"), 126)) }},
		{name: "reserved opcode", code: closeProtocolError,
			send: func(c *client) { c.send(ws.OpCode(0x3), true, []byte("x")) }},
		{name: "bad close code", code: closeProtocolError,
			send: func(c *client) { c.send(ws.OpClose, true, []byte{0x03, 0xe7}) }}, // 999
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := dial(t, base+"/app/small?protocol=7")
			c.expectText(`{"event":"pusher:connection_established"}`)
			s := <-e.opened
			tc.send(c)
			c.expectErrorAndClose(int(tc.code))
			s.expectClosedWith(t, tc.code)
		})
	}
}

func TestMessageAtCapIsAccepted(t *testing.T) {
	e := newFakeEngine()
	base := startServer(t, e, Options{})
	c := dial(t, base+"/app/small?protocol=7")
	c.expectText(`{"event":"pusher:connection_established"}`)
	s := <-e.opened
	msg := append([]byte("echo:"), bytes.Repeat([]byte("b"), 1024-5)...)
	c.send(ws.OpText, true, msg)
	c.expectText(string(msg[5:]))
	if got := <-s.msgs; len(got) != 1024 {
		t.Fatalf("got %d bytes", len(got))
	}
}

func TestPingFrameGetsPong(t *testing.T) {
	e := newFakeEngine()
	base := startServer(t, e, Options{})
	c, _ := dialOpen(t, base, e)
	c.send(ws.OpPing, true, []byte("abc"))
	if f := c.next(); f.Header.OpCode != ws.OpPong || string(f.Payload) != "abc" {
		t.Fatalf("want pong abc, got %v %q", f.Header.OpCode, f.Payload)
	}
}

func TestPongTimeoutCloses4201(t *testing.T) {
	e := newFakeEngine()
	base := startServer(t, e, Options{PingPeriod: 50 * time.Millisecond, PongWait: 150 * time.Millisecond})
	c, s := dialOpen(t, base, e)
	c.expectPingThenPongTimeout(s)
}

func TestAnsweredPingsKeepConnectionAlive(t *testing.T) {
	e := newFakeEngine()
	base := startServer(t, e, Options{PingPeriod: 50 * time.Millisecond, PongWait: 5 * time.Second})
	c, s := dialOpen(t, base, e)
	for pings := 0; pings < 3; {
		f := c.next()
		switch f.Header.OpCode {
		case ws.OpPing:
			pings++
			c.send(ws.OpPong, true, f.Payload)
		case ws.OpText:
		default:
			t.Fatalf("unexpected frame %v %q", f.Header.OpCode, f.Payload)
		}
	}
	c.send(ws.OpText, true, []byte("echo:alive"))
	for {
		f := c.next()
		if f.Header.OpCode == ws.OpText && string(f.Payload) == "alive" {
			break
		}
		if f.Header.OpCode == ws.OpClose {
			t.Fatal("closed although pongs were sent")
		}
	}
	if s.pings.Load() < 3 {
		t.Fatalf("session.Ping called %d times", s.pings.Load())
	}
}

func TestServerCloseFlushesFirst(t *testing.T) {
	e := newFakeEngine()
	base := startServer(t, e, Options{})
	c, s := dialOpen(t, base, e)
	c.send(ws.OpText, true, []byte("close"))
	c.expectText("bye")
	if code := c.expectClose(false); code != int(pusher.CodeUnauthorized) {
		t.Fatalf("close code %d", code)
	}
	s.waitClosed(t)
	if err := s.conn.WriteFrame(textFrame([]byte("late"))); !errors.Is(err, hub.ErrClosed) {
		t.Fatalf("WriteFrame after close: %v", err)
	}
	s.conn.Close(4200, "again") // idempotent
}

func TestAbruptDisconnectClosesSession(t *testing.T) {
	e := newFakeEngine()
	base := startServer(t, e, Options{})
	c, s := dialOpen(t, base, e)
	_ = c.nc.Close()
	s.expectClosedWith(t, closeAbnormal)
}

func TestSlowConsumerCloses4101(t *testing.T) {
	e := newFakeEngine()
	base := startServer(t, e, Options{WriteQueueBytes: 256 << 10})
	c, s := dialOpen(t, base, e)
	frame := textFrame(bytes.Repeat([]byte("z"), 32<<10))
	var err error
	for i := 0; i < 100000 && err == nil; i++ { // the client does not read
		err = s.conn.WriteFrame(frame)
	}
	if !errors.Is(err, hub.ErrSlowConsumer) {
		t.Fatalf("want ErrSlowConsumer, got %v", err)
	}
	if err := s.conn.WriteFrame(frame); !errors.Is(err, hub.ErrClosed) {
		t.Fatalf("after overflow: %v", err)
	}
	for { // frames already in the socket, then the error and the close
		f := c.next()
		if f.Header.OpCode == ws.OpText && bytes.Contains(f.Payload, []byte(pusher.EventError)) {
			if !strings.Contains(string(f.Payload), `"code":4101`) {
				t.Fatalf("error event %q", f.Payload)
			}
			break
		}
		if f.Header.OpCode != ws.OpText || len(f.Payload) != 32<<10 {
			t.Fatalf("unexpected frame %v len %d", f.Header.OpCode, len(f.Payload))
		}
	}
	if code := c.expectClose(false); code != int(pusher.CodeSlowConsumer) {
		t.Fatalf("close code %d", code)
	}
	s.waitClosed(t)
	if got := s.closeCode.Load(); got != int32(pusher.CodeSlowConsumer) {
		t.Fatalf("session closed with code %d, want 4101", got)
	}
}

func TestOversizedFrameIsSlowConsumer(t *testing.T) {
	e := newFakeEngine()
	base := startServer(t, e, Options{WriteQueueBytes: 1024})
	c, s := dialOpen(t, base, e)
	if err := s.conn.WriteFrame(make([]byte, 2048)); !errors.Is(err, hub.ErrSlowConsumer) {
		t.Fatalf("got %v", err)
	}
	c.expectErrorAndClose(int(pusher.CodeSlowConsumer))
	s.waitClosed(t)
}

func TestBytesBufferedWithHandshake(t *testing.T) {
	e := newFakeEngine()
	base := startServer(t, e, Options{})
	c := rawHandshakeWithFrame(t, strings.TrimPrefix(base, "ws://"), "echo:early")
	c.expectText(`{"event":"pusher:connection_established"}`)
	c.expectText("early")
}

func TestKeyFromPath(t *testing.T) {
	cases := []struct {
		path string
		key  string
		ok   bool
	}{
		{path: "/app/abc", key: "abc", ok: true},
		{path: "/ws/app/abc", key: "abc", ok: true},
		{path: "/app/", ok: false},
		{path: "/app/abc/def", ok: false},
		{path: "/apps/abc", ok: false},
	}
	for _, tc := range cases {
		key, ok := KeyFromPath(tc.path)
		if key != tc.key || ok != tc.ok {
			t.Errorf("KeyFromPath(%q) = %q, %v", tc.path, key, ok)
		}
	}
}

func TestOptions(t *testing.T) {
	if _, err := NewHandler(nil, Options{}); !errors.Is(err, ErrInvalidOptions) {
		t.Fatalf("nil engine: %v", err)
	}
	o, _ := Options{}.withDefaults()
	last := time.Unix(1000, 0)
	if got := o.pongDeadline(last).Sub(last); got != 60*time.Second {
		t.Fatalf("default pong deadline after %s", got)
	}
	o, _ = Options{PingPeriod: time.Second, PongWait: time.Second}.withDefaults()
	if got := o.pongDeadline(last).Sub(last); got != 2*time.Second {
		t.Fatalf("short pong wait counted from the ping: %s", got)
	}
}

func TestPongWaitCountedFromPing(t *testing.T) {
	e := newFakeEngine()
	base := startServer(t, e, Options{PingPeriod: 50 * time.Millisecond, PongWait: 50 * time.Millisecond})
	c, s := dialOpen(t, base, e)
	c.expectText(`{"event":"pusher:ping","data":"{}"}`)
	c.expectClose(true)
	s.waitClosed(t)
}

// dropMetrics records Dropped calls.
type dropMetrics struct {
	hub.NopMetrics
	drops chan string
}

func (m *dropMetrics) Dropped(appID, reason string) { m.drops <- appID + " " + reason }

func TestWriteTimeoutDropsConnection(t *testing.T) {
	e := newFakeEngine()
	m := &dropMetrics{drops: make(chan string, 4)}
	base := startServer(t, e, Options{WriteWait: 50 * time.Millisecond, WriteQueueBytes: 1 << 30, Metrics: m})
	_, s := dialOpen(t, base, e)
	frame := textFrame(bytes.Repeat([]byte("w"), 32<<10))
	for range 2048 { // 64 MiB of shared frames: far more than the socket buffers hold
		if err := s.conn.WriteFrame(frame); err != nil {
			break
		}
	}
	s.waitClosed(t)
	select {
	case d := <-m.drops:
		if d != "1 "+DropWriteFailed {
			t.Fatalf("drop %q", d)
		}
	case <-time.After(waitLong):
		t.Fatal("no drop metric")
	}
}
