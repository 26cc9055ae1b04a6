package wsconn

import (
	"bytes"
	"io"
	"net"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gobwas/ws"
)

// scriptConn is a net.Conn that reads a fixed script, then EOF, and
// discards writes.
type scriptConn struct {
	mu     sync.Mutex
	r      *bytes.Reader
	closed bool
}

func (c *scriptConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, net.ErrClosed
	}
	return c.r.Read(p)
}
func (c *scriptConn) Write(p []byte) (int, error)         { return len(p), nil }
func (c *scriptConn) Close() error                        { c.closed = true; return nil }
func (c *scriptConn) LocalAddr() net.Addr                 { return &net.TCPAddr{} }
func (c *scriptConn) RemoteAddr() net.Addr                { return &net.TCPAddr{} }
func (c *scriptConn) SetDeadline(time.Time) error         { return nil }
func (c *scriptConn) SetReadDeadline(time.Time) error     { return nil }
func (c *scriptConn) SetWriteDeadline(time.Time) error    { return nil }
func (c *scriptConn) CloseWrite() error                   { return nil }
func (c *scriptConn) String() string                      { return "script" }
func (c *scriptConn) ReadFrom(r io.Reader) (int64, error) { return io.Copy(io.Discard, r) }

// recordingSession checks what the reader hands to Handle.
type recordingSession struct {
	t      *testing.T
	max    int
	closes int
}

func (s *recordingSession) Handle(msg []byte) {
	if len(msg) > s.max || !utf8.Valid(msg) {
		s.t.Fatalf("Handle got %d bytes (max %d), valid UTF-8: %v", len(msg), s.max, utf8.Valid(msg))
	}
}
func (s *recordingSession) Ping()  {}
func (s *recordingSession) Close() { s.closes++ }

func maskedFrame(op ws.OpCode, fin bool, p []byte) []byte {
	var b bytes.Buffer
	_ = ws.WriteFrame(&b, ws.MaskFrame(ws.NewFrame(op, fin, p)))
	return b.Bytes()
}

// FuzzReadLoop feeds arbitrary bytes to the read loop: it must not panic,
// must only hand valid UTF-8 messages within the cap to Handle, and must
// call Session.Close exactly once.
func FuzzReadLoop(f *testing.F) {
	f.Add(maskedFrame(ws.OpText, true, []byte(`{"event":"pusher:ping","data":{}}`)))
	f.Add(append(maskedFrame(ws.OpText, false, []byte("ab")), maskedFrame(ws.OpContinuation, true, []byte("cd"))...))
	f.Add(maskedFrame(ws.OpPing, true, []byte("x")))
	f.Add(maskedFrame(ws.OpClose, true, []byte{0x03, 0xe8}))
	f.Add(maskedFrame(ws.OpText, true, []byte{0xff}))
	f.Add([]byte{0x81, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, script []byte) {
		o, _ := Options{}.withDefaults()
		c := newConn(&scriptConn{r: bytes.NewReader(script)}, &o, "", 64, nil)
		s := &recordingSession{t: t, max: 64}
		c.readLoop(s)
		if s.closes != 1 {
			t.Fatalf("Session.Close called %d times", s.closes)
		}
	})
}
