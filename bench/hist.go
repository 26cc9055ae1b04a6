package main

import (
	"math/bits"
	"time"
)

// histBuckets is the number of buckets of a Hist: values up to 2^41 ns
// (about 36 minutes) keep about 3% relative precision.
const histBuckets = 64 + 36*32

// Hist is a fixed-size log-linear latency histogram in nanoseconds.
// Values below 64 ns are exact; above, every power of two is split into
// 32 buckets, so a reported percentile is within about 3% of the true
// value. Record never allocates; the zero value is ready to use. A Hist
// is not safe for concurrent use: keep one per goroutine and Merge them.
type Hist struct {
	counts [histBuckets]uint64
	n      uint64
	max    int64
}

// histIndex maps a value in ns to its bucket.
func histIndex(v int64) int {
	if v < 64 {
		if v < 0 {
			return 0
		}
		return int(v)
	}
	shift := bits.Len64(uint64(v)) - 6
	m := int(uint64(v) >> uint(shift)) // in [32, 63]
	i := 64 + (shift-1)*32 + (m - 32)
	if i >= histBuckets {
		return histBuckets - 1
	}
	return i
}

// histLow is the smallest value that falls into bucket i.
func histLow(i int) int64 {
	if i < 64 {
		return int64(i)
	}
	shift := (i-64)/32 + 1
	m := int64((i-64)%32 + 32)
	return m << uint(shift)
}

// histMid is the value reported for bucket i: the middle of its range.
func histMid(i int) int64 {
	if i < 64 {
		return int64(i)
	}
	shift := (i-64)/32 + 1
	return histLow(i) + int64(1)<<uint(shift-1)
}

// Record adds one value (ns). Negative values count as 0.
func (h *Hist) Record(v int64) {
	h.counts[histIndex(v)]++
	h.n++
	if v > h.max {
		h.max = v
	}
}

// Merge adds every value of o to h.
func (h *Hist) Merge(o *Hist) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	if o.max > h.max {
		h.max = o.max
	}
}

// Count is the number of recorded values.
func (h *Hist) Count() uint64 { return h.n }

// Max is the largest recorded value (exact).
func (h *Hist) Max() time.Duration { return time.Duration(h.max) }

// Quantile returns the q-quantile (0 < q <= 1), 0 for an empty histogram.
// The result never exceeds Max.
func (h *Hist) Quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q*float64(h.n) + 0.5)
	if rank < 1 {
		rank = 1
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			v := histMid(i)
			if v > h.max {
				v = h.max
			}
			return time.Duration(v)
		}
	}
	return time.Duration(h.max)
}
