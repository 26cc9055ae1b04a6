package hub

import (
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/y-l-g/websocket/go/hub/hubtest"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

func TestOpenProtocolChecks(t *testing.T) {
	f := newFixture(t, nil, nil)
	cases := []struct {
		name string
		meta ConnMeta
		code pusher.Code
	}{
		{"missing", ConnMeta{}, pusher.CodeNoProtocol},
		{"empty", ConnMeta{HasProtocol: true}, pusher.CodeNoProtocol},
		{"non-numeric", ConnMeta{Protocol: "seven", HasProtocol: true}, pusher.CodeInvalidVersion},
		{"too old", ConnMeta{Protocol: "4", HasProtocol: true}, pusher.CodeUnsupportedProtocol},
		{"too new", ConnMeta{Protocol: "8", HasProtocol: true}, pusher.CodeUnsupportedProtocol},
		{"5", ConnMeta{Protocol: "5", HasProtocol: true}, 0},
		{"6", ConnMeta{Protocol: "6", HasProtocol: true}, 0},
		{"7", protocol7, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := hubtest.NewConn()
			s, err := f.h.Open(f.app, c, tc.meta)
			if tc.code == 0 {
				if err != nil || s == nil {
					t.Fatalf("Open: %v", err)
				}
				s.Close()
				return
			}
			var perr *pusher.Error
			if !errors.As(err, &perr) || perr.Code != tc.code || !perr.Close || s != nil {
				t.Fatalf("got %v (%#v), want close code %d", err, err, tc.code)
			}
		})
	}
}

func TestOpenHandshake(t *testing.T) {
	cases := []struct {
		timeout time.Duration
		want    int
	}{{0, 30}, {120 * time.Second, 120}, {1500 * time.Millisecond, 2}, {100 * time.Millisecond, 30}}
	re := regexp.MustCompile(`^\d+\.\d+$`)
	for _, tc := range cases {
		f := newFixture(t, func(a *App) { a.ActivityTimeout = tc.timeout }, nil)
		s, c := f.open()
		e := c.Find(pusher.EventConnectionEstablished, "")[0]
		var hs struct {
			SocketID        string `json:"socket_id"`
			ActivityTimeout int    `json:"activity_timeout"`
		}
		if err := e.DataInto(&hs); err != nil {
			t.Fatal(err)
		}
		if !re.MatchString(hs.SocketID) || hs.SocketID != s.SocketID() || hs.ActivityTimeout != tc.want {
			t.Fatalf("timeout %v: handshake %+v", tc.timeout, hs)
		}
	}
}

func TestSocketIDsUnique(t *testing.T) {
	seen := map[string]bool{}
	re := regexp.MustCompile(`^\d+\.\d+$`)
	for range 10000 {
		id := newSocketID()
		if !re.MatchString(id) || seen[id] {
			t.Fatalf("bad or duplicate id %q", id)
		}
		seen[id] = true
	}
}

func TestResolve(t *testing.T) {
	f := newFixture(t, nil, nil)
	if app, perr := f.h.Resolve(testKey); perr != nil || app != f.app {
		t.Fatalf("Resolve: %v", perr)
	}
	if _, perr := f.h.Resolve("nope"); perr == nil || perr.Code != pusher.CodeAppNotFound || !perr.Close {
		t.Fatalf("unknown: %+v", perr)
	}
	f.app.Disabled = true
	if _, perr := f.h.Resolve(testKey); perr == nil || perr.Code != pusher.CodeAppDisabled {
		t.Fatalf("disabled: %+v", perr)
	}
	_, err := f.h.Open(f.app, hubtest.NewConn(), protocol7)
	var perr *pusher.Error
	if !errors.As(err, &perr) || perr.Code != pusher.CodeAppDisabled {
		t.Fatalf("Open disabled: %v", err)
	}
}

func TestMaxConnections(t *testing.T) {
	m := newCountingMetrics()
	f := newFixture(t, nil, func(c *Config) { c.MaxConnections = 2; c.Metrics = m })
	s1, _ := f.open()
	f.open()
	_, err := f.h.Open(f.app, hubtest.NewConn(), protocol7)
	var perr *pusher.Error
	if !errors.As(err, &perr) || perr.Code != pusher.CodeOverCapacity {
		t.Fatalf("third Open: %v", err)
	}
	s1.Close()
	s1.Close() // idempotent
	s3, err := f.h.Open(f.app, hubtest.NewConn(), protocol7)
	if err != nil {
		t.Fatalf("Open after a close: %v", err)
	}
	s3.CloseWith(pusher.CodePongTimeout)
	if m.opened != 3 || m.closed[0] != 1 || m.closed[pusher.CodePongTimeout] != 1 {
		t.Fatalf("metrics opened=%d closed=%v", m.opened, m.closed)
	}
}

func TestNewConfigErrors(t *testing.T) {
	if _, err := New(Config{}); !errors.Is(err, ErrConfig) {
		t.Fatalf("no apps: %v", err)
	}
	apps, _ := NewStaticApps()
	if _, err := New(Config{Apps: apps, NumShards: -1}); !errors.Is(err, ErrConfig) {
		t.Fatalf("negative shards: %v", err)
	}
	if _, err := NewStaticApps(&App{ID: "a"}); !errors.Is(err, ErrConfig) {
		t.Fatalf("no secret: %v", err)
	}
	if _, err := NewStaticApps(&App{ID: "a", Secret: "s"}, &App{ID: "a", Key: "k", Secret: "s"}); !errors.Is(err, ErrConfig) {
		t.Fatalf("dup id: %v", err)
	}
	h, err := New(Config{Apps: apps})
	if err != nil || h.NodeID() == "" || h.Apps() != apps || len(h.shards) < minShards {
		t.Fatalf("defaults: %v", err)
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if err := h.Close(); err != nil {
		t.Fatal("second Close:", err)
	}
}

func TestShutdownAndClose(t *testing.T) {
	f := newFixture(t, nil, nil)
	_, c1 := f.open()
	_, c2 := f.open()
	ctx, cancel := testContext()
	defer cancel()
	if err := f.h.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*hubtest.Conn{c1, c2} {
		if closed, code, _ := c.Closed(); !closed || code != pusher.CodeReconnect {
			t.Fatalf("closed=%v code=%d", closed, code)
		}
		if code, _ := lastError(t, c); code != int(pusher.CodeReconnect) {
			t.Fatalf("error code %d", code)
		}
	}
	_, err := f.h.Open(f.app, hubtest.NewConn(), protocol7)
	var perr *pusher.Error
	if !errors.As(err, &perr) || perr.Code != pusher.CodeReconnect {
		t.Fatalf("Open during shutdown: %v", err)
	}
	if err := f.h.Close(); err != nil {
		t.Fatal(err)
	}
	if st := f.publish("x", "e", "d"); st != StatusBrokerFailed {
		t.Fatalf("publish after Close: %v", st)
	}
}

func TestShutdownTimesOut(t *testing.T) {
	f := newFixture(t, nil, nil)
	c := hubtest.NewConn() // its Close never reaches Session.Close
	if _, err := f.h.Open(f.app, c, protocol7); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := testContextTimeout(50 * time.Millisecond)
	defer cancel()
	if err := f.h.Shutdown(ctx); err == nil {
		t.Fatal("Shutdown returned nil with a connection left")
	}
}
