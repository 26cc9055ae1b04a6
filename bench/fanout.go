package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// fanoutParams describe one fanout run.
type fanoutParams struct {
	Subs      int           // subscribed connections
	Channels  int           // channels; subscriber i listens to channel i % Channels
	Publishes int           // events published in total
	Rate      float64       // publishes per second; 0 = flat out (windowed)
	Payload   int           // approximate data size in bytes
	Window    int           // flat out: publishes allowed in flight per channel; 0 = no limit
	MaxTime   time.Duration // bound of the publishing phase
	Label     string        // "flat" or "rate"
	Batch     time.Duration // reader pause (see newReader); 0 for latency runs
	OnPublish func()        // optional: called when publishing starts
}

// fanoutResult is the outcome of one fanout run against one server.
type fanoutResult struct {
	Scenario        string  `json:"scenario"`
	Server          string  `json:"server"`
	Run             int     `json:"run"`
	Label           string  `json:"mode"`
	Subs            int     `json:"subscribers"`
	Connected       int     `json:"connected"`
	Channels        int     `json:"channels"`
	Published       int64   `json:"published"`
	PublishErrors   int64   `json:"publish_errors"`
	Rate            float64 `json:"target_rate"`
	Payload         int     `json:"payload_bytes"`
	Expected        int64   `json:"expected"`
	Deliveries      int64   `json:"deliveries"`
	Seconds         float64 `json:"seconds"`
	PerSec          float64 `json:"deliveries_per_sec"`
	P50us           float64 `json:"p50_us"`
	P90us           float64 `json:"p90_us"`
	P99us           float64 `json:"p99_us"`
	MaxUs           float64 `json:"max_us"`
	Lost            int64   `json:"lost"`
	ConnsWithLoss   int64   `json:"connections_with_loss"`
	Dup             int64   `json:"duplicated"`
	OutOfOrder      int64   `json:"out_of_order"`
	ConnsLost       int64   `json:"connections_closed_by_server"`
	ServerCPU       float64 `json:"server_cpu_sec"`
	ServerCPUPerDel float64 `json:"server_cpu_ns_per_delivery"`
	ToolCPU         float64 `json:"tool_cpu_sec"`
	Error           string  `json:"error,omitempty"`
}

// runFanout starts srv's subscribers, publishes, drains and measures.
func runFanout(ctx context.Context, env *env, srv *server, fp fanoutParams) fanoutResult {
	return runFanoutNodes(ctx, env, []*server{srv}, nil, fp)
}

// runFanoutNodes spreads the subscribers evenly over nodes, publishes
// through the first node, and counts the CPU of every node plus the
// processes in extra (a Redis server, say) as server CPU.
func runFanoutNodes(ctx context.Context, env *env, nodes []*server, extra []int, fp fanoutParams) fanoutResult {
	res := fanoutResult{Scenario: "fanout", Server: nodes[0].name, Label: fp.Label, Subs: fp.Subs, Channels: fp.Channels, Rate: fp.Rate, Payload: fp.Payload}
	epoch := time.Now()
	p, err := newPool(env.readers, epoch, fp.Batch)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	defer p.Close()
	if err := connectNodes(ctx, env, nodes, p, fp, &res); err != nil {
		res.Error = err.Error()
		if res.Connected == 0 {
			return res
		}
	}
	perChan := make([]int64, fp.Channels)
	for _, s := range p.subs() {
		perChan[s.ch]++
	}
	pids := extra
	for _, n := range nodes {
		pids = append(pids, n.pid())
	}
	pub := newPublisher(nodes[0].url, benchApp, epoch, fp.Payload, env.pubConns)
	defer pub.close()
	cpu0, self0, t0 := sampleCPU(pids...), selfCPU(), time.Now()
	if fp.OnPublish != nil {
		fp.OnPublish()
	}
	counts := publishAll(ctx, pub, p, fp, perChan, env.pubConns)
	res.Published, res.PublishErrors = counts.ok, counts.failed
	if counts.firstErr != nil && res.Error == "" {
		res.Error = counts.firstErr.Error()
	}
	res.Expected = counts.expected.Load()
	last := drain(p, res.Expected, env.drainIdle)
	cpu1 := sampleCPU(pids...)
	res.ToolCPU = (selfCPU() - self0).Seconds()
	p.Stop()
	fillFanout(&res, p, counts.perChan, last.Sub(t0), cpu1.since(cpu0))
	return res
}

// connectNodes opens fp.Subs subscribers, node j taking an equal share.
func connectNodes(ctx context.Context, env *env, nodes []*server, p *pool, fp fanoutParams, res *fanoutResult) error {
	cctx, cancel := context.WithTimeout(ctx, env.connectMax)
	defer cancel()
	var firstErr error
	failed := 0
	for j, node := range nodes {
		share := fp.Subs / len(nodes)
		if j < fp.Subs%len(nodes) {
			share++
		}
		d := newDialer(node.addr, benchApp.Key, env.sources)
		d.offset = j
		cr := connectAll(cctx, d, p, share, fp.Channels, env.connectConc, 10*time.Second)
		res.Connected += cr.ok
		failed += cr.failed
		if firstErr == nil && cr.firstErr != nil {
			firstErr = fmt.Errorf("%s: %w", node.addr, cr.firstErr)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d connections failed; first: %w", failed, fp.Subs, firstErr)
	}
	return nil
}

// fillFanout computes the figures of res from the stopped pool.
func fillFanout(res *fanoutResult, p *pool, published []int64, elapsed, cpu time.Duration) {
	h := p.hist()
	res.Deliveries = int64(h.Count())
	res.Seconds = elapsed.Seconds()
	if res.Seconds > 0 {
		res.PerSec = float64(res.Deliveries) / res.Seconds
	}
	res.P50us = us(h.Quantile(0.50))
	res.P90us = us(h.Quantile(0.90))
	res.P99us = us(h.Quantile(0.99))
	res.MaxUs = us(h.Max())
	for _, s := range p.subs() {
		if l := s.track.lost(published[s.ch]); l > 0 {
			res.Lost += l
			res.ConnsWithLoss++
		}
		res.Dup += s.track.dup
		res.OutOfOrder += s.track.ooo
		if s.closed {
			res.ConnsLost++
		}
	}
	res.ServerCPU = cpu.Seconds()
	if res.Deliveries > 0 {
		res.ServerCPUPerDel = float64(cpu.Nanoseconds()) / float64(res.Deliveries)
	}
}

func us(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }

// pubCounts are the publishing totals.
type pubCounts struct {
	ok, failed int64
	firstErr   error
	expected   atomic.Int64 // deliveries the accepted publishes should cause
	perChan    []int64      // accepted publishes per channel
}

// publishAll runs the publishing phase: workers own disjoint channels so
// that each channel's sequence is sent in order.
func publishAll(ctx context.Context, pub *publisher, p *pool, fp fanoutParams, perChan []int64, conns int) *pubCounts {
	workers := max(1, min(conns, fp.Channels))
	c := &pubCounts{perChan: make([]int64, fp.Channels)}
	var mu sync.Mutex
	var wg sync.WaitGroup
	deadline := time.Now().Add(fp.MaxTime)
	pctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			share := fp.Publishes / workers
			if w < fp.Publishes%workers {
				share++
			}
			ok, failed, first := publishWorker(pctx, pub, p, fp, w, workers, share, perChan, c)
			mu.Lock()
			c.ok += ok
			c.failed += failed
			if c.firstErr == nil {
				c.firstErr = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	return c
}

// publishWorker publishes share events on channels w, w+workers, ...
func publishWorker(ctx context.Context, pub *publisher, p *pool, fp fanoutParams, w, workers, share int, perChan []int64, c *pubCounts) (ok, failed int64, first error) {
	var mine []int
	for ch := w; ch < fp.Channels; ch += workers {
		mine = append(mine, ch)
	}
	seq := make([]int64, len(mine))
	var interval time.Duration
	if fp.Rate > 0 {
		interval = time.Duration(float64(time.Second) * float64(workers) / fp.Rate)
	}
	next, window := time.Now(), fp.Window > 0
	for k := 0; k < share && ctx.Err() == nil; k++ {
		j := k % len(mine)
		ch := mine[j]
		if interval > 0 {
			next = next.Add(interval)
			time.Sleep(time.Until(next))
		} else if window {
			// Without progress for 2 s deliveries are being lost: stop
			// gating rather than stall every later publish.
			window = waitWindow(ctx, p, &c.expected, perChan[ch]*int64(fp.Window))
		}
		seq[j]++
		if err := pub.publish(ctx, chName(ch), seq[j]); err != nil {
			failed++
			if first == nil {
				first = err
			}
			seq[j]-- // the server refused it: nobody should expect it
			continue
		}
		ok++
		c.expected.Add(perChan[ch])
		atomic.AddInt64(&c.perChan[ch], 1)
	}
	return ok, failed, first
}

// waitWindow blocks while more than window deliveries are outstanding.
// It gives up and returns false after 2 s without progress (messages
// were lost).
func waitWindow(ctx context.Context, p *pool, expected *atomic.Int64, window int64) bool {
	last, since := p.delivered(), time.Now()
	for ctx.Err() == nil && expected.Load()-p.delivered() > window {
		time.Sleep(100 * time.Microsecond)
		if d := p.delivered(); d != last {
			last, since = d, time.Now()
		} else if time.Since(since) > 2*time.Second {
			return false
		}
	}
	return true
}

// drainMax bounds one drain whatever the progress.
const drainMax = 2 * time.Minute

// drain waits until every expected delivery arrived, nothing arrived for
// idle, or drainMax passed, and returns when the last delivery was seen.
func drain(p *pool, expected int64, idle time.Duration) time.Time {
	last, lastAt := p.delivered(), time.Now()
	deadline := lastAt.Add(drainMax)
	for last < expected && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
		d := p.delivered()
		if d != last {
			last, lastAt = d, time.Now()
			continue
		}
		if time.Since(lastAt) > idle {
			break
		}
	}
	return lastAt
}
