//go:build mage

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/magefile/mage/mg"
)

// PHP holds the targets of the Laravel package php/pogo-websocket.
type PHP mg.Namespace

// Test runs the package's PHPUnit suite against Debian's Laravel (HTTP fallback tested against a real pogo-server).
func (PHP) Test() error {
	mg.SerialDeps(System.Packages, System.Composer, Go.Server)
	dir := filepath.Join(root(), "php", "pogo-websocket")
	if !exists(filepath.Join(dir, "phpunit.xml.dist")) {
		return fmt.Errorf("php/pogo-websocket/phpunit.xml.dist is missing")
	}
	return run(dir, []string{"POGO_SERVER_BIN=" + bin("pogo-server")}, "phpunit", "--colors=never")
}

// JS holds the targets of the JavaScript parts: the protocol suite and the Echo preset.
type JS mg.Namespace

// Test runs the Echo preset tests and the pusher-js/laravel-echo protocol suite against a real pogo-server.
func (JS) Test() error {
	mg.SerialDeps(System.Node, Go.Server)
	env := []string{"POGO_SERVER_BIN=" + bin("pogo-server")}
	var dirs []string
	for _, d := range []string{"js/echo-preset/test", "test/protocol"} {
		if exists(filepath.Join(root(), d)) {
			dirs = append(dirs, d+"/")
		}
	}
	args := append([]string{"--test", "--test-concurrency=1"}, dirs...)
	return run(root(), env, "node", args...)
}

// Module runs the pusher-js protocol suite against the Caddy module inside the real bin/frankenphp.
func (JS) Module() error {
	mg.SerialDeps(System.Node, Ext.Build)
	return run(root(), []string{"POGO_TARGET=frankenphp", "POGO_FRANKENPHP=" + bin("frankenphp")},
		"node", "--test", "--test-concurrency=1", "test/protocol/")
}

// Bundle rebuilds the example app's front end (examples/laravel-app/public/build/app.js) with esbuild.
func (JS) Bundle() error {
	mg.Deps(System.Node)
	return run(root(), nil, "npm", "run", "build:example")
}

// E2e holds the end-to-end targets: the example Laravel app in headless Chromium.
type E2e mg.Namespace

// Test serves the example app with bin/frankenphp and drives two Chromium users through it with playwright-core.
func (E2e) Test() error {
	mg.SerialDeps(Ext.Build, System.Node)
	if !exists(filepath.Join(root(), "test", "e2e")) {
		fmt.Println("e2e: no test/e2e yet")
		return nil
	}
	return run(root(), []string{"POGO_FRANKENPHP=" + bin("frankenphp")}, "node", "--test", "--test-concurrency=1", "test/e2e/")
}

// Bench holds the performance targets (the project's load tool).
type Bench mg.Namespace

// Run runs every load scenario and regenerates docs/benchmarks.md.
func (Bench) Run() error {
	mg.SerialDeps(Go.Server, Ext.Build)
	if !exists(filepath.Join(root(), "bench")) {
		return fmt.Errorf("bench/ does not exist yet")
	}
	return run(root(), nil, "go", "run", "./bench", "-out", "docs/benchmarks.md")
}

// Micro runs the Go micro-benchmarks of the hub (fan-out, encoding) with allocation counts.
func (Bench) Micro() error {
	return run(root(), nil, "go", "test", "-run=^$", "-bench=.", "-benchmem", "-count=1", "./go/hub/...")
}

// Docs holds documentation targets.
type Docs mg.Namespace

// Check verifies that every document linked from README.md exists.
func (Docs) Check() error {
	return checkDocLinks(filepath.Join(root(), "README.md"))
}

// Demo holds the targets that run the product for a person to look at.
type Demo mg.Namespace

// Serve starts bin/frankenphp on the example app (http://localhost:8080 unless POGO_PORT is set) with a queue worker beside it; Ctrl-C stops both.
func (Demo) Serve() error {
	mg.SerialDeps(System.Composer)
	dir := filepath.Join(root(), "examples", "laravel-app")
	laravel := exists(filepath.Join(dir, "Caddyfile"))
	if !laravel {
		dir = filepath.Join(root(), "examples", "quickstart")
	}
	state := filepath.Join(cacheDir(), "caddy-state")
	_ = os.MkdirAll(state, 0o755)
	port := envOr("POGO_PORT", "8080")
	env := []string{
		"XDG_CONFIG_HOME=" + state, "XDG_DATA_HOME=" + state,
		"WS_APP_SECRET=" + envOr("WS_APP_SECRET", "dev-secret-change-me"),
		"POGO_WEBHOOK_SECRET=" + envOr("POGO_WEBHOOK_SECRET", "dev-webhook-secret-change-me"),
		"POGO_PORT=" + port, "POGO_API_PORT=" + port,
	}
	if laravel {
		stop, err := startQueueWorker(dir, env)
		if err != nil {
			return err
		}
		defer stop()
	}
	fmt.Printf("\n==> Pogo WebSocket demo: open http://localhost:%s (serving %s)\n\n", port, dir)
	return run(dir, env, bin("frankenphp"), "run", "--config", "Caddyfile", "--adapter", "caddyfile")
}

// startQueueWorker prepares the example's SQLite queue database and runs
// `php artisan queue:work` (the queued broadcasts' HTTP API path) until stop is called.
func startQueueWorker(dir string, env []string) (stop func(), err error) {
	db := filepath.Join(dir, "storage", "app", "database.sqlite")
	if !exists(db) {
		if err := os.WriteFile(db, nil, 0o644); err != nil {
			return nil, fmt.Errorf("creating the queue database: %w", err)
		}
	}
	if err := run(dir, env, "php", "artisan", "migrate", "--force"); err != nil {
		return nil, fmt.Errorf("migrating the queue database: %w", err)
	}
	cmd := exec.Command("php", "artisan", "queue:work", "--sleep=1")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting php artisan queue:work: %w", err)
	}
	return func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}, nil
}

// envOr returns the environment variable k, or def when it is unset.
func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
