package pogows

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/caddyconfig"
	_ "github.com/caddyserver/caddy/v2/caddyconfig/caddyfile"
	_ "github.com/caddyserver/caddy/v2/modules/standard"
	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
)

// The integration tests run Caddy in-process, one config at a time (Caddy
// has one global config), on loopback ports.

// testServer is a running Caddy config.
type testServer struct {
	t         *testing.T
	port      int
	adminPort int
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startCaddy loads a Caddyfile whose site block serves route (a route body
// with a pogo_websocket directive followed by `respond "next"`).
func startCaddy(t *testing.T, pogo string) *testServer {
	t.Helper()
	ts := &testServer{t: t}
	for attempt := 1; ; attempt++ { // another process may grab a free port meanwhile
		ts.port, ts.adminPort = freePort(t), freePort(t)
		err := ts.tryLoad(pogo)
		if err == nil {
			break
		}
		if attempt == 3 || !strings.Contains(err.Error(), "address already in use") {
			t.Fatalf("load: %v", err)
		}
	}
	t.Cleanup(func() {
		if err := caddy.Stop(); err != nil {
			t.Logf("caddy stop: %v", err)
		}
	})
	return ts
}

// load (re)loads the config with a new pogo_websocket block, keeping ports.
func (ts *testServer) load(pogo string) {
	ts.t.Helper()
	if err := ts.tryLoad(pogo); err != nil {
		ts.t.Fatalf("load: %v", err)
	}
}

func (ts *testServer) tryLoad(pogo string) error {
	ts.t.Helper()
	dir := scratchDir(ts.t)
	_ = os.Setenv("XDG_DATA_HOME", dir)
	_ = os.Setenv("XDG_CONFIG_HOME", dir)
	cf := fmt.Sprintf(`{
	admin 127.0.0.1:%d
	persist_config off
	auto_https off
	skip_install_trust
	storage file_system %s
	grace_period 1s
}
http://127.0.0.1:%d {
	bind 127.0.0.1
	route {
		%s
		respond "next"
	}
}
`, ts.adminPort, dir, ts.port, pogo)
	adapter := caddyconfig.GetAdapter("caddyfile")
	cfg, warn, err := adapter.Adapt([]byte(cf), nil)
	if err != nil {
		ts.t.Fatalf("adapt: %v\n%s", err, cf)
	}
	for _, w := range warn {
		ts.t.Logf("adapt warning: %s", w.Message)
	}
	return caddy.Load(cfg, true)
}

// loadErr tries to load a config and returns the error.
func loadErr(t *testing.T, pogo string) error {
	t.Helper()
	cf := fmt.Sprintf("{\n admin off\n persist_config off\n auto_https off\n}\nhttp://127.0.0.1:%d {\n bind 127.0.0.1\n route {\n %s\n }\n}\n", freePort(t), pogo)
	cfg, _, err := caddyconfig.GetAdapter("caddyfile").Adapt([]byte(cf), nil)
	if err != nil {
		return err
	}
	return caddy.Load(cfg, true)
}

func (ts *testServer) url(path string) string {
	return fmt.Sprintf("http://127.0.0.1:%d%s", ts.port, path)
}

func (ts *testServer) adminURL(path string) string {
	return fmt.Sprintf("http://127.0.0.1:%d%s", ts.adminPort, path)
}

// get performs a GET with optional headers and returns status and body.
func get(t *testing.T, url string, hdr ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// wsClient is a gobwas/ws client connection.
type wsClient struct {
	t  *testing.T
	nc net.Conn
	r  io.Reader
}

// dial opens /app/{key}?protocol=7; it returns the HTTP status on a failed
// handshake (0 on success).
func (ts *testServer) dial(key string, hdr http.Header) (*wsClient, int, error) {
	return ts.dialPathHeader("/app/"+key, hdr)
}

// dialPath opens path?protocol=7.
func (ts *testServer) dialPath(path string) (*wsClient, int, error) {
	return ts.dialPathHeader(path, nil)
}

func (ts *testServer) dialPathHeader(path string, hdr http.Header) (*wsClient, int, error) {
	d := ws.Dialer{Timeout: 10 * time.Second, Header: ws.HandshakeHeaderHTTP(hdr)}
	nc, br, _, err := d.Dial(context.Background(), fmt.Sprintf("ws://127.0.0.1:%d%s?protocol=7&client=go", ts.port, path))
	if err != nil {
		var se ws.StatusError
		if errors.As(err, &se) {
			return nil, int(se), err
		}
		return nil, 0, err
	}
	c := &wsClient{t: ts.t, nc: nc, r: nc}
	if br != nil { // frames that arrived with the handshake response
		c.r = io.MultiReader(br, nc)
	}
	ts.t.Cleanup(func() { _ = nc.Close() })
	return c, 0, nil
}

// mustDial dials and reads connection_established.
func (ts *testServer) mustDial(key string) *wsClient {
	ts.t.Helper()
	// Right after a reload the old server's listener may still be closing:
	// a connection it accepted is reset. Retry such transport errors briefly
	// (a refused upgrade is an HTTP answer, not an error here).
	var c *wsClient
	var err error
	for attempt := 0; attempt < 20; attempt++ {
		if c, _, err = ts.dial(key, nil); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		ts.t.Fatalf("dial: %v", err)
	}
	if ev := c.read(); ev.Event != "pusher:connection_established" {
		ts.t.Fatalf("first event %+v", ev)
	}
	return c
}

type wireEvent struct {
	Event   string `json:"event"`
	Channel string `json:"channel"`
	Data    any    `json:"data"`
	// set when a close frame arrived instead of an event
	CloseCode int `json:"-"`
}

// read returns the next event, or a wireEvent with CloseCode set when the
// server closed the connection.
func (c *wsClient) read() wireEvent {
	c.t.Helper()
	_ = c.nc.SetReadDeadline(time.Now().Add(20 * time.Second))
	for {
		msg, op, err := wsutil.ReadServerData(struct {
			io.Reader
			io.Writer
		}{c.r, c.nc})
		if err != nil {
			var ce wsutil.ClosedError
			if errors.As(err, &ce) {
				return wireEvent{CloseCode: int(ce.Code)}
			}
			c.t.Fatalf("read: %v", err)
		}
		if op != ws.OpText {
			continue
		}
		var ev wireEvent
		if err := json.Unmarshal(msg, &ev); err != nil {
			c.t.Fatalf("bad event %s: %v", msg, err)
		}
		return ev
	}
}

// readUntilClose reads events until the close frame and returns its code.
func (c *wsClient) readUntilClose() int {
	c.t.Helper()
	for {
		ev := c.read()
		if ev.CloseCode != 0 {
			return ev.CloseCode
		}
	}
}

func (c *wsClient) send(v string) {
	c.t.Helper()
	if err := wsutil.WriteClientText(c.nc, []byte(v)); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// eventually polls cond until it holds or 20 s pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func itoa(n int) string { return fmt.Sprint(n) }

// scratchDir is a temporary directory for Caddy's state. Caddy may still
// write there briefly after Stop, so removal is best effort (t.TempDir
// would fail the test).
func scratchDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pogows-caddy-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

// loadRetry loads the config that build returns for fresh ports, retrying
// when another process took one of the ports meanwhile (the box is shared).
func loadRetry(t *testing.T, build func() []byte) {
	t.Helper()
	for attempt := 1; ; attempt++ {
		err := caddy.Load(build(), true)
		if err == nil {
			t.Cleanup(func() { _ = caddy.Stop() })
			return
		}
		if attempt == 3 || !strings.Contains(err.Error(), "address already in use") {
			t.Fatalf("load: %v", err)
		}
	}
}

// adapt converts a Caddyfile to JSON or fails the test.
func adapt(t *testing.T, cf string) []byte {
	t.Helper()
	cfg, _, err := caddyconfig.GetAdapter("caddyfile").Adapt([]byte(cf), nil)
	if err != nil {
		t.Fatalf("adapt: %v\n%s", err, cf)
	}
	return cfg
}

// stopCaddy unloads the running config (hubs released, clients get 4200).
func stopCaddy() error { return caddy.Stop() }
