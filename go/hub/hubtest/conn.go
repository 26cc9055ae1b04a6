package hubtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

// ErrFull is what Conn.WriteFrame returns when Limit frames are queued and
// FullErr is nil.
var ErrFull = errors.New("hubtest: write queue full")

// Event is a decoded server event. Data is the raw "data" member: for
// double-encoded events (a JSON string) DataString returns its value.
type Event struct {
	Event   string          `json:"event"`
	Channel string          `json:"channel,omitempty"`
	Data    json.RawMessage `json:"data,omitempty"`
	UserID  string          `json:"user_id,omitempty"`
}

// DataString returns the data member's string value ("" when data is not a
// JSON string).
func (e Event) DataString() string {
	var s string
	if json.Unmarshal(e.Data, &s) != nil {
		return ""
	}
	return s
}

// DataInto decodes the event's data into v, unwrapping the double encoding
// when data is a JSON string.
func (e Event) DataInto(v any) error {
	raw := []byte(e.Data)
	var s string
	if json.Unmarshal(raw, &s) == nil {
		raw = []byte(s)
	}
	return json.Unmarshal(raw, v)
}

// Conn is a recording hub.Conn: every frame written is decoded (a bad frame
// is recorded as an error, see Err) and kept. Safe for concurrent use.
type Conn struct {
	// Limit, when > 0, makes WriteFrame fail after that many frames
	// (simulating a full write queue) with FullErr (default ErrFull).
	Limit   int
	FullErr error
	// OnClose is called (once, outside the lock) by the first Close.
	OnClose func(code pusher.Code, reason string)

	mu      sync.Mutex
	events  []Event
	err     error
	closed  bool
	code    pusher.Code
	reason  string
	changed chan struct{}
}

// NewConn returns an empty recording conn.
func NewConn() *Conn { return &Conn{changed: make(chan struct{})} }

// WriteFrame implements hub.Conn.
func (c *Conn) WriteFrame(f []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Limit > 0 && len(c.events) >= c.Limit {
		if c.FullErr != nil {
			return c.FullErr
		}
		return ErrFull
	}
	p, err := DecodeFrame(f)
	var e Event
	if err == nil {
		err = json.Unmarshal(p, &e)
	}
	if err != nil {
		c.err = errors.Join(c.err, fmt.Errorf("frame %q: %w", f, err))
		return nil
	}
	c.events = append(c.events, e)
	c.notify()
	return nil
}

// Close implements hub.Conn.
func (c *Conn) Close(code pusher.Code, reason string) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed, c.code, c.reason = true, code, reason
	c.notify()
	cb := c.OnClose
	c.mu.Unlock()
	if cb != nil {
		cb(code, reason)
	}
}

func (c *Conn) notify() {
	if c.changed == nil {
		c.changed = make(chan struct{})
	}
	close(c.changed)
	c.changed = make(chan struct{})
}

// Events returns a copy of the decoded events so far.
func (c *Conn) Events() []Event {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.events)
}

// Reset forgets the recorded events.
func (c *Conn) Reset() {
	c.mu.Lock()
	c.events = nil
	c.mu.Unlock()
}

// Err returns the frames that failed to decode, joined, or nil.
func (c *Conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Closed reports whether Close was called, with its code and reason.
func (c *Conn) Closed() (bool, pusher.Code, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed, c.code, c.reason
}

// Wait blocks until an event named name (on channel, when channel != "")
// has been recorded, or timeout passes; it returns the first such event.
func (c *Conn) Wait(name, channel string, timeout time.Duration) (Event, bool) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		for _, e := range c.events {
			if e.Event == name && (channel == "" || e.Channel == channel) {
				c.mu.Unlock()
				return e, true
			}
		}
		if c.changed == nil {
			c.changed = make(chan struct{})
		}
		ch := c.changed
		c.mu.Unlock()
		select {
		case <-ch:
		case <-deadline.C:
			return Event{}, false
		}
	}
}

// Find returns the recorded events named name (on channel, when not "").
func (c *Conn) Find(name, channel string) []Event {
	var out []Event
	for _, e := range c.Events() {
		if e.Event == name && (channel == "" || e.Channel == channel) {
			out = append(out, e)
		}
	}
	return out
}

// CountingConn is a hub.Conn for benchmarks: it counts frames and bytes and
// keeps nothing. Safe for concurrent use; no allocation per write.
type CountingConn struct {
	Frames atomic.Int64
	Bytes  atomic.Int64
	closed atomic.Bool
}

// WriteFrame implements hub.Conn.
func (c *CountingConn) WriteFrame(f []byte) error {
	c.Frames.Add(1)
	c.Bytes.Add(int64(len(f)))
	return nil
}

// Close implements hub.Conn.
func (c *CountingConn) Close(pusher.Code, string) { c.closed.Store(true) }

// Closed reports whether Close was called.
func (c *CountingConn) Closed() bool { return c.closed.Load() }
