package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime"
	"strings"
	"time"
)

// Timeouts of the public listener. They bound what a client that has not
// finished its HTTP request can hold: a connection that sends nothing or
// trickles its headers (slowloris) is closed after readHeaderTimeout, an
// idle keep-alive connection after idleTimeout, and request headers above
// maxHeaderBytes get 431. WebSocket connections are hijacked and governed
// by the wsconn liveness rules instead.
const (
	readHeaderTimeout = 10 * time.Second
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 64 << 10
)

// debugStats is the JSON served at /debug/stats on the -debug-addr listener.
type debugStats struct {
	Goroutines int             `json:"goroutines"`
	HeapAlloc  uint64          `json:"heap_alloc_bytes"`
	HeapInuse  uint64          `json:"heap_inuse_bytes"`
	HeapObjs   uint64          `json:"heap_objects"`
	Sys        uint64          `json:"sys_bytes"`
	NumGC      uint32          `json:"num_gc"`
	RSS        int64           `json:"rss_bytes"` // VmRSS from /proc/self/status; -1 when unknown
	OpenFDs    int             `json:"open_fds"`  // entries of /proc/self/fd; -1 when unknown
	Hub        counterSnapshot `json:"hub"`       // hub.Metrics counters since start
}

// newDebugMux serves net/http/pprof under /debug/pprof/ and /debug/stats
// (debugStats as JSON; ?gc=1 runs a GC first so heap figures are comparable).
// c holds the hub's counters.
func newDebugMux(c *counters) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("GET /debug/stats", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("gc") == "1" {
			runtime.GC()
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		s := debugStats{
			Goroutines: runtime.NumGoroutine(), HeapAlloc: ms.HeapAlloc, HeapInuse: ms.HeapInuse,
			HeapObjs: ms.HeapObjects, Sys: ms.Sys, NumGC: ms.NumGC, RSS: selfRSS(), OpenFDs: openFDs(),
			Hub: c.snapshot(),
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(s)
	})
	return mux
}

// startDebug listens on addr (loopback advised: pprof exposes internals)
// and serves newDebugMux until the returned stop function is called. It
// prints "POGO_DEBUG http://ADDR" to stdout so a harness can find a port 0.
func startDebug(addr string, c *counters, stdout io.Writer, log *slog.Logger) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("debug listen: %w", err)
	}
	srv := &http.Server{Handler: newDebugMux(c), ReadHeaderTimeout: readHeaderTimeout}
	go func() { _ = srv.Serve(ln) }()
	fmt.Fprintf(stdout, "POGO_DEBUG http://%s\n", ln.Addr())
	log.Info("debug endpoint listening", "addr", ln.Addr().String())
	return func() { _ = srv.Close() }, nil
}

// selfRSS returns the resident set size of this process in bytes, or -1.
func selfRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kb); err == nil {
				return kb * 1024
			}
		}
	}
	return -1
}

// openFDs returns the number of open file descriptors of this process, or -1.
func openFDs() int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(ents)
}
