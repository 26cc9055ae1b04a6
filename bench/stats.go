package main

import "sort"

// median returns the median of xs (the mean of the two middle values for
// an even count), 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	m := len(s) / 2
	if len(s)%2 == 1 {
		return s[m]
	}
	return (s[m-1] + s[m]) / 2
}

// fanoutKey groups fanout runs.
type fanoutKey struct {
	server string
	subs   int
}

// fanoutMedian is the per-metric median of several fanout runs.
type fanoutMedian struct {
	runs                          int
	perSec, cpuNs, p50, p99, maxU float64
	lost, dup, ooo, closed        int64
	lossyConns                    int64
	errors                        []string
}

// summarizeFanout returns the medians per (server, subscribers) in the
// order first seen.
func summarizeFanout(rs []fanoutResult) ([]fanoutKey, map[fanoutKey]*fanoutMedian) {
	var keys []fanoutKey
	vals := map[fanoutKey][][]float64{}
	out := map[fanoutKey]*fanoutMedian{}
	for _, r := range rs {
		k := fanoutKey{r.Server, r.Subs}
		m, ok := out[k]
		if !ok {
			keys = append(keys, k)
			m = &fanoutMedian{}
			out[k] = m
			vals[k] = make([][]float64, 5)
		}
		m.runs++
		v := vals[k]
		for i, x := range []float64{r.PerSec, r.ServerCPUPerDel, r.P50us, r.P99us, r.MaxUs} {
			v[i] = append(v[i], x)
		}
		m.lost += r.Lost
		m.lossyConns += r.ConnsWithLoss
		m.dup += r.Dup
		m.ooo += r.OutOfOrder
		m.closed += r.ConnsLost
		if r.Error != "" {
			m.errors = append(m.errors, r.Error)
		}
	}
	for k, m := range out {
		v := vals[k]
		m.perSec, m.cpuNs, m.p50, m.p99, m.maxU = median(v[0]), median(v[1]), median(v[2]), median(v[3]), median(v[4])
	}
	return keys, out
}

// pairedRatio is the median over runs of a(pogo run i) / a(naive run i)
// for fanout runs with subs subscribers; 0 when no pair exists.
func pairedRatio(rs []fanoutResult, subs int, metric func(fanoutResult) float64) float64 {
	by := map[int]map[string]fanoutResult{}
	for _, r := range rs {
		if r.Subs != subs {
			continue
		}
		if by[r.Run] == nil {
			by[r.Run] = map[string]fanoutResult{}
		}
		by[r.Run][r.Server] = r
	}
	var ratios []float64
	for _, m := range by {
		p, ok1 := m["pogo"]
		n, ok2 := m["naive"]
		if ok1 && ok2 && metric(n) > 0 {
			ratios = append(ratios, metric(p)/metric(n))
		}
	}
	return median(ratios)
}
