package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// steadyChannel receives every publish of the soak; each steady client
// counts what it gets.
const steadyChannel = "soak-steady"

// counts are the load figures.
type counts struct {
	Connects     atomic.Int64 // churn connections opened
	Subscribes   atomic.Int64
	PresenceJoin atomic.Int64
	Published    atomic.Int64 // accepted by the API (200)
	PublishFail  atomic.Int64 // non-200 or transport error
	Errors       atomic.Int64 // churn client failures
	LastError    atomic.Value // string
}

func (c *counts) fail(err error) {
	c.Errors.Add(1)
	c.LastError.Store(err.Error())
}

// steadyClient holds one long-lived subscriber and what it received.
type steadyClient struct {
	c    *wsClient
	got  atomic.Int64
	dups atomic.Int64
	err  atomic.Value
	done chan struct{}
}

// startSteady connects n subscribers of steadyChannel with reader goroutines.
func startSteady(ctx context.Context, addr string, n int) ([]*steadyClient, error) {
	out := make([]*steadyClient, 0, n)
	for i := 0; i < n; i++ {
		c, err := dial(ctx, addr)
		if err == nil {
			err = c.subscribe(steadyChannel, "")
		}
		if err != nil {
			for _, s := range out {
				s.c.close(false)
			}
			return nil, fmt.Errorf("steady client %d: %w", i, err)
		}
		s := &steadyClient{c: c, done: make(chan struct{})}
		go s.readLoop()
		out = append(out, s)
	}
	return out, nil
}

// readLoop counts tick events and answers server pings until the connection ends.
func (s *steadyClient) readLoop() {
	defer close(s.done)
	var seen bitset
	for {
		env, err := s.c.read(10 * time.Minute)
		if err != nil {
			s.err.Store(err.Error())
			return
		}
		switch env.Event {
		case "tick":
			var d string
			_ = json.Unmarshal(env.Data, &d)
			n, _ := strconv.ParseInt(d, 10, 64)
			if seen.testAndSet(n) {
				s.dups.Add(1)
			}
			s.got.Add(1)
		case "pusher:ping":
			_ = s.c.send(map[string]any{"event": "pusher:pong", "data": map[string]any{}})
		}
	}
}

// churnLoop connects, subscribes to a few channels (a presence channel when
// presence is set), stays a random while, leaves, and repeats until ctx ends.
func churnLoop(ctx context.Context, addr string, id int, presence bool, k *counts) {
	r := rand.New(rand.NewPCG(uint64(id), uint64(time.Now().UnixNano())))
	for ctx.Err() == nil {
		c, err := dial(ctx, addr)
		if err != nil {
			if ctx.Err() == nil {
				k.fail(err)
			}
			continue
		}
		k.Connects.Add(1)
		chans := []string{fmt.Sprintf("soak-pub-%d", r.IntN(50)), fmt.Sprintf("private-soak-%d", r.IntN(50))}
		if presence {
			chans = append(chans, fmt.Sprintf("presence-soak-%d", r.IntN(5)))
		}
		for _, ch := range chans {
			if err := c.subscribe(ch, "u"+strconv.Itoa(id)); err != nil {
				if ctx.Err() == nil {
					k.fail(err)
				}
				break
			}
			k.Subscribes.Add(1)
			if presence && ch[0] == 'p' && ch[1] == 'r' && ch[2] == 'e' {
				k.PresenceJoin.Add(1)
			}
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Duration(r.IntN(1000)) * time.Millisecond):
		}
		if r.IntN(2) == 0 {
			_ = c.unsubscribe(chans[0])
		}
		c.close(r.IntN(3) != 0) // a third vanish without a close frame
	}
}

// publishLoop publishes perSecond events: every one to the steady channel
// (data is the sequence number), plus one to a random churn channel.
func publishLoop(ctx context.Context, s *server, perSecond int, k *counts) {
	tick := time.NewTicker(time.Second / time.Duration(perSecond))
	defer tick.Stop()
	var seq int64
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for {
		select {
		case <-ctx.Done():
			wg.Wait()
			return
		case <-tick.C:
		}
		seq++
		n := seq
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			status, err := s.publish(context.Background(), steadyChannel, "tick", strconv.FormatInt(n, 10))
			if err != nil || status != 200 {
				k.PublishFail.Add(1)
				return
			}
			k.Published.Add(1)
			_, _ = s.publish(context.Background(), fmt.Sprintf("soak-pub-%d", n%50), "noise", `{"n":1}`)
		}()
	}
}

// bitset records which sequence numbers a client received (publishes run
// concurrently, so they may arrive out of order).
type bitset []uint64

// testAndSet sets bit n and reports whether it was already set.
func (b *bitset) testAndSet(n int64) bool {
	if n < 0 {
		return false
	}
	i := int(n / 64)
	for len(*b) <= i {
		*b = append(*b, 0)
	}
	m := uint64(1) << uint(n%64)
	old := (*b)[i]&m != 0
	(*b)[i] |= m
	return old
}
