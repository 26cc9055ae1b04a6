package main

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// fanoutTable renders fanout-style runs (fanout or latency).
func fanoutTable(title string, rs []fanoutResult) *table {
	t := &table{title: title, head: []string{"subscribers", "server", "runs", "deliveries/s", "server CPU/delivery",
		"tool CPU/delivery", "p50", "p90", "p99", "max", "lost (sum of runs)", "dup (sum)", "out of order (sum)", "closed by server (sum)"}}
	keys, med := summarizeFanout(rs)
	p90, tool := map[fanoutKey][]float64{}, map[fanoutKey][]float64{}
	for _, r := range rs {
		k := fanoutKey{r.Server, r.Subs}
		p90[k] = append(p90[k], r.P90us)
		if r.Deliveries > 0 {
			tool[k] = append(tool[k], r.ToolCPU*1e9/float64(r.Deliveries))
		}
	}
	for _, k := range keys {
		m := med[k]
		t.add(fmt.Sprint(k.subs), k.server, fmt.Sprint(m.runs), fint(m.perSec), fns(m.cpuNs), fns(median(tool[k])),
			fdur(m.p50), fdur(median(p90[k])), fdur(m.p99), fdur(m.maxU),
			lostCell(m.lost, m.lossyConns), fmt.Sprint(m.dup), fmt.Sprint(m.ooo), fmt.Sprint(m.closed))
		for _, e := range m.errors {
			t.notes = append(t.notes, fmt.Sprintf("%s at %d: %s", k.server, k.subs, oneLine(e)))
		}
	}
	for _, n := range subsOf(rs) {
		d := pairedRatio(rs, n, func(r fanoutResult) float64 { return r.PerSec })
		c := pairedRatio(rs, n, func(r fanoutResult) float64 { return r.ServerCPUPerDel })
		if d > 0 {
			t.notes = append(t.notes, fmt.Sprintf("%d subscribers, pogo/naive (median of same-run ratios): deliveries/s %s, server CPU per delivery %s", n, fratio(d), fratio(c)))
		}
	}
	return t
}

// subsOf lists the distinct subscriber counts in order.
func subsOf(rs []fanoutResult) []int {
	seen := map[int]bool{}
	var out []int
	for _, r := range rs {
		if !seen[r.Subs] {
			seen[r.Subs] = true
			out = append(out, r.Subs)
		}
	}
	sort.Ints(out)
	return out
}

// connectTable renders the connect runs.
func connectTable(rs []connectOut) *table {
	t := &table{title: "connect: handshakes (upgrade + connection_established + subscribe)", head: []string{"server", "runs", "handshakes", "concurrency", "handshakes/s", "p50", "p99", "max", "server CPU/handshake", "tool CPU/handshake", "failed"}}
	for _, name := range serversOf(rs, func(r connectOut) string { return r.Server }) {
		var ps, p50, p99, mx, cpu, tool []float64
		runs, n, conc, failed := 0, 0, 0, 0
		for _, r := range rs {
			if r.Server != name {
				continue
			}
			runs++
			n, conc = r.N, r.Concurrency
			failed += r.Failed
			ps, p50, p99, mx, cpu = append(ps, r.PerSec), append(p50, r.P50us), append(p99, r.P99us), append(mx, r.MaxUs), append(cpu, r.CPUPerHS)
			tool = append(tool, r.ToolPerHS)
			if r.Error != "" {
				t.notes = append(t.notes, name+": "+oneLine(r.Error))
			}
		}
		t.add(name, fmt.Sprint(runs), fmt.Sprint(n), fmt.Sprint(conc), fint(median(ps)), fdur(median(p50)), fdur(median(p99)), fdur(median(mx)), fdur(median(cpu)), fdur(median(tool)), fmt.Sprint(failed))
	}
	return t
}

// idleTable renders the idle runs.
func idleTable(rs []idleOut) *table {
	t := &table{title: "idle: subscribed connections held", head: []string{"server", "runs", "connections", "held", "holder processes", "server RSS/connection", "kernel memory/socket", "server CPU while idle", "hold"}}
	for _, name := range serversOf(rs, func(r idleOut) string { return r.Server }) {
		var rss, kern, cpu []float64
		runs, n, held, procs, hold := 0, 0, 0, 0, 0.0
		for _, r := range rs {
			if r.Server != name {
				continue
			}
			runs++
			n, procs, hold = r.N, r.Procs, r.HoldSec
			held = r.Held
			rss, cpu = append(rss, r.RSSPerConn), append(cpu, r.IdleCPU)
			kern = append(kern, r.KernelPerSocket)
			if r.Error != "" {
				t.notes = append(t.notes, name+": "+oneLine(r.Error))
			}
			if !r.StillOpen {
				t.notes = append(t.notes, name+": the server died while holding the connections")
			}
		}
		t.add(name, fmt.Sprint(runs), fmt.Sprint(n), fmt.Sprint(held), fmt.Sprint(procs), fbytes(median(rss)), fbytes(median(kern)), fmt.Sprintf("%.2f%% of a core", median(cpu)), fmt.Sprintf("%.0f s", hold))
	}
	return t
}

// nativeTable renders the native runs.
func nativeTable(rs []nativeOut) *table {
	t := &table{title: "native: pogo_websocket_publish() against the HTTP API, same bin/frankenphp", head: []string{"runs", "K", "native: PHP time/call", "native: server CPU/publish", "HTTP API: round trip/publish", "HTTP API: server CPU/publish", "server CPU ratio", "wall ratio", "received native/HTTP"}}
	if len(rs) == 0 {
		return t
	}
	var nw, nc, hw, hc, cr, wr []float64
	var recv []string
	for _, r := range rs {
		if r.Error != "" {
			t.notes = append(t.notes, fmt.Sprintf("run %d: %s", r.Run, oneLine(r.Error)))
		}
		if len(r.NativeStatuses) > 0 && (len(r.NativeStatuses) > 1 || r.NativeStatuses["0"] == 0) {
			t.notes = append(t.notes, fmt.Sprintf("run %d: native status codes %v", r.Run, r.NativeStatuses))
		}
		nw, nc, hw, hc = append(nw, r.NativeWallNs), append(nc, r.NativeCPUNs), append(hw, r.HTTPWallNs), append(hc, r.HTTPCPUNs)
		cr, wr = append(cr, r.CPURatio), append(wr, r.WallRatio)
		recv = append(recv, fmt.Sprintf("%d/%d", r.NativeReceived, r.HTTPReceived))
	}
	t.add(fmt.Sprint(len(rs)), fmt.Sprint(rs[0].K), fns(median(nw)), fns(median(nc)), fns(median(hw)), fns(median(hc)), fratio(median(cr)), fratio(median(wr)), strings.Join(recv, ", "))
	return t
}

// serversOf lists the distinct server names in order of appearance.
func serversOf[T any](rs []T, name func(T) string) []string {
	var out []string
	for _, r := range rs {
		if n := name(r); !contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// oneLine shortens an error message for a table note.
func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// clusterTable renders the cluster comparison (or why it did not run).
func clusterTable(e *env, c *clusterOut) *table {
	t := &table{title: fmt.Sprintf("cluster: %d bin/frankenphp nodes through one redis-server against one node", e.clusterNodes),
		head: []string{"subscribers", "runs", "single node deliveries/s", "cluster deliveries/s", "cluster/single", "single CPU/delivery", "cluster CPU/delivery (nodes + Redis)", "lost single/cluster"}}
	if c.Reason != "" {
		t.notes = append(t.notes, oneLine(c.Reason))
	}
	if len(c.Runs) == 0 {
		t.add("-", "0", "-", "-", "-", "-", "-", "-")
		return t
	}
	for _, subs := range clusterSubsOf(c.Runs) {
		var sp, cp, ratio, sc, cc []float64
		var lostS, lostC int64
		runs := 0
		for _, r := range c.Runs {
			if r.Subs != subs {
				continue
			}
			runs++
			sp, cp, ratio = append(sp, r.SinglePerSec), append(cp, r.ClusterPerSec), append(ratio, r.Ratio)
			sc, cc = append(sc, r.SingleCPUNs), append(cc, r.ClusterCPUNs)
			lostS += r.SingleLost
			lostC += r.ClusterLost
			if r.Error != "" {
				t.notes = append(t.notes, fmt.Sprintf("%d subscribers, run %d: %s", subs, r.Run, oneLine(r.Error)))
			}
		}
		t.add(fmt.Sprint(subs), fmt.Sprint(runs), fint(median(sp)), fint(median(cp)), fmt.Sprintf("%.0f%%", 100*median(ratio)),
			fns(median(sc)), fns(median(cc)), fmt.Sprintf("%d/%d", lostS, lostC))
	}
	return t
}

// clusterSubsOf lists the subscriber counts of the runs, in run order.
func clusterSubsOf(rs []clusterRun) []int {
	var out []int
	for _, r := range rs {
		if !slices.Contains(out, r.Subs) {
			out = append(out, r.Subs)
		}
	}
	return out
}

// lostCell shows lost messages and, when any, over how many connections.
func lostCell(lost, conns int64) string {
	if lost == 0 {
		return "0"
	}
	return fmt.Sprintf("%d (%d conns)", lost, conns)
}
