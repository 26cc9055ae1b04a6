package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// pool is a set of epoll readers sharing one timestamp epoch.
type pool struct {
	readers []*reader
}

// newPool starts n readers (at least 1); see newReader for batch.
func newPool(n int, epoch time.Time, batch time.Duration) (*pool, error) {
	p := &pool{}
	for range max(1, n) {
		r, err := newReader(epoch, batch)
		if err != nil {
			p.Close()
			return nil, err
		}
		p.readers = append(p.readers, r)
	}
	return p, nil
}

// delivered is the number of benchmark messages received so far.
func (p *pool) delivered() int64 {
	var n int64
	for _, r := range p.readers {
		n += r.delivered.Load()
	}
	return n
}

// closed is the number of sockets the server closed so far.
func (p *pool) closed() int64 {
	var n int64
	for _, r := range p.readers {
		n += r.closedN.Load()
	}
	return n
}

// Stop stops every reader (counters become final).
func (p *pool) Stop() {
	for _, r := range p.readers {
		r.Stop()
	}
}

// Close stops the readers and closes every socket.
func (p *pool) Close() {
	for _, r := range p.readers {
		r.Close()
	}
}

// subs returns every subscription of every reader (after Stop).
func (p *pool) subs() []*sub {
	var out []*sub
	for _, r := range p.readers {
		out = append(out, r.all...)
	}
	return out
}

// hist merges the readers' latency histograms (after Stop).
func (p *pool) hist() *Hist {
	h := &Hist{}
	for _, r := range p.readers {
		h.Merge(&r.hist)
	}
	return h
}

// connectResult sums up a batch of connections.
type connectResult struct {
	ok, failed int
	firstErr   error
	hist       Hist // handshake durations
	elapsed    time.Duration
}

// connectAll opens n subscribed connections with conc workers: number i
// subscribes to channel chName(i % channels) and, when p is not nil, is
// handed to reader i % len(p.readers); with p nil it is closed at once
// (the connect scenario). It stops early at the deadline of ctx.
func connectAll(ctx context.Context, d *dialer, p *pool, n, channels, conc int, timeout time.Duration) connectResult {
	var next atomic.Int64
	var mu sync.Mutex
	res := connectResult{}
	start := time.Now()
	var wg sync.WaitGroup
	for range max(1, conc) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var h Hist
			ok, failed := 0, 0
			var first error
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					break
				}
				t0 := time.Now()
				err := connectOne(ctx, d, p, i, channels, timeout)
				if err != nil {
					failed++
					if first == nil {
						first = fmt.Errorf("connection %d: %w", i, err)
					}
					continue
				}
				h.Record(int64(time.Since(t0)))
				ok++
			}
			mu.Lock()
			res.ok += ok
			res.failed += failed
			res.hist.Merge(&h)
			if res.firstErr == nil {
				res.firstErr = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	return res
}

// connectOne opens connection i and hands it over (or closes it).
func connectOne(ctx context.Context, d *dialer, p *pool, i, channels int, timeout time.Duration) error {
	ch := i % max(1, channels)
	w, err := d.connect(ctx, i, []string{chName(ch)}, timeout)
	if err != nil {
		return err
	}
	if p == nil {
		return w.Close()
	}
	return p.readers[i%len(p.readers)].add(w, ch)
}

// chName is the name of benchmark channel i.
func chName(i int) string { return fmt.Sprintf("bench-%d", i) }
