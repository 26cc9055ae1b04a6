package main

import "fmt"

// targetsTable compares the medians with the targets of GitHub issue 11.
func targetsTable(r *results) *table {
	t := &table{title: "targets (pogo, medians; ratios from the same run)", head: []string{"target", "goal", "measured", "met"}}
	verdict := func(ok, have bool) string {
		switch {
		case !have:
			return "not measured"
		case ok:
			return "yes"
		default:
			return "**no**"
		}
	}
	_, fan := summarizeFanout(r.Fanout)
	if m, ok := fan[fanoutKey{"pogo", 10000}]; ok {
		t.add("server CPU per delivery at 10,000 subscribers", "<= 1 µs", fns(m.cpuNs), verdict(m.cpuNs <= 1000, m.cpuNs > 0))
	} else {
		t.add("server CPU per delivery at 10,000 subscribers", "<= 1 µs", "-", verdict(false, false))
	}
	for _, n := range []int{1000, 10000} {
		ratio := pairedRatio(r.Fanout, n, func(x fanoutResult) float64 { return x.PerSec })
		t.add(fmt.Sprintf("deliveries/s vs naive at %d subscribers", n), ">= 2x", fratio(ratio), verdict(ratio >= 2, ratio > 0))
	}
	idle := byServer(r.Idle, func(x idleOut) string { return x.Server }, "pogo")
	var rss []float64
	n := 0
	for _, x := range idle {
		rss = append(rss, x.RSSPerConn)
		n = x.N
	}
	t.add(fmt.Sprintf("server RSS per idle subscribed connection (%d held)", n), "<= 4 KiB", fbytesOr(median(rss), len(rss) > 0), verdict(median(rss) <= 4096, len(rss) > 0))
	lat := byServer(r.Latency, func(x fanoutResult) string { return x.Server }, "pogo")
	var p99 []float64
	for _, x := range lat {
		p99 = append(p99, x.P99us)
	}
	t.add("p99 at 1,000 subscribers x 100 publishes/s", "<= 5 ms", durOr(median(p99), len(p99) > 0), verdict(median(p99) <= 5000, len(p99) > 0))
	con := byServer(r.Connect, func(x connectOut) string { return x.Server }, "pogo")
	var hs []float64
	for _, x := range con {
		hs = append(hs, x.PerSec)
	}
	t.add("handshakes per second", ">= 15,000/s", intOr(median(hs), len(hs) > 0), verdict(median(hs) >= 15000, len(hs) > 0))
	var cr []float64
	for _, x := range r.Native {
		if x.CPURatio > 0 {
			cr = append(cr, x.CPURatio)
		}
	}
	t.add("native publish cheaper than HTTP API publish (server CPU)", ">= 20x", fratio(median(cr)), verdict(median(cr) >= 20, len(cr) > 0))
	if r.Cluster == nil || len(r.Cluster.Runs) == 0 {
		t.add("cluster throughput vs single node", ">= 60%", pctOr(0, false), verdict(false, false))
		return t
	}
	for _, subs := range clusterSubsOf(r.Cluster.Runs) {
		var cl []float64
		for _, x := range r.Cluster.Runs {
			if x.Subs == subs {
				cl = append(cl, x.Ratio)
			}
		}
		t.add(fmt.Sprintf("cluster throughput vs single node, %d subscribers", subs), ">= 60%", pctOr(median(cl), true), verdict(median(cl) >= 0.6, true))
	}
	return t
}

// byServer filters runs of one server.
func byServer[T any](rs []T, name func(T) string, want string) []T {
	var out []T
	for _, r := range rs {
		if name(r) == want {
			out = append(out, r)
		}
	}
	return out
}

func fbytesOr(b float64, have bool) string {
	if !have {
		return "-"
	}
	return fbytes(b)
}

func durOr(us float64, have bool) string {
	if !have {
		return "-"
	}
	return fdur(us)
}

func intOr(v float64, have bool) string {
	if !have {
		return "-"
	}
	return fint(v) + "/s"
}

func pctOr(v float64, have bool) string {
	if !have {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*v)
}
