package main

import (
	"os"
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
