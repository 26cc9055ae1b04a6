//go:build mage

// Pogo WebSocket: a Pusher-compatible WebSocket server inside FrankenPHP.
//
// Every target installs what it needs through `setup` (idempotent), so any
// target works on a fresh Debian bookworm machine. Start with:
//
//	go tool mage run    # build everything and serve the example app on http://localhost:8080
//	go tool mage test   # every test of every language
package main

import (
	"github.com/magefile/mage/mg"
)

// Default is what `go tool mage` runs without a target.
var Default = Test

// Setup installs Debian packages, builds the ZTS libphp into the cache (about 10 minutes once), and installs npm and Composer dependencies.
func Setup() error {
	mg.SerialDeps(System.Packages, System.Node, System.Composer)
	return nil
}

// Build builds bin/frankenphp: Caddy + FrankenPHP v1.12.2 + the pogo_websocket module + the PHP extension.
func Build() error {
	mg.SerialDeps(Setup, Ext.Build)
	return nil
}

// Run builds everything and serves the example Laravel app with bin/frankenphp on http://localhost:8080 (in-memory broker).
func Run() error {
	mg.SerialDeps(Build, Demo.Serve)
	return nil
}

// Test runs every test: Go (race, fuzz smoke), JavaScript, PHP, the native extension, the protocol suite against bin/frankenphp, the Redis cluster suite, the browser end-to-end test, the hardening suite and a one-minute soak.
func Test() error {
	mg.SerialDeps(Setup, Go.Test, Go.Fuzz, JS.Test, PHP.Test, Ext.Test, JS.Module, Cluster.Test, E2e.Test, Hardening.Test, Hardening.SoakShort)
	return nil
}

// Check runs the fast static checks: gofmt, go vet and the import rules (hub free of cgo and Caddy).
func Check() error {
	mg.SerialDeps(Go.Fmt, Go.Vet, Go.Imports)
	return nil
}
