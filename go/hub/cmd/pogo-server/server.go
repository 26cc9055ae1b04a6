package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/hub/httpapi"
	"github.com/y-l-g/websocket/go/hub/wsconn"
)

// run starts the server and blocks until ctx ends (a signal), then shuts
// down gracefully. It writes the POGO_LISTENING line to stdout.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.logLevel}))
	specs, err := buildApps(cfg)
	if err != nil {
		return err
	}
	apps := make([]*hub.App, len(specs))
	secrets := make(map[string]string, len(specs))
	for i, s := range specs {
		apps[i] = s.app
		secrets[s.app.ID] = s.webhookSecret
	}
	provider, err := hub.NewStaticApps(apps...)
	if err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	stats := newCounters()
	hcfg := hub.Config{Apps: provider, MaxConnections: cfg.maxConnections, Logger: log, Metrics: stats}
	var hooks *webhookSender
	if cfg.webhookURL != "" {
		hooks = newWebhookSender(cfg.webhookURL, secrets, cfg.webhookGrace, log)
		defer hooks.Close()
		hcfg.Webhooks = hooks
	}
	node, err := cfg.redis.apply(&hcfg, log)
	if err != nil {
		return err
	}
	defer closeRedis(node) // after the hub
	h, err := hub.New(hcfg)
	if err != nil {
		return fmt.Errorf("start hub: %w", err)
	}
	defer func() { _ = h.Close() }()
	if hooks != nil {
		hooks.setCheck(h.StillCurrent)
	}
	waitRedis(ctx, node, log)
	handler, err := newMux(h, cfg, log)
	if err != nil {
		return err
	}
	ln, err := listen(cfg.addr, cfg.reusePort)
	if err != nil {
		return err
	}
	if cfg.debugAddr != "" {
		stopDebug, err := startDebug(cfg.debugAddr, stats, stdout, log)
		if err != nil {
			_ = ln.Close()
			return err
		}
		defer stopDebug()
	}
	srv := &http.Server{
		Handler: handler, ReadHeaderTimeout: readHeaderTimeout, IdleTimeout: idleTimeout, MaxHeaderBytes: maxHeaderBytes,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "POGO_LISTENING http://%s\n", ln.Addr())
	log.Info("pogo-server listening", "addr", ln.Addr().String(), "apps", len(apps))

	select {
	case <-ctx.Done():
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	}
	return shutdown(h, srv, cfg.shutdownTimeout, log)
}

// shutdown stops accepting connections first (so that, with -reuse-port,
// reconnecting clients reach the replacement process), lets HTTP API
// requests in flight finish, then closes every WebSocket with 4200 and
// waits for them, all within timeout. WebSocket connections are hijacked,
// so srv.Shutdown does not wait for them.
func shutdown(h *hub.Hub, srv *http.Server, timeout time.Duration, log *slog.Logger) error {
	log.Info("pogo-server shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	httpErr := srv.Shutdown(ctx)
	if err := h.Shutdown(ctx); err != nil {
		log.Warn("hub shutdown incomplete", "err", err)
	}
	if httpErr != nil && !errors.Is(httpErr, context.DeadlineExceeded) {
		return fmt.Errorf("http shutdown: %w", httpErr)
	}
	return nil
}

// newMux routes /app/{key} to the WebSocket handler and /apps/ to the HTTP API.
func newMux(h *hub.Hub, cfg config, log *slog.Logger) (http.Handler, error) {
	ws, err := wsconn.NewHandler(wsconn.HubEngine(h), wsconn.Options{
		PingPeriod: cfg.pingPeriod, PongWait: cfg.pongWait, WriteWait: cfg.writeWait, Logger: log,
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errUsage, err)
	}
	mux := http.NewServeMux()
	mux.Handle(wsPrefix, ws)
	mux.Handle("/apps/", httpapi.New(h, httpapi.Options{Logger: log}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "ok\n")
	})
	return router{ws: ws, mux: mux}, nil
}
