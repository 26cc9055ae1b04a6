//go:build mage

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/magefile/mage/mg"
)

// Go holds the targets of the Go modules (hub, module, phpext).
type Go mg.Namespace

// Test runs the Go unit and integration tests with the race detector (the hub and the module need no PHP).
func (Go) Test() error {
	mg.Deps(Go.Imports)
	// The race detector needs the cgo toolchain; the code under test stays cgo-free
	// (Go.Imports proves it), and the module's PHP bridge is excluded by -tags nopogophp.
	return run(root(), []string{"CGO_ENABLED=1"}, "go", "test", "-race", "-count=1", "-timeout=15m",
		"-tags=nopogophp", "./go/hub/...", "./go/module/...", "./go/phpext/...", "./tools/...", "./bench/...", "./scripts/...")
}

// Fuzz runs every fuzz target of the hub for a short bounded time (POGO_FUZZTIME, default 10s each).
func (Go) Fuzz() error {
	d := os.Getenv("POGO_FUZZTIME")
	if d == "" {
		d = "10s"
	}
	return fuzzAll(d)
}

// FuzzLong runs every fuzz target for 5 minutes each.
func (Go) FuzzLong() error { return fuzzAll("5m") }

// fuzzAll finds every Fuzz* function of the hub and module packages and runs each for d.
func fuzzAll(d string) error {
	pkgs, err := output("go", "list", "-tags=nopogophp", "./go/hub/...", "./go/module/...")
	if err != nil {
		return fmt.Errorf("go list: %w", err)
	}
	ran := 0
	for _, p := range strings.Fields(pkgs) {
		names, err := output("go", "test", "-tags=nopogophp", "-list", "^Fuzz", p)
		if err != nil {
			return fmt.Errorf("listing fuzz targets of %s: %w", p, err)
		}
		for _, n := range strings.Split(names, "\n") {
			n = strings.TrimSpace(n)
			if !strings.HasPrefix(n, "Fuzz") {
				continue
			}
			ran++
			if err := fuzzOne(p, n, d); err != nil {
				return err
			}
		}
	}
	fmt.Printf("fuzz: %d targets ran for %s each\n", ran, d)
	return nil
}

// Vet runs go vet on every module (the PHP bridge excluded: Ext.Build vets it with cgo).
func (Go) Vet() error {
	return run(root(), []string{"CGO_ENABLED=0"}, "go", "vet", "-tags=nopogophp", "./go/hub/...", "./go/module/...",
		"./tools/...", "./bench/...", "./scripts/...")
}

// Fmt fails when a Go file is not gofmt-formatted.
func (Go) Fmt() error {
	mage, err := filepath.Glob(filepath.Join(root(), "magefile*.go"))
	if err != nil {
		return err
	}
	out, err := output("gofmt", append([]string{"-l", "go", "bench", "tools", "scripts"}, mage...)...)
	if err != nil {
		return err
	}
	if out != "" {
		return fmt.Errorf("not gofmt-formatted:\n%s", out)
	}
	return nil
}

// Imports enforces the import rules: the hub uses neither cgo, Caddy nor FrankenPHP.
func (Go) Imports() error {
	out, err := output("go", "list", "-deps", "-f", "{{.ImportPath}} {{if .CgoFiles}}CGO{{end}}", "./go/hub/...")
	if err != nil {
		return fmt.Errorf("go list: %w", err)
	}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		p := f[0]
		bad := strings.Contains(p, "caddyserver/caddy") || strings.Contains(p, "dunglas/frankenphp") ||
			strings.Contains(p, "go/phpext") || strings.Contains(p, "go/module")
		if bad || (len(f) > 1 && strings.HasPrefix(p, "github.com/y-l-g/")) {
			return fmt.Errorf("import rule broken: go/hub depends on %s", line)
		}
	}
	fmt.Println("imports: go/hub is free of cgo, Caddy and FrankenPHP")
	return nil
}

// Server builds bin/pogo-server, the standalone hub server (no Caddy, no PHP) used by the protocol suite and the load tool.
func (Go) Server() error {
	return run(root(), []string{"CGO_ENABLED=0"}, "go", "build", "-o", bin("pogo-server"), "./go/hub/cmd/pogo-server")
}

// Caddy builds bin/caddy-pogo: plain Caddy with the pogo_websocket module and no PHP.
func (Go) Caddy() error {
	return run(root(), []string{"CGO_ENABLED=0"}, "go", "build", "-tags=nopogophp", "-o", bin("caddy-pogo"), "./go/module/cmd/caddy-pogo")
}

// fuzzOne runs one fuzz target for d. Go's fuzzer can end a run with
// "context deadline exceeded" when fuzztime expires while a worker is still
// busy with an input (no failing input found, nothing written to testdata):
// that is reported as a warning, not a failure. A real failure ("Failing
// input written to ...") fails.
func fuzzOne(pkg, name, d string) error {
	cmd := exec.Command("go", "test", "-tags=nopogophp", "-run=^$", "-fuzz=^"+name+"$", "-fuzztime="+d, pkg)
	cmd.Dir = root()
	out, err := cmd.CombinedOutput()
	os.Stdout.Write(out)
	if err == nil {
		return nil
	}
	text := string(out)
	if strings.Contains(text, "context deadline exceeded") && !strings.Contains(text, "Failing input written") {
		fmt.Printf("fuzz: %s stopped at its time limit while busy with an input (no failure found)\n", name)
		return nil
	}
	return fmt.Errorf("fuzz %s in %s: %w", name, pkg, err)
}
