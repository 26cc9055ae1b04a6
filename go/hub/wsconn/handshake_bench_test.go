package wsconn

import (
	"bufio"
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gobwas/ws"
	"github.com/y-l-g/websocket/go/hub"
)

// BenchmarkHandshake opens a connection to the real hub (upgrade, Open,
// connection_established read by the client) and closes it, per op. Client
// and server share the process and its two cores.
func BenchmarkHandshake(b *testing.B) {
	apps, err := hub.NewStaticApps(&hub.App{ID: "hs", Key: "hs", Secret: "s"})
	if err != nil {
		b.Fatal(err)
	}
	h, err := hub.New(hub.Config{Apps: apps})
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	handler, err := NewHandler(HubEngine(h), Options{})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(handler)
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/app/hs?protocol=7"
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		nc, br, _, err := ws.Dial(context.Background(), url)
		if err != nil {
			b.Fatal(err)
		}
		if br == nil {
			br = bufio.NewReader(nc)
		}
		if _, err := ws.ReadHeader(br); err != nil {
			b.Fatal(err)
		}
		_ = nc.Close()
	}
}
