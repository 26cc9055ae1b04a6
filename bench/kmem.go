package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// kernelSlabBytes returns the kernel's slab memory (the "Slab:" line of
// /proc/meminfo): socket, inode, file and epoll objects live there, so its
// growth while connections are held is their kernel cost. It is
// machine-wide: other activity during the hold adds noise.
func kernelSlabBytes() (int64, error) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "Slab:"); ok {
			fs := strings.Fields(v)
			if len(fs) == 0 {
				break
			}
			kb, err := strconv.ParseInt(fs[0], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("meminfo Slab: %w", err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("meminfo: no Slab line")
}

// projection is the cost of one idle subscribed connection on the server
// and what 1,000,000 of them need.
type projection struct {
	RSSPerConn    float64 // server process memory per connection
	KernelPerSock float64 // kernel memory per socket (one end)
}

// perConn is the server-side total per connection.
func (p projection) perConn() float64 { return p.RSSPerConn + p.KernelPerSock }

// projectionFor takes the medians of the pogo idle runs; ok is false when
// there were none.
func projectionFor(rs []idleOut) (projection, bool) {
	var rss, kern []float64
	for _, r := range rs {
		if r.Server == "pogo" && r.Held > 0 {
			rss = append(rss, r.RSSPerConn)
			kern = append(kern, r.KernelPerSocket)
		}
	}
	if len(rss) == 0 {
		return projection{}, false
	}
	return projection{RSSPerConn: median(rss), KernelPerSock: median(kern)}, true
}

// writeProjection renders the 1,000,000-connection projection section.
func writeProjection(w io.Writer, rs []idleOut) {
	p, ok := projectionFor(rs)
	if !ok {
		return
	}
	const million = 1_000_000
	gib := func(b float64) string { return fmt.Sprintf("%.1f GiB", b*million/(1<<30)) }
	fmt.Fprintln(w, "\n## Projection: 1,000,000 idle connections on one box")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "From the idle medians above (pogo). Kernel memory per socket is the growth of the machine's slab memory while the connections were held, divided by two because on loopback both ends of every connection live on this machine; idle sockets hold no buffer pages.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| per connection | measured | x 1,000,000 |")
	fmt.Fprintln(w, "|---|---|---|")
	fmt.Fprintf(w, "| server RSS | %s | %s |\n", fbytes(p.RSSPerConn), gib(p.RSSPerConn))
	fmt.Fprintf(w, "| kernel (socket, file, epoll objects) | %s | %s |\n", fbytes(p.KernelPerSock), gib(p.KernelPerSock))
	fmt.Fprintf(w, "| total | %s | %s |\n", fbytes(p.perConn()), gib(p.perConn()))
	fmt.Fprintln(w)
	fmt.Fprintln(w, projectionSettings)
}

// projectionSettings lists what a million connections need beyond memory.
const projectionSettings = `Settings a million connections need (none are needed for the runs above):

- File descriptors: one per connection. Raise the hard limit of the server process (` + "`LimitNOFILE=1100000`" + ` in its systemd unit, or ` + "`ulimit -n`" + `), after raising ` + "`fs.nr_open`" + ` and ` + "`fs.file-max`" + ` above it. This machine's hard limit is 20,000, which is why the runs here stop at 19,500.
- Pogo: ` + "`max_connections`" + ` off or above the target, and ` + "`handshake_rate`/`handshake_burst`" + ` sized for the reconnect storm after a deploy (a million clients reconnecting within a minute is about 17,000 handshakes/s).
- Kernel: ` + "`net.core.somaxconn`" + ` and the listener backlog at several thousand for reconnect storms; ` + "`net.ipv4.tcp_mem`" + ` high enough that a burst of queued writes does not push TCP into memory pressure; with connection tracking on, ` + "`net.netfilter.nf_conntrack_max`" + ` above the connection count.
- Clients: each client IP can open about 28,000 connections to one server port (` + "`net.ipv4.ip_local_port_range`" + `), so load generators need many source addresses; real users bring their own.
- Go: ` + "`GOMEMLIMIT`" + ` a little below the memory set aside for the process, so the garbage collector works harder instead of the kernel killing it.`
