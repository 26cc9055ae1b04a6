package wsconn

import (
	"net"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// A read that fails while a requested close is still waiting for the
// writer (here: the writer is stuck on an earlier frame the client has not
// read yet) must not tear the connection down: the client still gets the
// queued frame and then the close frame. Before the fix, a just-connected
// socket whose short linger read timed out during a shutdown lost its 4200.
func TestReadErrorWhileClosingKeepsTheCloseFrame(t *testing.T) {
	sc, cc := net.Pipe() // writes block until the other side reads
	defer cc.Close()
	opts, _ := Options{CloseGrace: 200 * time.Millisecond}.withDefaults()
	c := newConn(sc, &opts, "app", 1<<16, nil)
	s := newFakeSession(c)
	go c.readLoop(s)
	time.Sleep(50 * time.Millisecond) // the reader now waits in Read

	if err := c.WriteFrame(textFrame([]byte("first"))); err != nil {
		t.Fatal(err)
	}
	c.Close(pusher.CodeReconnect, "Server is shutting down") // queued behind "first"
	// The reader's read fails now (as the linger read's deadline does),
	// while the close frame still waits for the writer.
	_ = sc.SetReadDeadline(time.Now())
	time.Sleep(50 * time.Millisecond) // let the reader act on it

	_ = cc.SetReadDeadline(time.Now().Add(5 * time.Second))
	f, err := ws.ReadFrame(cc)
	if err != nil || f.Header.OpCode != ws.OpText || string(f.Payload) != "first" {
		t.Fatalf("first frame: %v %+v", err, f.Header)
	}
	f, err = ws.ReadFrame(cc)
	if err != nil || f.Header.OpCode != ws.OpClose {
		t.Fatalf("want the close frame, got %v %+v", err, f.Header)
	}
	if code, _ := ws.ParseCloseFrameData(f.Payload); int(code) != int(pusher.CodeReconnect) {
		t.Fatalf("close code %d, want 4200", code)
	}
	_ = cc.Close()
	s.expectClosedWith(t, pusher.CodeReconnect)
}
