package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestCPUSampleSincePrefersSchedstat(t *testing.T) {
	a := cpuSample{ticks: 100 * time.Millisecond, sched: 101 * time.Millisecond, schedOK: true}
	b := cpuSample{ticks: 200 * time.Millisecond, sched: 196 * time.Millisecond, schedOK: true}
	if got := b.since(a); got != 95*time.Millisecond {
		t.Fatalf("precise delta %v", got)
	}
	// A thread exited: schedstat lost its time, the ticks kept it.
	c := cpuSample{ticks: 900 * time.Millisecond, sched: 150 * time.Millisecond, schedOK: true}
	if got := c.since(a); got != 800*time.Millisecond {
		t.Fatalf("fallback delta %v", got)
	}
	d := cpuSample{ticks: 300 * time.Millisecond}
	if got := d.since(a); got != 200*time.Millisecond {
		t.Fatalf("no schedstat: %v", got)
	}
}

func TestSampleCPUOfThisProcess(t *testing.T) {
	pid := os.Getpid()
	a := sampleCPU(pid)
	if !a.schedOK {
		t.Skip("no /proc/PID/task/*/schedstat here")
	}
	x := 0
	for i := 0; i < 50_000_000; i++ { // bounded busy work
		x += i ^ (x >> 3)
	}
	b := sampleCPU(pid)
	if got := b.since(a); got <= 0 {
		t.Fatalf("no CPU time measured (%d)", x)
	}
	if rss, err := procRSS(pid); err != nil || rss <= 0 {
		t.Fatalf("rss %d, %v", rss, err)
	}
}

func TestKernelSlabBytes(t *testing.T) {
	b, err := kernelSlabBytes()
	if err != nil {
		t.Skipf("no /proc/meminfo here: %v", err)
	}
	if b <= 0 {
		t.Fatalf("slab %d bytes", b)
	}
}

func TestProjectionUsesPogoMedians(t *testing.T) {
	rs := []idleOut{
		{Server: "pogo", Held: 10, RSSPerConn: 3000, KernelPerSocket: 2000},
		{Server: "pogo", Held: 10, RSSPerConn: 5000, KernelPerSocket: 2200},
		{Server: "pogo", Held: 10, RSSPerConn: 4000, KernelPerSocket: 2100},
		{Server: "naive", Held: 10, RSSPerConn: 99999, KernelPerSocket: 99999},
		{Server: "pogo", Held: 0, RSSPerConn: 1e9},
	}
	p, ok := projectionFor(rs)
	if !ok || p.RSSPerConn != 4000 || p.KernelPerSock != 2100 || p.perConn() != 6100 {
		t.Fatalf("%+v %v", p, ok)
	}
	var b strings.Builder
	writeProjection(&b, rs)
	if !strings.Contains(b.String(), "| total | 5.96 KiB | 5.7 GiB |") {
		t.Fatalf("projection:\n%s", b.String())
	}
	if _, ok := projectionFor(rs[3:4]); ok {
		t.Fatal("no pogo runs: no projection")
	}
}
