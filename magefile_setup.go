//go:build mage

package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/magefile/mage/mg"
)

// System installs what the machine needs (each target is idempotent).
type System mg.Namespace

// Packages installs the Debian packages and builds the ZTS libphp into the cache (scripts/setup.sh).
func (System) Packages() error {
	return run(root(), []string{"POGO_CACHE=" + cacheDir()}, "bash", "scripts/setup.sh")
}

// Node installs the npm workspace (pusher-js, laravel-echo, the pusher SDK, playwright-core, the Echo preset).
func (System) Node() error {
	if _, err := output("node", "--version"); err != nil {
		return fmt.Errorf("node is missing: install Node.js 20 or newer")
	}
	stamp := filepath.Join(root(), "node_modules", ".package-lock.json")
	if newer(stamp, filepath.Join(root(), "package-lock.json")) {
		fmt.Println("npm dependencies up to date")
		return nil
	}
	if err := run(root(), nil, "npm", "ci", "--no-audit", "--no-fund"); err != nil {
		return fmt.Errorf("npm ci failed (is the npm registry reachable?): %w", err)
	}
	return nil
}

// Composer generates the autoloaders of the PHP package and the example app offline (Packagist is not needed: they fall back to Debian's Laravel).
func (System) Composer() error {
	for _, rel := range []string{"php/pogo-websocket", "examples/laravel-app"} {
		dir := filepath.Join(root(), rel)
		if !exists(filepath.Join(dir, "composer.json")) {
			continue
		}
		if err := run(dir, []string{"COMPOSER_ALLOW_SUPERUSER=1"}, "composer", "dump-autoload", "--quiet"); err != nil {
			return fmt.Errorf("composer dump-autoload in %s: %w", rel, err)
		}
	}
	return nil
}

// newer reports whether a exists and is at least as recent as b.
func newer(a, b string) bool {
	sa, err := os.Stat(a)
	if err != nil {
		return false
	}
	sb, err := os.Stat(b)
	if err != nil {
		return true
	}
	return !sa.ModTime().Before(sb.ModTime())
}
