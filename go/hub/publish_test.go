package hub

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

func TestPublishValidation(t *testing.T) {
	m := newCountingMetrics()
	f := newFixture(t, func(a *App) {
		a.Limits.MaxChannelsPerPublish = 3
		a.Limits.MaxEventNameLength = 10
		a.Limits.MaxPayloadBytes = 5
		a.Limits.MaxChannelNameLength = 12
	}, func(c *Config) { c.Metrics = m })
	cases := []struct {
		name string
		m    Message
		want Status
	}{
		{"ok", Message{Channels: []string{"a", "b"}, Event: "e", Data: "12345"}, StatusOK},
		{"unknown app", Message{AppID: "nope", Channels: []string{"a"}, Event: "e"}, StatusHubMissing},
		{"no channels", Message{Event: "e"}, StatusChannelTooLong},
		{"too many channels", Message{Channels: []string{"a", "b", "c", "d"}, Event: "e"}, StatusChannelTooLong},
		{"long channel", Message{Channels: []string{strings.Repeat("c", 13)}, Event: "e"}, StatusChannelTooLong},
		{"bad channel", Message{Channels: []string{"a", "b c"}, Event: "e"}, StatusChannelTooLong},
		{"empty event", Message{Channels: []string{"a"}}, StatusEventTooLong},
		{"long event", Message{Channels: []string{"a"}, Event: strings.Repeat("e", 11)}, StatusEventTooLong},
		{"payload", Message{Channels: []string{"a"}, Event: "e", Data: "123456"}, StatusPayloadTooLarge},
	}
	for _, tc := range cases {
		if tc.m.AppID == "" {
			tc.m.AppID = testAppID
		}
		if got := f.h.Publish(t.Context(), tc.m); got != tc.want {
			t.Errorf("%s: got %v (%d) want %v", tc.name, got, got, tc.want)
		}
	}
	f.app.Disabled = true
	if got := f.publish("a", "e", ""); got != StatusHubMissing {
		t.Errorf("disabled app: %v", got)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.published[StatusOK] != 1 || m.published[StatusChannelTooLong] != 4 {
		t.Fatalf("metrics %v", m.published)
	}
}

func TestPublishMultiChannelAndExcept(t *testing.T) {
	f := newFixture(t, nil, nil)
	a, ca := f.open()
	b, cb := f.open()
	f.mustSubscribe(a, ca, "x", "")
	f.mustSubscribe(b, cb, "x", "")
	f.mustSubscribe(b, cb, "y", "")
	st := f.h.Publish(t.Context(), Message{AppID: testAppID, Channels: []string{"x", "y", "x"}, Event: "ev", Data: "d", ExceptSocketID: a.SocketID()})
	if st != StatusOK {
		t.Fatal(st)
	}
	for _, ch := range []string{"x", "y"} {
		if _, ok := cb.Wait("ev", ch, wait); !ok {
			t.Fatalf("b missed %s", ch)
		}
	}
	f.publish("x", "marker", "")
	ca.Wait("marker", "x", wait)
	cb.Wait("marker", "x", wait)
	never(t, ca, "ev", "")
	if n := len(cb.Find("ev", "x")); n != 1 {
		t.Fatalf("duplicate channel delivered %d times", n)
	}
}

// blockingConn blocks WriteFrame once armed, until released.
type blockingConn struct {
	mu      sync.Mutex
	armed   bool
	entered chan struct{}
	release chan struct{}
}

func (b *blockingConn) WriteFrame([]byte) error {
	b.mu.Lock()
	armed := b.armed
	b.armed = false
	b.mu.Unlock()
	if armed {
		close(b.entered)
		<-b.release
	}
	return nil
}
func (b *blockingConn) Close(pusher.Code, string) {}

func TestPublishShardQueueFull(t *testing.T) {
	m := newCountingMetrics()
	f := newFixture(t, nil, func(c *Config) { c.NumShards = 1; c.ShardQueueSize = 2; c.Metrics = m })
	bc := &blockingConn{entered: make(chan struct{}), release: make(chan struct{})}
	s, err := f.h.Open(f.app, bc, protocol7)
	if err != nil {
		t.Fatal(err)
	}
	subscribe(t, s, "q", "", "")
	bc.mu.Lock()
	bc.armed = true
	bc.mu.Unlock()
	if st := f.publish("q", "e", "1"); st != StatusOK {
		t.Fatal(st)
	}
	<-bc.entered // the fan-out goroutine is stuck on the first event
	for i := range 2 {
		if st := f.publish("q", "e", "2"); st != StatusOK {
			t.Fatalf("fill %d: %v", i, st)
		}
	}
	if st := f.publish("q", "e", "3"); st != StatusShardQueueFull {
		t.Fatalf("got %v want shard queue full", st)
	}
	if d := f.h.QueueDepth(); d != 2 {
		t.Fatalf("queue depth %d", d)
	}
	if n := f.h.Connections(); n != 1 {
		t.Fatalf("connections %d", n)
	}
	if m.drops(DropShardQueueFull) != 1 {
		t.Fatal(m.dropped)
	}
	// Unoccupied channels are never queued, so they cannot fill the queue.
	if st := f.publish("empty", "e", "3"); st != StatusOK {
		t.Fatal(st)
	}
	close(bc.release)
}

// errBroker is a remote-style broker (not LocalBroker) whose Publish fails
// with err, or loops envelopes back through Run when err is nil.
type errBroker struct {
	err  error
	ch   chan *Envelope
	done chan struct{}
}

func newErrBroker(err error) *errBroker {
	return &errBroker{err: err, ch: make(chan *Envelope, 16), done: make(chan struct{})}
}

func (b *errBroker) Publish(ctx context.Context, e *Envelope) error {
	if b.err != nil {
		return b.err
	}
	select {
	case b.ch <- e:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (b *errBroker) Run(ctx context.Context, deliver func(*Envelope)) error {
	for {
		select {
		case e := <-b.ch:
			deliver(e)
		case <-ctx.Done():
			return nil
		}
	}
}

func (b *errBroker) Close() error { close(b.done); return nil }

func TestPublishBrokerErrors(t *testing.T) {
	cases := []struct {
		err  error
		want Status
	}{
		{ErrBrokerQueueFull, StatusBrokerQueueFull},
		{errors.Join(errors.New("redis"), ErrBrokerQueueFull), StatusBrokerQueueFull},
		{errors.New("connection refused"), StatusBrokerFailed},
	}
	for _, tc := range cases {
		f := newFixture(t, nil, func(c *Config) { c.Broker = newErrBroker(tc.err) })
		if got := f.publish("a", "e", ""); got != tc.want {
			t.Errorf("%v: got %v want %v", tc.err, got, tc.want)
		}
	}
}

func TestRemoteBrokerPath(t *testing.T) {
	b := newErrBroker(nil)
	f := newFixture(t, nil, func(c *Config) { c.Broker = b })
	s, c := f.open()
	f.mustSubscribe(s, c, "r", "")
	if st := f.publish("r", "e", "via run"); st != StatusOK {
		t.Fatal(st)
	}
	if e, ok := c.Wait("e", "r", wait); !ok || e.DataString() != "via run" {
		t.Fatalf("%+v", e)
	}
	if err := f.h.TerminateUser(t.Context(), testAppID, "nobody"); err != nil {
		t.Fatal(err)
	}
	if err := f.h.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-b.done:
	default:
		t.Fatal("broker not closed")
	}
}

func TestMemoryBroker(t *testing.T) {
	b := NewMemoryBroker()
	if err := b.Publish(t.Context(), &Envelope{}); !errors.Is(err, ErrClosed) {
		t.Fatalf("unbound: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	got := make(chan string, 1)
	go func() { _ = b.Run(ctx, func(e *Envelope) { got <- e.Node }) }()
	for {
		if err := b.Publish(t.Context(), &Envelope{Node: "n"}); err == nil {
			break
		}
	}
	if n := <-got; n != "n" {
		t.Fatal(n)
	}
	cancel()
	_ = b.Close()
	if err := b.Publish(t.Context(), &Envelope{}); !errors.Is(err, ErrClosed) {
		t.Fatalf("closed: %v", err)
	}
	cctx, ccancel := context.WithCancel(t.Context())
	ccancel()
	if err := NewMemoryBroker().Publish(cctx, &Envelope{}); !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
}
