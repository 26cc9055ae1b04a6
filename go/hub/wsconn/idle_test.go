package wsconn

import (
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestIdleConnectionMemory measures the memory of idle connections served
// by the real hub. It only runs with POGO_IDLE_CONNS=N (for example 5000):
//
//	POGO_IDLE_CONNS=5000 go test -run IdleConnectionMemory -v ./wsconn/
//
// Both ends live in this process, so the figures include the client side
// (a socket and its netFD, no goroutine, no buffer). On Linux the server
// side parks idle connections (park.go): no goroutine per connection.
func TestIdleConnectionMemory(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("POGO_IDLE_CONNS"))
	if n <= 0 {
		t.Skip("set POGO_IDLE_CONNS=N to measure")
	}
	h := newTestHub(t, "idle", nil)
	handler, err := NewHandler(HubEngine(h), Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(handler)
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/app/idle?protocol=7"

	before := snapshot()
	conns := make([]*client, 0, n)
	for range n {
		c := dial(t, url)
		c.next() // connection_established: the server side is fully set up
		c.br = nil
		conns = append(conns, c)
	}
	time.Sleep(500 * time.Millisecond) // let writer goroutines exit
	after := snapshot()
	per := func(a, b uint64) float64 { return float64(int64(b)-int64(a)) / float64(n) }
	t.Logf("%d idle connections: heap %.0f B/conn, stacks %.0f B/conn, RSS %.0f B/conn, goroutines %.2f/conn",
		n, per(before.heap, after.heap), per(before.stack, after.stack), per(before.rss, after.rss),
		float64(after.goroutines-before.goroutines)/float64(n))
	if g := float64(after.goroutines-before.goroutines) / float64(n); runtime.GOOS == "linux" && g > 0.1 {
		t.Errorf("%.2f goroutines per idle connection: they should be parked", g)
	}
	if s := h.Stats("idle"); s.Connections != n {
		t.Fatalf("hub sees %d connections", s.Connections)
	}
}

type memSnapshot struct {
	heap, stack, rss uint64
	goroutines       int
}

func snapshot() memSnapshot {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return memSnapshot{heap: ms.HeapInuse, stack: ms.StackInuse, rss: vmRSS(), goroutines: runtime.NumGoroutine()}
}

// vmRSS returns the resident set size from /proc/self/status (0 elsewhere).
func vmRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseUint(f[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}
