package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/y-l-g/websocket/go/hub"
)

func TestDebugStats(t *testing.T) {
	c := newCounters()
	c.ConnectionOpened("a")
	c.ConnectionOpened("a")
	c.ConnectionClosed("a", 4200)
	c.Dropped("a", "slow_consumer")
	c.Published("a", hub.StatusOK)
	srv := httptest.NewServer(newDebugMux(c))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/debug/stats?gc=1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var s debugStats
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		t.Fatal(err)
	}
	if s.Goroutines <= 0 || s.HeapAlloc == 0 || s.RSS <= 0 || s.OpenFDs <= 0 {
		t.Fatalf("runtime figures missing: %+v", s)
	}
	if s.Hub.Open != 1 || s.Hub.Opened != 2 || s.Hub.Closes[4200] != 1 || s.Hub.Drops["slow_consumer"] != 1 || s.Hub.Publish[0] != 1 {
		t.Fatalf("hub counters: %+v", s.Hub)
	}
	resp2, err := http.Get(srv.URL + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp2.Body.Close()
	if b, _ := io.ReadAll(resp2.Body); resp2.StatusCode != 200 || !bytes.Contains(b, []byte("goroutine profile")) {
		t.Fatalf("pprof: %d %.100s", resp2.StatusCode, b)
	}
}

func TestStartDebugPrintsAddress(t *testing.T) {
	var out bytes.Buffer
	stop, err := startDebug("127.0.0.1:0", newCounters(), &out, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if !strings.HasPrefix(out.String(), "POGO_DEBUG http://127.0.0.1:") {
		t.Fatalf("printed %q", out.String())
	}
	if _, err := startDebug("256.0.0.1:0", newCounters(), io.Discard, slog.New(slog.DiscardHandler)); err == nil {
		t.Fatal("want a listen error")
	}
}
