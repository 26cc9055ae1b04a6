package main

import (
	"context"
	"fmt"
	"time"
)

// idleOut is the outcome of the idle scenario against one server.
type idleOut struct {
	Scenario   string  `json:"scenario"`
	Server     string  `json:"server"`
	Run        int     `json:"run"`
	N          int     `json:"connections"`
	Held       int     `json:"held"`
	Procs      int     `json:"holder_processes"`
	HoldSec    float64 `json:"hold_sec"`
	RSSBefore  int64   `json:"server_rss_before_bytes"`
	RSSAfter   int64   `json:"server_rss_after_bytes"`
	RSSPerConn float64 `json:"server_rss_bytes_per_connection"`
	// KernelPerSocket is the machine's slab growth during the hold divided
	// by two sockets per connection (both ends are on this machine).
	KernelPerSocket float64 `json:"kernel_bytes_per_socket"`
	IdleCPU         float64 `json:"server_idle_cpu_percent"`
	StillOpen       bool    `json:"server_alive"`
	Error           string  `json:"error,omitempty"`
}

// runIdle holds e.idleN subscribed connections (over 100 channels) in
// holder processes and measures the server's RSS growth and idle CPU.
// onHeld, when not nil, is called once every connection is held.
func runIdle(ctx context.Context, e *env, srv *server, onHeld func()) idleOut {
	out := idleOut{Scenario: "idle", Server: srv.name, N: e.idleN, HoldSec: e.idleHold.Seconds()}
	time.Sleep(500 * time.Millisecond)
	out.RSSBefore, _ = procRSS(srv.pid())
	slab0, slabErr := kernelSlabBytes()
	var holders []*holder
	defer func() {
		for _, h := range holders {
			h.stop()
		}
	}()
	for off := 0; off < e.idleN; off += e.idlePerProc {
		h, err := startHolder(e, srv.addr, min(e.idlePerProc, e.idleN-off), off)
		if err != nil {
			out.Error = err.Error()
			return out
		}
		holders = append(holders, h)
	}
	out.Procs = len(holders)
	for _, h := range holders {
		ok, failed, msg, err := h.wait()
		out.Held += ok
		if err != nil || failed > 0 {
			out.Error = fmt.Sprintf("holder: %d failed: %v %s", failed, err, msg)
		}
	}
	time.Sleep(time.Second)
	if onHeld != nil {
		onHeld()
	}
	cpu0 := sampleCPU(srv.pid())
	t0 := time.Now()
	select {
	case <-time.After(e.idleHold):
	case <-ctx.Done():
	}
	cpu1 := sampleCPU(srv.pid())
	out.RSSAfter, _ = procRSS(srv.pid())
	slab1, slabErr1 := kernelSlabBytes()
	out.StillOpen = srv.alive()
	if out.Held > 0 {
		out.RSSPerConn = float64(out.RSSAfter-out.RSSBefore) / float64(out.Held)
		if slabErr == nil && slabErr1 == nil {
			out.KernelPerSocket = float64(slab1-slab0) / float64(2*out.Held)
		}
	}
	out.IdleCPU = 100 * cpu1.since(cpu0).Seconds() / time.Since(t0).Seconds()
	return out
}
