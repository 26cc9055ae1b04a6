package main

import (
	"testing"
	"time"
)

func TestHistIndexIsMonotoneAndPrecise(t *testing.T) {
	prev := -1
	for v := int64(0); v < 1<<22; v += 1 + v/97 {
		i := histIndex(v)
		if i < prev {
			t.Fatalf("index of %d is %d, below %d", v, i, prev)
		}
		prev = i
		if lo := histLow(i); lo > v {
			t.Fatalf("bucket %d starts at %d, above its value %d", i, lo, v)
		}
		if mid := histMid(i); v >= 64 && float64(abs(mid-v))/float64(v) > 1.0/32 {
			t.Fatalf("value %d reported as %d", v, mid)
		}
	}
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

func TestHistQuantilesAndMerge(t *testing.T) {
	var a, b Hist
	for i := 1; i <= 990; i++ {
		a.Record(int64(time.Millisecond))
	}
	for i := 1; i <= 10; i++ {
		b.Record(int64(100 * time.Millisecond))
	}
	a.Merge(&b)
	if a.Count() != 1000 {
		t.Fatalf("count %d", a.Count())
	}
	if p50 := a.Quantile(0.5); p50 < 970*time.Microsecond || p50 > 1030*time.Microsecond {
		t.Fatalf("p50 %v", p50)
	}
	if p999 := a.Quantile(0.999); p999 < 97*time.Millisecond {
		t.Fatalf("p99.9 %v", p999)
	}
	if a.Max() != 100*time.Millisecond || a.Quantile(1) > a.Max() {
		t.Fatalf("max %v, q1 %v", a.Max(), a.Quantile(1))
	}
	var empty Hist
	if empty.Quantile(0.99) != 0 {
		t.Fatal("empty histogram must report 0")
	}
}

func TestHistRecordDoesNotAllocate(t *testing.T) {
	var h Hist
	if n := testing.AllocsPerRun(100, func() { h.Record(12345) }); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}

func TestSeqTrackAccounting(t *testing.T) {
	var s seqTrack
	for _, seq := range []int64{1, 2, 2, 4, 3, 6} {
		s.observe(seq)
	}
	// 6 received, one duplicate (2), one late (3); 5 is missing out of 6.
	if s.received != 6 || s.dup != 1 || s.ooo != 1 {
		t.Fatalf("%+v", s)
	}
	if got := s.lost(6); got != 1 {
		t.Fatalf("lost %d, want 1", got)
	}
	if got := s.lost(2); got != 0 {
		t.Fatalf("lost is never negative, got %d", got)
	}
}

func TestMedianAndPairedRatio(t *testing.T) {
	if median([]float64{3, 1, 2}) != 2 || median([]float64{4, 1, 3, 2}) != 2.5 || median(nil) != 0 {
		t.Fatal("median")
	}
	rs := []fanoutResult{
		{Run: 1, Server: "pogo", Subs: 10, PerSec: 300}, {Run: 1, Server: "naive", Subs: 10, PerSec: 100},
		{Run: 2, Server: "pogo", Subs: 10, PerSec: 200}, {Run: 2, Server: "naive", Subs: 10, PerSec: 100},
		{Run: 3, Server: "pogo", Subs: 10, PerSec: 500}, // no naive pair: ignored
	}
	if r := pairedRatio(rs, 10, func(r fanoutResult) float64 { return r.PerSec }); r != 2.5 {
		t.Fatalf("ratio %v", r)
	}
}
