package main

import (
	"net"
	"testing"
	"time"

	"github.com/gobwas/ws"
)

// benchFrame is a server text frame carrying benchmark sequence seq.
func benchFrame(seq string) []byte {
	return ws.MustCompileFrame(ws.NewTextFrame([]byte(`{"event":"bench","channel":"c","data":"{\"seq\":` + seq + `,\"ts\":1}"}`)))
}

func TestReaderTakesOverBytesReadDuringHandshake(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	r, err := newReader(time.Now(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// Frame 1 complete and half of frame 2 were read before the handover.
	f2 := benchFrame("2")
	rest := append(benchFrame("1"), f2[:5]...)
	if err := r.add(&wsConn{Conn: client, rest: rest}, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Write(append(f2[5:], benchFrame("3")...)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for r.delivered.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	r.Stop()
	s := r.all[0]
	if r.delivered.Load() != 3 || s.track.dup != 0 || s.track.ooo != 0 || s.track.lost(3) != 0 {
		t.Fatalf("delivered %d, track %+v", r.delivered.Load(), s.track)
	}
}

func TestReaderRecordsServerClose(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	r, err := newReader(time.Now(), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.add(&wsConn{Conn: client}, 0); err != nil {
		t.Fatal(err)
	}
	_, _ = srv.Write(ws.MustCompileFrame(ws.NewCloseFrame(ws.NewCloseFrameBody(4100, "slow"))))
	_ = srv.Close()
	deadline := time.Now().Add(10 * time.Second)
	for r.closedN.Load() < 1 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	r.Stop()
	if s := r.all[0]; !s.closed || s.closeCode != 4100 {
		t.Fatalf("closed %v code %d", s.closed, s.closeCode)
	}
}
