package wsconn

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// BenchmarkHandshake opens a connection to the real hub (upgrade, Open,
// connection_established read by the client) and closes it, per op. Client
// and server share the process and its two cores.
func BenchmarkHandshake(b *testing.B) {
	h := newTestHub(b, "hs", nil)
	handler, err := NewHandler(HubEngine(h), Options{})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(handler)
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/app/hs?protocol=7"
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		nc, br, _, err := ws.Dial(context.Background(), url)
		if err != nil {
			b.Fatal(err)
		}
		if br == nil {
			br = bufio.NewReader(nc)
		}
		if _, err := ws.ReadHeader(br); err != nil {
			b.Fatal(err)
		}
		_ = nc.Close()
	}
}

// openOnly hides an engine's Prepare, forcing the general upgrade path.
type openOnly struct{ Engine }

// rawExchange sends req on a new connection to addr and returns what the
// server sends until it closes the connection (upTo 0), or until upTo
// complete WebSocket frames followed the response head.
func rawExchange(t *testing.T, addr, req string, upTo int) []byte {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(waitLong))
	if _, err := io.WriteString(nc, req); err != nil {
		t.Fatal(err)
	}
	var got []byte
	buf := make([]byte, 4096)
	for {
		if upTo > 0 && framesAfterHead(got) >= upTo {
			return got
		}
		n, err := nc.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			if upTo > 0 {
				t.Fatalf("read: %v after %q", err, got)
			}
			return got
		}
	}
}

// framesAfterHead counts the complete short server frames after an HTTP
// response head in b.
func framesAfterHead(b []byte) int {
	i := bytes.Index(b, []byte("\r\n\r\n"))
	if i < 0 {
		return 0
	}
	n := 0
	for rest := b[i+4:]; len(rest) >= 2 && len(rest) >= 2+int(rest[1]&0x7f); n++ {
		rest = rest[2+int(rest[1]&0x7f):]
	}
	return n
}

var socketIDRE = regexp.MustCompile(`\\"socket_id\\":\\"\d+\.\d+\\"`)

// withoutSocketIDs returns the response head of b followed by its short
// frames, each as its first byte and its payload with socket ids replaced
// (their length, and so the frame's length byte, varies).
func withoutSocketIDs(b []byte) []byte {
	i := bytes.Index(b, []byte("\r\n\r\n"))
	if i < 0 {
		return b
	}
	out := append([]byte(nil), b[:i+4]...)
	rest := b[i+4:]
	for len(rest) >= 2 && len(rest) >= 2+int(rest[1]&0x7f) {
		n := int(rest[1] & 0x7f)
		out = append(out, rest[0], '|')
		out = append(out, socketIDRE.ReplaceAll(rest[2:2+n], []byte("ID"))...)
		out = append(out, '|')
		rest = rest[2+n:]
	}
	return append(out, rest...)
}

func hubServer(t *testing.T, prepared bool) string {
	t.Helper()
	h := newTestHub(t, "hs", nil)
	e := HubEngine(h)
	if !prepared {
		e = openOnly{e}
	}
	u := startServer(t, e, Options{})
	return strings.TrimPrefix(u, "ws://")
}

const validKey = "dGhlIHNhbXBsZSBub25jZQ=="

func upgradeRequest(target string, headers ...string) string {
	h := map[string]string{"Host": "x", "Upgrade": "websocket", "Connection": "Upgrade",
		"Sec-WebSocket-Key": validKey, "Sec-WebSocket-Version": "13"}
	for i := 0; i+1 < len(headers); i += 2 {
		h[headers[i]] = headers[i+1]
	}
	var b strings.Builder
	b.WriteString("GET " + target + " HTTP/1.1\r\n")
	for k, v := range h {
		if v != "-" {
			b.WriteString(k + ": " + v + "\r\n")
		}
	}
	return b.String() + "\r\n"
}

// TestPreparedUpgradeMatchesUpgrader: for valid and invalid handshakes, the
// fast path answers with the same bytes as the general path (gobwas/ws's
// upgrader), apart from the socket id; refusals still get a 101, then
// pusher:error and a close frame.
func TestPreparedUpgradeMatchesUpgrader(t *testing.T) {
	fast, general := hubServer(t, true), hubServer(t, false)
	cases := []struct {
		name   string
		req    string
		frames int // frames after a 101 (refusals: pusher:error and close); 0 = HTTP error, read until the server closes
	}{
		{"valid", upgradeRequest("/app/hs?protocol=7"), 1},
		{"connection list", upgradeRequest("/app/hs?protocol=7", "Connection", "keep-alive, Upgrade"), 1},
		{"upgrade case", upgradeRequest("/app/hs?protocol=7", "Upgrade", "WebSocket", "Connection", "upgrade"), 1},
		{"query escapes", upgradeRequest("/app/hs?x=%zz&proto%63ol=%37&protocol=8"), 1},
		{"no protocol", upgradeRequest("/app/hs"), 2},
		{"bad protocol", upgradeRequest("/app/hs?protocol=9"), 2},
		{"semicolon pair skipped", upgradeRequest("/app/hs?protocol=7;x=1"), 2},
		{"unknown app", upgradeRequest("/app/nope?protocol=7"), 2},
		{"bad version", upgradeRequest("/app/hs?protocol=7", "Sec-WebSocket-Version", "12"), 0},
		{"no version", upgradeRequest("/app/hs?protocol=7", "Sec-WebSocket-Version", "-"), 0},
		{"short key", upgradeRequest("/app/hs?protocol=7", "Sec-WebSocket-Key", "abc"), 0},
		{"no upgrade", upgradeRequest("/app/hs?protocol=7", "Upgrade", "-"), 0},
		{"connection without upgrade", upgradeRequest("/app/hs?protocol=7", "Connection", "keep-alive"), 0},
		{"connection odd list", upgradeRequest("/app/hs?protocol=7", "Connection", "keep-alive,, upgrade"), 1},
		{"post", strings.Replace(upgradeRequest("/app/hs?protocol=7"), "GET", "POST", 1), 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := withoutSocketIDs(rawExchange(t, fast, tc.req, tc.frames))
			b := withoutSocketIDs(rawExchange(t, general, tc.req, tc.frames))
			if !bytes.Equal(a, b) {
				t.Fatalf("fast path:\n%q\ngeneral path:\n%q", a, b)
			}
			if tc.frames == 1 && !bytes.Contains(a, []byte("pusher:connection_established")) {
				t.Fatalf("no connection_established: %q", a)
			}
		})
	}
}

// TestPreparedUpgradeRoundTrip: after the fast upgrade the connection
// works (subscribe, reply) and the hub forgets it when the client leaves.
func TestPreparedUpgradeRoundTrip(t *testing.T) {
	h := newTestHub(t, "hs", nil)
	base := startServer(t, HubEngine(h), Options{})
	c := dial(t, base+"/app/hs?protocol=7")
	if f := c.next(); !bytes.Contains(f.Payload, []byte(pusher.EventConnectionEstablished)) {
		t.Fatalf("first frame %q", f.Payload)
	}
	c.send(ws.OpText, true, []byte(`{"event":"pusher:subscribe","data":{"auth":"","channel":"a"}}`))
	c.expectText(`{"event":"pusher_internal:subscription_succeeded","channel":"a","data":"{}"}`)
	_ = c.nc.Close()
	deadline := time.Now().Add(waitLong)
	for h.Connections() != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections left", h.Connections())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestProtocolParamMatchesQuery(t *testing.T) {
	for _, q := range []string{
		"", "protocol=7", "a=1&protocol=7&protocol=8", "protocol", "protocol=", "protocol=%37",
		"proto%63ol=6", "protocol=%zz&protocol=5", "protocol=7;x", "x=1;protocol=7&protocol=6",
		"&&protocol=+7", "protocol%3d7", strings.Repeat("a=1&", 40) + "protocol=7",
	} {
		checkProtocolParam(t, q)
	}
}

func checkProtocolParam(t *testing.T, q string) {
	u := &url.URL{RawQuery: q}
	got, ok := protocolParam(u)
	v, want := u.Query()["protocol"]
	if ok != want || (ok && got != v[0]) {
		t.Fatalf("%q: got %q %v, want %q", q, got, ok, v)
	}
}

func FuzzProtocolParam(f *testing.F) {
	for _, q := range []string{"protocol=7", "a=%zz&protocol=7;&protocol=6", "proto%63ol=%37"} {
		f.Add(q)
	}
	f.Fuzz(checkProtocolParam)
}

func TestHasUpgradeToken(t *testing.T) {
	for v, want := range map[string]bool{
		"Upgrade": true, "upgrade": true, "keep-alive, Upgrade": true, " Upgrade\t": true,
		"keep-alive": false, "": false, "upgrade;x": false, "keep-alive,,upgrade": false, `"upgrade"`: false,
	} {
		if hasUpgradeToken(v) != want {
			t.Fatalf("%q: want %v", v, want)
		}
	}
}

// hijackWriter is a ResponseWriter whose Hijack hands out nc.
type hijackWriter struct {
	http.ResponseWriter
	nc net.Conn
}

func (w hijackWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return w.nc, bufio.NewReadWriter(bufio.NewReader(w.nc), bufio.NewWriter(w.nc)), nil
}

// closeCodes records Metrics.ConnectionClosed codes.
type closeCodes struct {
	hub.NopMetrics
	mu    sync.Mutex
	codes []pusher.Code
}

func (m *closeCodes) ConnectionClosed(_ string, c pusher.Code) {
	m.mu.Lock()
	m.codes = append(m.codes, c)
	m.mu.Unlock()
}

// TestPreparedUpgradeWriteFailure: when the 101 cannot be written, the
// prepared session is closed (1006), so the hub's count goes back to zero.
func TestPreparedUpgradeWriteFailure(t *testing.T) {
	m := &closeCodes{}
	h := newTestHub(t, "hs", m)
	handler, err := NewHandler(HubEngine(h), Options{})
	if err != nil {
		t.Fatal(err)
	}
	server, client := net.Pipe()
	_ = client.Close() // every write to server fails
	r := httptest.NewRequest(http.MethodGet, "/app/hs?protocol=7", nil)
	for k, v := range map[string]string{"Upgrade": "websocket", "Connection": "Upgrade",
		"Sec-WebSocket-Key": validKey, "Sec-WebSocket-Version": "13"} {
		r.Header.Set(k, v)
	}
	handler.ServeHTTP(hijackWriter{httptest.NewRecorder(), server}, r)
	if n := h.Connections(); n != 0 {
		t.Fatalf("%d connections after a failed handshake write", n)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.codes) != 1 || m.codes[0] != closeAbnormal {
		t.Fatalf("closes reported: %v", m.codes)
	}
}
