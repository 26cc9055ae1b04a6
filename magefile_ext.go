//go:build mage

package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/magefile/mage/mg"
)

// Ext holds the targets of the FrankenPHP binary and the native PHP extension.
type Ext mg.Namespace

// Build links bin/frankenphp against the cached ZTS libphp (about 2 minutes clean, seconds when cached).
func (Ext) Build() error {
	mg.Deps(System.Packages)
	env, err := cgoEnv()
	if err != nil {
		return err
	}
	if err := run(root(), env, "go", "build", "-tags="+buildTags, "-o", bin("frankenphp"), "./go/module/cmd/frankenphp"); err != nil {
		return fmt.Errorf("building bin/frankenphp failed: %w", err)
	}
	mods, err := output(bin("frankenphp"), "list-modules")
	if err != nil {
		return fmt.Errorf("bin/frankenphp list-modules: %w", err)
	}
	if !strings.Contains(mods, "http.handlers.pogo_websocket") {
		return fmt.Errorf("bin/frankenphp does not list http.handlers.pogo_websocket")
	}
	fmt.Println("built bin/frankenphp (http.handlers.pogo_websocket present)")
	return nil
}

// Vet runs go vet on the cgo extension and the module's PHP bridge against the ZTS headers.
func (Ext) Vet() error {
	env, err := cgoEnv()
	if err != nil {
		return err
	}
	return run(root(), env, "go", "vet", "-tags="+buildTags, "./go/phpext/...", "./go/module/...")
}

// Test runs the extension and auth-worker tests through the real bin/frankenphp with pusher-js clients.
func (Ext) Test() error {
	mg.SerialDeps(Ext.Build, System.Node)
	if !exists("test/ext") {
		return nil
	}
	return run(root(), []string{"POGO_FRANKENPHP=" + bin("frankenphp")}, "node", "--test", "--test-concurrency=1", "test/ext/")
}

// Env prints the cgo environment that links against the ZTS libphp (eval it to use go build by hand).
func (Ext) Env() error {
	env, err := cgoEnv()
	if err != nil {
		return err
	}
	for _, e := range env {
		k, v, _ := strings.Cut(e, "=")
		fmt.Fprintf(os.Stdout, "export %s=%q\n", k, v)
	}
	return nil
}
