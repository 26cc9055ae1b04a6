package hub

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/y-l-g/websocket/go/hub/hubtest"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// PROTOCOL.md §A.6 credentials.
const (
	testAppID  = "3"
	testKey    = "278d425bdf160c739803"
	testSecret = "7ad3773142a6692b25b8"
	wait       = 5 * time.Second // generous: a loaded 2-core box
)

// sink records webhook events.
type sink struct {
	mu     sync.Mutex
	events []WebhookEvent
}

func (s *sink) Notify(_ *App, e WebhookEvent) {
	s.mu.Lock()
	s.events = append(s.events, e)
	s.mu.Unlock()
}

func (s *sink) named(name string) []WebhookEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []WebhookEvent
	for _, e := range s.events {
		if e.Name == name {
			out = append(out, e)
		}
	}
	return out
}

type fixture struct {
	t    testing.TB
	h    *Hub
	app  *App
	sink *sink
}

// newFixture starts a hub with one app (PROTOCOL.md credentials) after
// applying the optional mutators, and closes it at cleanup.
func newFixture(t testing.TB, appMut func(*App), cfgMut func(*Config)) *fixture {
	t.Helper()
	app := &App{ID: testAppID, Key: testKey, Secret: testSecret, ClientEvents: true}
	if appMut != nil {
		appMut(app)
	}
	apps, err := NewStaticApps(app)
	if err != nil {
		t.Fatal(err)
	}
	sk := &sink{}
	cfg := Config{Apps: apps, Webhooks: sk, NumShards: 4}
	if cfgMut != nil {
		cfgMut(&cfg)
	}
	h, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close() })
	return &fixture{t: t, h: h, app: app, sink: sk}
}

var protocol7 = ConnMeta{Protocol: "7", HasProtocol: true}

// open opens a session on a recording conn whose Close calls Session.Close
// (as the transport does) and checks connection_established.
func (f *fixture) open() (*Session, *hubtest.Conn) {
	f.t.Helper()
	c := hubtest.NewConn()
	s, err := f.h.Open(f.app, c, protocol7)
	if err != nil {
		f.t.Fatalf("Open: %v", err)
	}
	c.OnClose = func(pusher.Code, string) { go s.Close() }
	if _, ok := c.Wait(pusher.EventConnectionEstablished, "", wait); !ok {
		f.t.Fatal("no connection_established")
	}
	return s, c
}

// send marshals v and hands it to s.Handle.
func send(t testing.TB, s *Session, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	s.Handle(b)
}

func subscribe(t testing.TB, s *Session, channel, auth, channelData string) {
	t.Helper()
	send(t, s, map[string]any{"event": "pusher:subscribe", "data": map[string]string{
		"channel": channel, "auth": auth, "channel_data": channelData}})
}

// mustSubscribe subscribes with a valid signature and waits for success.
func (f *fixture) mustSubscribe(s *Session, c *hubtest.Conn, channel, channelData string) hubtest.Event {
	f.t.Helper()
	auth := ""
	if pusher.KindOf(channel).NeedsAuth() {
		auth = f.app.Key + ":" + Sign(f.app.Secret, ChannelAuthString(s.SocketID(), channel, channelData))
	}
	subscribe(f.t, s, channel, auth, channelData)
	e, ok := c.Wait(pusher.InternalSubscriptionSucceeded, channel, wait)
	if !ok {
		f.t.Fatalf("no subscription_succeeded on %s; got %+v", channel, c.Events())
	}
	return e
}

func (f *fixture) publish(ch, event, data string) Status {
	return f.h.Publish(context.Background(), Message{AppID: f.app.ID, Channels: []string{ch}, Event: event, Data: data})
}

// errorCode decodes a pusher:error's code (0 for null).
func errorCode(t *testing.T, e hubtest.Event) (int, string) {
	t.Helper()
	var d struct {
		Code    *int   `json:"code"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(e.Data, &d); err != nil {
		t.Fatalf("pusher:error data %s: %v", e.Data, err)
	}
	if d.Code == nil {
		return 0, d.Message
	}
	return *d.Code, d.Message
}

// never asserts no event named name arrives within a short settle period.
// Fan-out is asynchronous; callers first wait for a later marker event.
func never(t *testing.T, c *hubtest.Conn, name, channel string) {
	t.Helper()
	if got := c.Find(name, channel); len(got) > 0 {
		t.Fatalf("unexpected %s on %q: %+v", name, channel, got)
	}
}

// clock is a settable time source for h.now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Unix(1_700_000_000, 0)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// withClock installs a fake clock right after New, before any session exists.
func (f *fixture) withClock() *clock {
	c := newClock()
	f.h.now = c.Now
	return c
}

// countingMetrics records calls.
type countingMetrics struct {
	mu        sync.Mutex
	opened    int
	closed    map[pusher.Code]int
	received  int
	sent      int
	published map[Status]int
	dropped   map[string]int
}

func newCountingMetrics() *countingMetrics {
	return &countingMetrics{closed: map[pusher.Code]int{}, published: map[Status]int{}, dropped: map[string]int{}}
}

func (m *countingMetrics) ConnectionOpened(string) { m.mu.Lock(); m.opened++; m.mu.Unlock() }
func (m *countingMetrics) ConnectionClosed(_ string, c pusher.Code) {
	m.mu.Lock()
	m.closed[c]++
	m.mu.Unlock()
}
func (m *countingMetrics) MessageReceived(string)       { m.mu.Lock(); m.received++; m.mu.Unlock() }
func (m *countingMetrics) MessagesSent(_ string, n int) { m.mu.Lock(); m.sent += n; m.mu.Unlock() }
func (m *countingMetrics) Published(_ string, s Status) {
	m.mu.Lock()
	m.published[s]++
	m.mu.Unlock()
}
func (m *countingMetrics) Dropped(_, r string) { m.mu.Lock(); m.dropped[r]++; m.mu.Unlock() }

func (m *countingMetrics) drops(r string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.dropped[r]
}

// auth signs a channel subscription for s.
func (f *fixture) auth(s *Session, channel, channelData string) string {
	return f.app.Key + ":" + Sign(f.app.Secret, ChannelAuthString(s.SocketID(), channel, channelData))
}

// lastError returns the code and message of the last pusher:error on c.
func lastError(t *testing.T, c *hubtest.Conn) (int, string) {
	t.Helper()
	errs := c.Find(pusher.EventError, "")
	if len(errs) == 0 {
		t.Fatalf("no pusher:error; events %+v", c.Events())
	}
	return errorCode(t, errs[len(errs)-1])
}

func testContext() (context.Context, context.CancelFunc) { return testContextTimeout(wait) }

func testContextTimeout(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}
