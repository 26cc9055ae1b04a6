package main

import (
	"sync"
	"sync/atomic"

	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// counters is the hub.Metrics of pogo-server: process-wide counters served
// at /debug/stats of the -debug-addr listener (the soak tool and the
// hardening suite read them). Safe for concurrent use.
type counters struct {
	open     atomic.Int64
	opened   atomic.Int64
	received atomic.Int64
	sent     atomic.Int64

	mu      sync.Mutex
	closes  map[int]int64    // close code -> count
	drops   map[string]int64 // drop reason -> count
	publish map[int]int64    // publish status -> count
}

var _ hub.Metrics = (*counters)(nil)

func newCounters() *counters {
	return &counters{closes: map[int]int64{}, drops: map[string]int64{}, publish: map[int]int64{}}
}

func (c *counters) ConnectionOpened(string) { c.open.Add(1); c.opened.Add(1) }

func (c *counters) ConnectionClosed(_ string, code pusher.Code) {
	c.open.Add(-1)
	c.mu.Lock()
	c.closes[int(code)]++
	c.mu.Unlock()
}

func (c *counters) MessageReceived(string)       { c.received.Add(1) }
func (c *counters) MessagesSent(_ string, n int) { c.sent.Add(int64(n)) }

func (c *counters) Published(_ string, s hub.Status) {
	c.mu.Lock()
	c.publish[int(s)]++
	c.mu.Unlock()
}

func (c *counters) Dropped(_ string, reason string) {
	c.mu.Lock()
	c.drops[reason]++
	c.mu.Unlock()
}

// counterSnapshot is the JSON form of counters.
type counterSnapshot struct {
	Open     int64            `json:"open"`
	Opened   int64            `json:"opened"`
	Received int64            `json:"received"`
	Sent     int64            `json:"sent"`
	Closes   map[int]int64    `json:"closes"`
	Drops    map[string]int64 `json:"drops"`
	Publish  map[int]int64    `json:"publish"`
}

func (c *counters) snapshot() counterSnapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := counterSnapshot{
		Open: c.open.Load(), Opened: c.opened.Load(), Received: c.received.Load(), Sent: c.sent.Load(),
		Closes: make(map[int]int64, len(c.closes)), Drops: make(map[string]int64, len(c.drops)),
		Publish: make(map[int]int64, len(c.publish)),
	}
	for k, v := range c.closes {
		s.Closes[k] = v
	}
	for k, v := range c.drops {
		s.Drops[k] = v
	}
	for k, v := range c.publish {
		s.Publish[k] = v
	}
	return s
}
