package pogows

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/y-l-g/websocket/go/hub"
)

// receiver is a webhook endpoint that verifies signatures and records bodies.
type receiver struct {
	t      *testing.T
	secret string
	mu     sync.Mutex
	bodies []webhookBody
	fail   atomic.Int32 // answer 500 to that many requests first
	got    chan struct{}
}

func newReceiver(t *testing.T, secret string) (*receiver, *httptest.Server) {
	rc := &receiver{t: t, secret: secret, got: make(chan struct{}, 100)}
	srv := httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(srv.Close)
	return rc, srv
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	if rc.fail.Add(-1) >= 0 {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	mac := hmac.New(sha256.New, []byte(rc.secret))
	mac.Write(raw)
	if want := hex.EncodeToString(mac.Sum(nil)); r.Header.Get("X-Pusher-Signature") != want {
		rc.t.Errorf("bad signature %q", r.Header.Get("X-Pusher-Signature"))
	}
	if r.Header.Get("Content-Type") != "application/json" || r.Header.Get("X-Pusher-Key") != "key1" {
		rc.t.Errorf("headers: %v", r.Header)
	}
	var b webhookBody
	if err := json.Unmarshal(raw, &b); err != nil || b.TimeMS == 0 {
		rc.t.Errorf("body %s: %v", raw, err)
	}
	rc.mu.Lock()
	rc.bodies = append(rc.bodies, b)
	rc.mu.Unlock()
	rc.got <- struct{}{}
}

func (rc *receiver) wait(t *testing.T, n int) []webhookBody {
	t.Helper()
	for range n {
		select {
		case <-rc.got:
		case <-time.After(20 * time.Second):
			t.Fatalf("timed out waiting for webhook %d", n)
		}
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]webhookBody(nil), rc.bodies...)
}

func testSink(t *testing.T, url string, ws webhookSettings) *webhookSink {
	target := webhookTarget{appID: "app1", key: "key1", secret: "whsecret", urls: []string{url}}
	s := newWebhookSink(ws.queueSize, func() webhookSettings { return ws },
		func(id string) (webhookTarget, bool) { return target, id == "app1" }, globalMetrics, slog.Default())
	s.backoffBase, s.backoffMax = 10*time.Millisecond, 40*time.Millisecond
	s.start()
	t.Cleanup(func() { s.Close(t.Context()) })
	return s
}

func TestWebhookSinkDeliversSignedBatches(t *testing.T) {
	rc, srv := newReceiver(t, "whsecret")
	s := testSink(t, srv.URL, webhookSettings{grace: 300 * time.Millisecond, batchWindow: 150 * time.Millisecond,
		retryFor: 10 * time.Second, timeout: 5 * time.Second, queueSize: 100})
	app := &hub.App{ID: "app1"}
	s.Notify(app, hub.WebhookEvent{Name: hub.WebhookChannelOccupied, Channel: "a"})
	s.Notify(app, hub.WebhookEvent{Name: hub.WebhookClientEvent, Channel: "private-b", Event: "client-x", Data: "{}", SocketID: "1.2"})
	s.Notify(&hub.App{ID: "unknown"}, hub.WebhookEvent{Name: hub.WebhookChannelOccupied, Channel: "z"})
	bodies := rc.wait(t, 1)
	if len(bodies) != 1 || len(bodies[0].Events) != 2 {
		t.Fatalf("want one batch of 2 events, got %+v", bodies)
	}
	if e := bodies[0].Events[1]; e.Event != "client-x" || e.SocketID != "1.2" {
		t.Fatalf("client event: %+v", e)
	}
}

func TestWebhookSinkGracePeriod(t *testing.T) {
	rc, srv := newReceiver(t, "whsecret")
	s := testSink(t, srv.URL, webhookSettings{grace: 400 * time.Millisecond, batchWindow: 20 * time.Millisecond,
		retryFor: 10 * time.Second, timeout: 5 * time.Second, queueSize: 100})
	app := &hub.App{ID: "app1"}
	// Vacated then re-occupied within the grace: nothing is sent for "a".
	s.Notify(app, hub.WebhookEvent{Name: hub.WebhookChannelVacated, Channel: "a"})
	s.Notify(app, hub.WebhookEvent{Name: hub.WebhookChannelOccupied, Channel: "a"})
	// Vacated for good: sent after the grace.
	s.Notify(app, hub.WebhookEvent{Name: hub.WebhookChannelVacated, Channel: "b"})
	bodies := rc.wait(t, 1)
	if len(bodies[0].Events) != 1 || bodies[0].Events[0].Channel != "b" || bodies[0].Events[0].Name != hub.WebhookChannelVacated {
		t.Fatalf("events: %+v", bodies[0].Events)
	}
}

func TestWebhookSinkRetries(t *testing.T) {
	rc, srv := newReceiver(t, "whsecret")
	rc.fail.Store(2)
	s := testSink(t, srv.URL, webhookSettings{grace: time.Second, batchWindow: 10 * time.Millisecond,
		retryFor: 20 * time.Second, timeout: 5 * time.Second, queueSize: 100})
	s.Notify(&hub.App{ID: "app1"}, hub.WebhookEvent{Name: hub.WebhookChannelOccupied, Channel: "r"})
	bodies := rc.wait(t, 1)
	if len(bodies) != 1 || bodies[0].Events[0].Channel != "r" {
		t.Fatalf("bodies: %+v", bodies)
	}
}

func TestWebhookSinkGivesUpAndNeverBlocks(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusBadGateway)
	}))
	defer srv.Close()
	s := testSink(t, srv.URL, webhookSettings{grace: time.Second, batchWindow: 5 * time.Millisecond,
		retryFor: 50 * time.Millisecond, timeout: time.Second, queueSize: 2})
	app := &hub.App{ID: "app1"}
	dropped := globalMetrics.webhookDrops.WithLabelValues("app1", "queue_full")
	before := testutil.ToFloat64(dropped)
	for range 10000 { // a full queue drops instead of blocking
		s.Notify(app, hub.WebhookEvent{Name: hub.WebhookClientEvent, Channel: "c"})
	}
	if testutil.ToFloat64(dropped) == before {
		t.Fatal("no queue_full drop counted")
	}
	deadline := time.Now().Add(20 * time.Second)
	for hits.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if hits.Load() < 2 {
		t.Fatalf("expected retries, got %d attempts", hits.Load())
	}
	failed := globalMetrics.webhookDeliveries.WithLabelValues("app1", "failed")
	eventually(t, "a delivery abandoned after webhook_retry_for", func() bool { return testutil.ToFloat64(failed) > 0 })
}

func TestWebhookSinkCloseFlushesHeldEvents(t *testing.T) {
	rc, srv := newReceiver(t, "whsecret")
	s := testSink(t, srv.URL, webhookSettings{grace: time.Hour, batchWindow: time.Hour,
		retryFor: 10 * time.Second, timeout: 5 * time.Second, queueSize: 100})
	s.Notify(&hub.App{ID: "app1"}, hub.WebhookEvent{Name: hub.WebhookChannelVacated, Channel: "v"})
	s.Close(t.Context())
	bodies := rc.wait(t, 1)
	if bodies[0].Events[0].Channel != "v" {
		t.Fatalf("flushed: %+v", bodies)
	}
}

// waitNames waits until the concatenated events of every body received so
// far satisfy ok, and returns the bodies.
func (rc *receiver) waitNames(t *testing.T, ok func(names string) bool) []webhookBody {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		rc.mu.Lock()
		bodies := append([]webhookBody(nil), rc.bodies...)
		rc.mu.Unlock()
		if ok(eventNames(bodies)) {
			return bodies
		}
		select {
		case <-rc.got:
		case <-deadline:
			t.Fatalf("timed out; webhook events so far: %s", eventNames(bodies))
		}
	}
}
