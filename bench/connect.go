package main

import (
	"context"
	"fmt"
	"time"
)

// connectOut is the outcome of the connect scenario against one server:
// full Pusher handshakes (TCP connect, upgrade, connection_established,
// subscribe, subscription_succeeded) with -connect-conc in parallel; each
// connection is closed once subscribed.
type connectOut struct {
	Scenario    string  `json:"scenario"`
	Server      string  `json:"server"`
	Run         int     `json:"run"`
	N           int     `json:"handshakes"`
	OK          int     `json:"ok"`
	Failed      int     `json:"failed"`
	Concurrency int     `json:"concurrency"`
	Seconds     float64 `json:"seconds"`
	PerSec      float64 `json:"handshakes_per_sec"`
	P50us       float64 `json:"p50_us"`
	P99us       float64 `json:"p99_us"`
	MaxUs       float64 `json:"max_us"`
	ServerCPU   float64 `json:"server_cpu_sec"`
	CPUPerHS    float64 `json:"server_cpu_us_per_handshake"`
	ToolPerHS   float64 `json:"tool_cpu_us_per_handshake"`
	Error       string  `json:"error,omitempty"`
}

// runConnect measures handshakes per second and their latency; onStart,
// when not nil, is called just before the first handshake.
func runConnect(ctx context.Context, e *env, srv *server, onStart func()) connectOut {
	out := connectOut{Scenario: "connect", Server: srv.name, N: e.connectN, Concurrency: e.connectConc}
	cctx, cancel := context.WithTimeout(ctx, e.connectMax)
	defer cancel()
	if onStart != nil {
		onStart()
	}
	cpu0 := sampleCPU(srv.pid())
	self0 := selfCPU()
	r := connectAll(cctx, newDialer(srv.addr, benchApp.Key, e.sources), nil, e.connectN, 1, e.connectConc, 10*time.Second)
	cpu1 := sampleCPU(srv.pid())
	self1 := selfCPU()
	out.OK, out.Failed = r.ok, r.failed
	out.Seconds = r.elapsed.Seconds()
	if out.Seconds > 0 {
		out.PerSec = float64(r.ok) / out.Seconds
	}
	out.P50us = us(r.hist.Quantile(0.5))
	out.P99us = us(r.hist.Quantile(0.99))
	out.MaxUs = us(r.hist.Max())
	out.ServerCPU = cpu1.since(cpu0).Seconds()
	if r.ok > 0 {
		out.CPUPerHS = float64(cpu1.since(cpu0).Microseconds()) / float64(r.ok)
		out.ToolPerHS = float64((self1 - self0).Microseconds()) / float64(r.ok)
	}
	if r.failed > 0 {
		out.Error = fmt.Sprintf("%d failed; first: %v", r.failed, r.firstErr)
	}
	return out
}
