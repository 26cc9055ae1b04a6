package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Tolerances of the return to baseline (after a forced GC on the server).
const (
	tolGoroutines = 3
	tolFDs        = 3
	tolHeap       = 4 << 20  // bytes of live heap
	tolRSS        = 64 << 20 // bytes: the Go runtime returns freed memory to the OS lazily
)

// report is the outcome of one soak run.
type report struct {
	Duration     string `json:"duration"`
	Steady       int    `json:"steady_clients"`
	Churn        int    `json:"churn_clients"`
	Connects     int64  `json:"churn_connects"`
	Subscribes   int64  `json:"subscribes"`
	PresenceJoin int64  `json:"presence_joins"`
	Published    int64  `json:"published"`
	PublishFail  int64  `json:"publish_failures"`
	ChurnErrors  int64  `json:"churn_errors"`
	LastError    string `json:"last_error,omitempty"`
	SteadyMissed int64  `json:"steady_missed"` // events accepted but not received, over all steady clients
	SteadyDups   int64  `json:"steady_duplicates"`
	Baseline     stats  `json:"baseline"`
	Peak         stats  `json:"peak"` // per field maximum during the load
	Final        stats  `json:"final"`
	SettleMS     int64  `json:"settle_ms"` // time from the last client leaving to the final sample
	Problems     []string
	Pass         bool `json:"pass"`
}

// run executes the soak and prints the report.
func run(ctx context.Context, o options, out io.Writer) (*report, error) {
	bin := o.bin
	if bin == "" {
		dir, err := os.MkdirTemp("", "pogo-soak-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		if bin, err = buildServer(ctx, dir); err != nil {
			return nil, err
		}
	}
	srv, err := startServer(bin)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	rep := &report{Duration: o.duration.String(), Steady: o.steady, Churn: o.churn}
	time.Sleep(500 * time.Millisecond)
	if rep.Baseline, err = srv.stats(true); err != nil {
		return nil, err
	}
	fmt.Fprintf(out, "soak: baseline goroutines=%d heap=%d rss=%d fds=%d\n", rep.Baseline.Goroutines, rep.Baseline.HeapAlloc, rep.Baseline.RSS, rep.Baseline.OpenFDs)
	steady, err := startSteady(ctx, srv.addr, o.steady)
	if err != nil {
		return nil, err
	}
	var k counts
	load(ctx, srv, o, &k, rep, out)
	rep.SteadyMissed, rep.SteadyDups = drainSteady(steady, k.Published.Load())
	t0 := time.Now()
	for _, s := range steady {
		// Polite close without a second reader: the steady reader itself sees
		// the server's close and ends.
		s.c.sendClose()
		select {
		case <-s.done:
		case <-time.After(3 * time.Second):
		}
		s.c.close(false)
		<-s.done
	}
	rep.Final = settle(srv, rep.Baseline, o.settle)
	rep.SettleMS = time.Since(t0).Milliseconds()
	fill(rep, &k)
	judge(rep)
	print(out, rep)
	if o.jsonOut != "" {
		b, _ := json.MarshalIndent(rep, "", "  ")
		if err := os.WriteFile(o.jsonOut, b, 0o644); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// load runs churn and publishing for o.duration, sampling the server.
func load(ctx context.Context, srv *server, o options, k *counts, rep *report, out io.Writer) {
	lctx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	var wg sync.WaitGroup
	for i := 0; i < o.churn; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); churnLoop(lctx, srv.addr, i, i < o.presence, k) }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); publishLoop(lctx, srv, o.publish, k) }()
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	start := time.Now()
	for lctx.Err() == nil {
		select {
		case <-lctx.Done():
		case <-tick.C:
			if st, err := srv.stats(false); err == nil {
				peak(&rep.Peak, st)
				if time.Since(start) > 0 && int(time.Since(start).Seconds())%30 < 5 {
					fmt.Fprintf(out, "soak: %s open=%d goroutines=%d rss=%d fds=%d connects=%d published=%d errors=%d\n",
						time.Since(start).Round(time.Second), st.Hub.Open, st.Goroutines, st.RSS, st.OpenFDs, k.Connects.Load(), k.Published.Load(), k.Errors.Load())
				}
			}
		}
	}
	wg.Wait()
}

// drainSteady waits (up to 30 s) until every steady client got every
// accepted publish and returns the missing and duplicate totals.
func drainSteady(steady []*steadyClient, published int64) (missed, dups int64) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		missed = 0
		for _, s := range steady {
			missed += published - s.got.Load() + s.dups.Load()
		}
		if missed <= 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, s := range steady {
		dups += s.dups.Load()
	}
	return missed, dups
}

// settle samples the server (after GC) until it is back within the
// tolerances of base or the time is up, and returns the last sample.
func settle(srv *server, base stats, limit time.Duration) stats {
	deadline := time.Now().Add(limit)
	var st stats
	for {
		var err error
		st, err = srv.stats(true)
		ok := err == nil && st.Hub.Open == 0 && st.Goroutines <= base.Goroutines+tolGoroutines &&
			st.OpenFDs <= base.OpenFDs+tolFDs && st.HeapAlloc <= base.HeapAlloc+tolHeap
		if ok || time.Now().After(deadline) {
			return st
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func peak(p *stats, s stats) {
	p.Goroutines = max(p.Goroutines, s.Goroutines)
	p.HeapAlloc = max(p.HeapAlloc, s.HeapAlloc)
	p.HeapInuse = max(p.HeapInuse, s.HeapInuse)
	p.RSS = max(p.RSS, s.RSS)
	p.OpenFDs = max(p.OpenFDs, s.OpenFDs)
	p.Hub.Open = max(p.Hub.Open, s.Hub.Open)
}

func fill(rep *report, k *counts) {
	rep.Connects, rep.Subscribes, rep.PresenceJoin = k.Connects.Load(), k.Subscribes.Load(), k.PresenceJoin.Load()
	rep.Published, rep.PublishFail, rep.ChurnErrors = k.Published.Load(), k.PublishFail.Load(), k.Errors.Load()
	if v, ok := k.LastError.Load().(string); ok {
		rep.LastError = v
	}
}

// judge applies the pass criteria.
func judge(r *report) {
	b, f := r.Baseline, r.Final
	check := func(bad bool, format string, args ...any) {
		if bad {
			r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
		}
	}
	check(f.Hub.Open != 0, "%d connections still open after every client left", f.Hub.Open)
	check(f.Goroutines > b.Goroutines+tolGoroutines, "goroutines %d, baseline %d", f.Goroutines, b.Goroutines)
	check(f.OpenFDs > b.OpenFDs+tolFDs, "open fds %d, baseline %d", f.OpenFDs, b.OpenFDs)
	check(f.HeapAlloc > b.HeapAlloc+tolHeap, "live heap %d bytes, baseline %d", f.HeapAlloc, b.HeapAlloc)
	check(f.RSS > b.RSS+tolRSS, "RSS %d bytes, baseline %d", f.RSS, b.RSS)
	check(r.SteadyMissed != 0, "steady clients missed %d events", r.SteadyMissed)
	check(r.SteadyDups != 0, "steady clients got %d duplicates", r.SteadyDups)
	check(r.PublishFail != 0, "%d publishes failed", r.PublishFail)
	check(r.Connects == 0 || r.Published == 0, "no load was generated")
	r.Pass = len(r.Problems) == 0
}

func print(out io.Writer, r *report) {
	fmt.Fprintf(out, "soak: %s, %d steady + %d churning clients: %d connects, %d subscribes (%d presence joins), %d publishes (%d failed), %d churn errors\n",
		r.Duration, r.Steady, r.Churn, r.Connects, r.Subscribes, r.PresenceJoin, r.Published, r.PublishFail, r.ChurnErrors)
	fmt.Fprintf(out, "soak: steady missed %d, duplicates %d\n", r.SteadyMissed, r.SteadyDups)
	row := func(name string, b, p, f int64) {
		fmt.Fprintf(out, "soak: %-11s baseline %12d  peak %12d  final %12d\n", name, b, p, f)
	}
	row("goroutines", int64(r.Baseline.Goroutines), int64(r.Peak.Goroutines), int64(r.Final.Goroutines))
	row("heap_alloc", r.Baseline.HeapAlloc, r.Peak.HeapAlloc, r.Final.HeapAlloc)
	row("rss", r.Baseline.RSS, r.Peak.RSS, r.Final.RSS)
	row("open_fds", int64(r.Baseline.OpenFDs), int64(r.Peak.OpenFDs), int64(r.Final.OpenFDs))
	row("open_conns", r.Baseline.Hub.Open, r.Peak.Hub.Open, r.Final.Hub.Open)
	fmt.Fprintf(out, "soak: settled in %d ms\n", r.SettleMS)
	if r.LastError != "" {
		fmt.Fprintf(out, "soak: last churn error: %s\n", r.LastError)
	}
	for _, p := range r.Problems {
		fmt.Fprintf(out, "soak: FAIL %s\n", p)
	}
	if r.Pass {
		fmt.Fprintln(out, "soak: PASS")
	}
}
