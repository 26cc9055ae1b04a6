package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gobwas/ws"
)

func TestParseFrameSizesAndPartialInput(t *testing.T) {
	for _, n := range []int{0, 125, 126, 65535, 65536} {
		payload := bytes.Repeat([]byte("a"), n)
		frame := ws.MustCompileFrame(ws.NewTextFrame(payload))
		for cut := 0; cut < len(frame); cut += 1 + len(frame)/7 {
			if _, _, _, ok, err := parseFrame(frame[:cut]); ok || err != nil {
				t.Fatalf("size %d cut %d: ok=%v err=%v", n, cut, ok, err)
			}
		}
		op, got, used, ok, err := parseFrame(append(frame, 0x81))
		if !ok || err != nil || op != opText || used != len(frame) || !bytes.Equal(got, payload) {
			t.Fatalf("size %d: op %x used %d ok %v err %v", n, op, used, ok, err)
		}
	}
}

func TestParseFrameRejectsMaskedAndHuge(t *testing.T) {
	if _, _, _, _, err := parseFrame(appendClientFrame(nil, opText, []byte("x"))); err != errMaskedServerFrame {
		t.Fatalf("masked: %v", err)
	}
	huge := []byte{0x81, 127, 0, 0, 0, 0, 0x10, 0, 0, 0}
	if _, _, _, _, err := parseFrame(huge); err == nil {
		t.Fatal("a 256 MiB frame must be refused")
	}
}

func TestClientFrameReadsBackWithGobwas(t *testing.T) {
	payload := []byte(strings.Repeat("z", 300))
	f, err := ws.ReadFrame(bytes.NewReader(appendClientFrame(nil, opText, payload)))
	if err != nil {
		t.Fatal(err)
	}
	if !f.Header.Masked || f.Header.OpCode != ws.OpText {
		t.Fatalf("header %+v", f.Header)
	}
	f = ws.UnmaskFrameInPlace(f)
	if !bytes.Equal(f.Payload, payload) {
		t.Fatal("payload differs")
	}
}

func TestBenchFieldsFromWireEnvelope(t *testing.T) {
	p := &publisher{pad: "xx"}
	body := p.body("bench-0", 42)
	// The server wraps the body's data string, escaped, into the envelope.
	_, data, _ := bytes.Cut(body, []byte(`"data":`))
	msg := []byte(`{"event":"bench","channel":"bench-0","data":` + string(bytes.TrimSuffix(data, []byte("}"))) + `}`)
	seq, ts, ok := benchFields(msg)
	if !ok || seq != 42 || ts < 0 {
		t.Fatalf("seq %d ts %d ok %v in %s", seq, ts, ok, msg)
	}
	if _, _, ok := benchFields([]byte(`{"event":"pusher:pong","data":"{}"}`)); ok {
		t.Fatal("a pong is not a benchmark event")
	}
	if n := testing.AllocsPerRun(100, func() { benchFields(msg) }); n != 0 {
		t.Fatalf("benchFields allocates %v times", n)
	}
}

func TestSocketIDAndCloseCode(t *testing.T) {
	msg := []byte(`{"event":"pusher:connection_established","data":"{\"socket_id\":\"123.456\",\"activity_timeout\":30}"}`)
	if id := socketIDOf(msg); id != "123.456" {
		t.Fatalf("socket id %q", id)
	}
	if socketIDOf([]byte(`{"event":"other"}`)) != "" {
		t.Fatal("not a handshake")
	}
	if closeCode([]byte{0x10, 0x04}) != 4100 || closeCode(nil) != 1005 {
		t.Fatal("close code")
	}
}
