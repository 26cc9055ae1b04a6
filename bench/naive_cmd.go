package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/y-l-g/websocket/bench/naive"
	"github.com/y-l-g/websocket/bench/sign"
)

// runNaive is the "naive-server" subcommand: the reference server with
// the pogo-server flag subset (-addr, -app-id, -app-key, -app-secret,
// -max-connections; other pogo-server flags are accepted and ignored so
// both servers start identically) and the same ready line.
func runNaive(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("naive-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:6001", "listen address; port 0 picks a free port")
	app := sign.App{}
	fs.StringVar(&app.ID, "app-id", "pogo-app", "app id")
	fs.StringVar(&app.Key, "app-key", "", "app key (default: the app id)")
	fs.StringVar(&app.Secret, "app-secret", "", "app secret (required)")
	maxConns := fs.Int("max-connections", 0, "connection limit (0 = unlimited)")
	fs.String("log-level", "info", "ignored")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if app.Key == "" {
		app.Key = app.ID
	}
	if app.Secret == "" {
		return errors.New("naive-server: -app-secret is required")
	}
	srv, err := naive.New(naive.Options{App: app, MaxConnections: *maxConns})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	}()
	fmt.Fprintf(stdout, "POGO_LISTENING http://%s\n", ln.Addr())
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
