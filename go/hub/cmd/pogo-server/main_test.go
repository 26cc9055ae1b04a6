package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
	"github.com/y-l-g/websocket/go/hub/httpapi"
)

const waitLong = 20 * time.Second

func TestParseFlags(t *testing.T) {
	c, err := parseFlags([]string{"-app-secret", "s", "-ping-period", "1", "-pong-wait", "1.5s"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.addr != "127.0.0.1:6001" || c.appID != "pogo-app" || !c.clientEvents || c.subscriptionCount ||
		c.pingPeriod != time.Second || c.pongWait != 1500*time.Millisecond || c.activityTimeout != 30*time.Second {
		t.Fatalf("parsed %+v", c)
	}
	bad := [][]string{
		{},              // no secret
		{"-app-id", ""}, // no app at all
		{"-app-secret", "s", "-ping-period", "soon"},
		{"-app-secret", "s", "-pong-wait", "-1s"},
		{"-app-secret", "s", "-max-connections", "-1"},
		{"-app-secret", "s", "-log-level", "loud"},
		{"-app-secret", "s", "extra"},
	}
	for _, args := range bad {
		if _, err := parseFlags(args, io.Discard); !errors.Is(err, errUsage) {
			t.Errorf("%q: want a usage error, got %v", args, err)
		}
	}
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "apps.json")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadApps(t *testing.T) {
	p := writeFile(t, `[{"id":"a","secret":"s","activity_timeout":"10s","limits":{"max_payload_bytes":100,"cache_ttl":60}},
		{"id":"b","key":"kb","secret":"s2","client_events":false,"subscription_count":true,"webhook_secret":"w"}]`)
	specs, err := loadApps(p)
	if err != nil {
		t.Fatal(err)
	}
	a, b := specs[0].app, specs[1].app
	if !a.ClientEvents || a.ActivityTimeout != 10*time.Second || a.Limits.MaxPayloadBytes != 100 || a.Limits.CacheTTL != time.Minute {
		t.Fatalf("app a %+v", a)
	}
	if b.Key != "kb" || b.ClientEvents || !b.SubscriptionCount || specs[1].webhookSecret != "w" {
		t.Fatalf("app b %+v", b)
	}
	for _, content := range []string{`[{"id":"a"}]`, `[{"id":"a","secret":"s","colour":"red"}]`, `{"id":"a"}`, `[{"id":"a","secret":"s","activity_timeout":"x"}]`} {
		if _, err := loadApps(writeFile(t, content)); !errors.Is(err, errUsage) {
			t.Errorf("%s: want usage error, got %v", content, err)
		}
	}
	if _, err := loadApps(filepath.Join(t.TempDir(), "missing.json")); !errors.Is(err, errUsage) {
		t.Errorf("missing file: %v", err)
	}
}

// lineWriter forwards written lines to a channel.
type lineWriter struct{ lines chan string }

func (w lineWriter) Write(p []byte) (int, error) {
	for _, l := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		w.lines <- l
	}
	return len(p), nil
}

// startRun runs the server in-process and returns its base URL and a stop function.
func startRun(t *testing.T, args ...string) (string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := lineWriter{lines: make(chan string, 4)}
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), out, io.Discard) }()
	select {
	case l := <-out.lines:
		if !strings.HasPrefix(l, "POGO_LISTENING http://") {
			t.Fatalf("first line %q", l)
		}
		return strings.TrimPrefix(l, "POGO_LISTENING "), func() error {
			cancel()
			select {
			case err := <-done:
				return err
			case <-time.After(waitLong):
				return errors.New("run did not return")
			}
		}
	case err := <-done:
		t.Fatalf("run: %v", err)
	case <-time.After(waitLong):
		t.Fatal("no POGO_LISTENING line")
	}
	return "", nil
}

// signedPost posts body to path with a Pusher signature.
func signedPost(t *testing.T, base, path, key, secret, body string) int {
	t.Helper()
	params := map[string]string{"auth_key": key, "auth_timestamp": fmt.Sprint(time.Now().Unix()),
		"auth_version": "1.0", "body_md5": httpapi.BodyMD5([]byte(body))}
	params["auth_signature"] = httpapi.Sign(secret, "POST", path, params)
	q := url.Values{}
	for k, v := range params {
		q.Set(k, v)
	}
	resp, err := http.Post(base+path+"?"+q.Encode(), "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

type wsClient struct {
	t  *testing.T
	nc net.Conn
	rw io.ReadWriter // bytes buffered by the dialer, then the socket
}

func (c *wsClient) read() (ws.OpCode, string) {
	c.t.Helper()
	_ = c.nc.SetReadDeadline(time.Now().Add(waitLong))
	b, op, err := wsutil.ReadServerData(c.rw)
	if err != nil {
		var ce wsutil.ClosedError
		if errors.As(err, &ce) {
			return ws.OpClose, fmt.Sprint(int(ce.Code))
		}
		c.t.Fatalf("read: %v", err)
	}
	return op, string(b)
}

func (c *wsClient) expect(substr string) {
	c.t.Helper()
	if _, msg := c.read(); !strings.Contains(msg, substr) {
		c.t.Fatalf("got %q, want it to contain %q", msg, substr)
	}
}

func TestServerEndToEnd(t *testing.T) {
	hooks := make(chan *http.Request, 16)
	bodies := make(chan []byte, 16)
	hookSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		hooks <- r
		bodies <- b
	}))
	defer hookSrv.Close()
	apps := writeFile(t, `[{"id":"second","key":"second-key","secret":"second-secret"}]`)
	base, stop := startRun(t, "-app-id", "first", "-app-key", "first-key", "-app-secret", "first-secret",
		"-apps", apps, "-webhook-url", hookSrv.URL)
	wsBase := "ws" + strings.TrimPrefix(base, "http")

	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	nc, br, _, err := ws.Dial(ctx, wsBase+"/app/second-key?protocol=7")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	c := &wsClient{t: t, nc: nc, rw: nc}
	if br != nil {
		c.rw = struct {
			io.Reader
			io.Writer
		}{io.MultiReader(br, nc), nc}
	}
	c.expect(`"pusher:connection_established"`)
	if err := wsutil.WriteClientText(nc, []byte(`{"event":"pusher:subscribe","data":{"channel":"news"}}`)); err != nil {
		t.Fatal(err)
	}
	c.expect(`pusher_internal:subscription_succeeded`)

	body := `{"name":"flash","data":"{\"n\":1}","channel":"news"}`
	if code := signedPost(t, base, "/apps/second/events", "second-key", "second-secret", body); code != 200 {
		t.Fatalf("publish: HTTP %d", code)
	}
	c.expect(`"event":"flash"`)
	if code := signedPost(t, base, "/apps/second/events", "first-key", "first-secret", body); code != 401 {
		t.Fatalf("cross-app signature: HTTP %d", code)
	}

	expectWebhook(t, hooks, bodies, "second-key", "second-secret", "channel_occupied", "news")

	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	c.expect(`"code":4200`)
	if op, code := c.read(); op != ws.OpClose || code != "4200" {
		t.Fatalf("want close 4200, got %v %s", op, code)
	}
	_ = nc.Close()
	if err := <-stopped; err != nil {
		t.Fatalf("shutdown: %v", err)
	}
}

func TestListenFailure(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	err = run(context.Background(), []string{"-app-secret", "s", "-addr", ln.Addr().String()}, io.Discard, io.Discard)
	if err == nil || errors.Is(err, errUsage) {
		t.Fatalf("want a listen error, got %v", err)
	}
}

// expectWebhook checks the next webhook: key header, body signature and its single event.
func expectWebhook(t *testing.T, hooks chan *http.Request, bodies chan []byte, key, secret, name, channel string) {
	t.Helper()
	select {
	case r := <-hooks:
		b := <-bodies
		mac := hmac.New(sha256.New, []byte(secret))
		mac.Write(b)
		var payload struct {
			Events []struct{ Name, Channel string } `json:"events"`
		}
		_ = json.Unmarshal(b, &payload)
		if r.Header.Get("X-Pusher-Key") != key || r.Header.Get("X-Pusher-Signature") != hex.EncodeToString(mac.Sum(nil)) ||
			len(payload.Events) != 1 || payload.Events[0].Name != name || payload.Events[0].Channel != channel {
			t.Fatalf("webhook %v %s", r.Header, b)
		}
	case <-time.After(waitLong):
		t.Fatal("no webhook")
	}
}
