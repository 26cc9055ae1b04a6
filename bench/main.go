// Command bench is Pogo WebSocket's load tool. It speaks the Pusher
// protocol as a client (an epoll reader with no allocation per message)
// and the signed HTTP API as a publisher, and measures the standalone
// pogo-server against a naive reference server (package naive, started
// from this same binary as "bench naive-server") on loopback only.
//
// Scenarios: fanout, connect, idle, native (PHP pogo_websocket_publish
// in bin/frankenphp against HTTP API publishes) and cluster (not available
// yet). Every scenario prints a human-readable table and one JSON line;
// with -out the results are also written as Markdown with an SVG plot.
//
//	go run ./bench                            # default, a few minutes
//	go run ./bench -out docs/benchmarks.md    # what `mage bench:run` runs
//	go run ./bench -scenarios fanout -fanout-subs 1000,5000,10000 -runs 3
//	go run ./bench naive-server -addr 127.0.0.1:6001 -app-secret s
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch {
	case len(os.Args) > 1 && os.Args[1] == "naive-server":
		err = runNaive(ctx, os.Args[2:], os.Stdout, os.Stderr)
	case len(os.Args) > 1 && os.Args[1] == "hold":
		err = runHold(ctx, os.Args[2:], os.Stdin, os.Stdout)
	default:
		err = runBench(ctx, os.Args[1:], os.Stdout, os.Stderr)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}
