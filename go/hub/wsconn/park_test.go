package wsconn

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

// A TLS connection buffers above the socket, so it never parks: its reader
// stays in a blocking Read, pings and echoes work as before.
func TestTLSConnectionDoesNotPark(t *testing.T) {
	e := newFakeEngine()
	h, err := NewHandler(e, Options{PingPeriod: 100 * time.Millisecond, PongWait: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(h)
	t.Cleanup(srv.Close)
	d := ws.Dialer{TLSConfig: srv.Client().Transport.(*http.Transport).TLSClientConfig}
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	nc, br, _, err := d.Dial(ctx, "wss"+strings.TrimPrefix(srv.URL, "https")+"/app/good?protocol=7")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = nc.Close() })
	if br == nil {
		br = bufio.NewReader(nc)
	}
	c := &client{t: t, nc: nc, br: br}
	c.expectText(`{"event":"pusher:connection_established"}`)
	s := <-e.opened
	sc := s.conn.(*conn)
	for f := c.next(); f.Header.OpCode != ws.OpPing; f = c.next() {
	}
	c.send(ws.OpPong, true, nil)
	c.send(ws.OpText, true, []byte("echo:tls"))
	for f := c.next(); f.Header.OpCode != ws.OpText || string(f.Payload) != "tls"; f = c.next() {
	}
	if sc.rd.state.Load() != readRunning {
		t.Fatalf("TLS connection set up for parking (state %d)", sc.rd.state.Load())
	}
	_ = nc.Close()
	s.waitClosed(t)
}
