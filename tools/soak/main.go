// Command soak is Pogo WebSocket's bounded soak test: it starts
// pogo-server (or uses -bin), drives connect/disconnect churn, publishes
// through the signed HTTP API and presence joins and leaves for -duration,
// then closes every client and checks that the server's goroutines, heap,
// RSS and open file descriptors return to their baseline. It reads the
// figures from pogo-server's -debug-addr endpoint (/debug/stats).
//
// Usage:
//
//	go run ./tools/soak [-duration 15m] [-steady 200] [-churn 50] [-publish 200] [-presence 20] [-bin PATH] [-json FILE]
//
// Exit status 0 when every figure returned to baseline within the
// tolerances and no steady client missed an event while connected; 1 on a
// leak or a failure; 2 on bad flags. The report is printed as text, and as
// JSON to -json when given. Loopback only.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// options are the command line flags.
type options struct {
	duration time.Duration // load phase
	steady   int           // long-lived subscribers of the steady channel
	churn    int           // concurrent churning clients (connect, subscribe, leave)
	publish  int           // HTTP API publishes per second
	presence int           // of the churning clients, how many join a presence channel
	bin      string        // pogo-server binary; built from ./go/hub/cmd/pogo-server when empty
	jsonOut  string        // write the report as JSON here
	settle   time.Duration // how long the server may take to return to baseline
}

func parseOptions(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("soak", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.DurationVar(&o.duration, "duration", 2*time.Minute, "length of the load phase")
	fs.IntVar(&o.steady, "steady", 200, "long-lived subscribers receiving every publish")
	fs.IntVar(&o.churn, "churn", 50, "concurrent clients connecting, subscribing and leaving in a loop")
	fs.IntVar(&o.publish, "publish", 200, "HTTP API publishes per second")
	fs.IntVar(&o.presence, "presence", 20, "churning clients that also join and leave a presence channel")
	fs.StringVar(&o.bin, "bin", "", "pogo-server binary (default: go build ./go/hub/cmd/pogo-server)")
	fs.StringVar(&o.jsonOut, "json", "", "write the JSON report to this file")
	fs.DurationVar(&o.settle, "settle", 30*time.Second, "time allowed to return to baseline after the load")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case o.duration <= 0, o.settle <= 0:
		return o, errors.New("-duration and -settle must be positive")
	case o.steady < 1, o.churn < 0, o.publish < 1, o.presence < 0, o.presence > o.churn:
		return o, errors.New("need -steady >= 1, -publish >= 1, 0 <= -presence <= -churn")
	}
	return o, nil
}

func main() {
	o, err := parseOptions(os.Args[1:], os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := run(ctx, o, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
	if !rep.Pass {
		os.Exit(1)
	}
}
