package hubtest

import (
	"errors"
	"testing"
	"time"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

func frame(payload string) []byte {
	n := len(payload)
	switch {
	case n < 126:
		return append([]byte{0x81, byte(n)}, payload...)
	case n <= 0xFFFF:
		return append([]byte{0x81, 126, byte(n >> 8), byte(n)}, payload...)
	}
	return append([]byte{0x81, 127, 0, 0, 0, 0, 0, byte(n >> 16), byte(n >> 8), byte(n)}, payload...)
}

func TestDecodeFrame(t *testing.T) {
	bad := [][]byte{
		nil, {0x81}, {0x01, 0}, {0x82, 0}, {0x81, 0x80}, {0x81, 5, 'a'},
		{0x81, 126, 0, 5, 'a', 'b', 'c', 'd', 'e'}, // non-minimal 16-bit
		{0x81, 127, 0, 0, 0, 0, 0, 0, 0, 5},        // non-minimal 64-bit
		{0x81, 126, 1}, {0x81, 127, 0},
	}
	for _, f := range bad {
		if _, err := DecodeFrame(f); !errors.Is(err, ErrBadFrame) {
			t.Errorf("%v: %v", f, err)
		}
	}
	for _, n := range []int{0, 125, 126, 70000} {
		p := string(make([]byte, n))
		if got, err := DecodeFrame(frame(p)); err != nil || len(got) != n {
			t.Errorf("n=%d: %v", n, err)
		}
	}
}

func TestConn(t *testing.T) {
	c := NewConn()
	if err := c.WriteFrame(frame(`{"event":"e","channel":"c","data":"{\"a\":1}"}`)); err != nil {
		t.Fatal(err)
	}
	_ = c.WriteFrame([]byte("garbage"))
	if c.Err() == nil {
		t.Fatal("bad frame not recorded")
	}
	e, ok := c.Wait("e", "c", time.Second)
	var d struct{ A int }
	if !ok || e.DataString() != `{"a":1}` || e.DataInto(&d) != nil || d.A != 1 {
		t.Fatalf("%+v", e)
	}
	if _, ok := c.Wait("missing", "", 10*time.Millisecond); ok {
		t.Fatal("found missing")
	}
	go func() { _ = c.WriteFrame(frame(`{"event":"late"}`)) }()
	if _, ok := c.Wait("late", "", 5*time.Second); !ok {
		t.Fatal("Wait missed a later event")
	}
	c.Limit = 2
	if err := c.WriteFrame(frame(`{"event":"x"}`)); !errors.Is(err, ErrFull) {
		t.Fatal(err)
	}
	closes := 0
	c.OnClose = func(pusher.Code, string) { closes++ }
	c.Close(4200, "bye")
	c.Close(4000, "again")
	if closed, code, reason := c.Closed(); !closed || code != 4200 || reason != "bye" || closes != 1 {
		t.Fatal(code, reason, closes)
	}
	c.Reset()
	if len(c.Events()) != 0 || len(c.Find("e", "")) != 0 {
		t.Fatal("Reset")
	}
	var cc CountingConn
	_ = cc.WriteFrame([]byte("abc"))
	cc.Close(0, "")
	if cc.Frames.Load() != 1 || cc.Bytes.Load() != 3 || !cc.Closed() {
		t.Fatal("CountingConn")
	}
	apps := NewApps[string]()
	apps.Put("id", "key", "app")
	if v, ok := apps.ByID("id"); !ok || v != "app" {
		t.Fatal("ByID")
	}
	if _, ok := apps.ByKey("nope"); ok {
		t.Fatal("ByKey")
	}
}
