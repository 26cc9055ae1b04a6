//go:build mage

package main

import (
	"github.com/magefile/mage/mg"
)

// Hardening holds the abuse, fault and leak targets (docs/reliability.md).
type Hardening mg.Namespace

// Test runs the hostile-input, fault and leak suite against the real pogo-server and bin/frankenphp.
func (Hardening) Test() error {
	mg.SerialDeps(System.Node, Go.Server, Ext.Build)
	return run(root(), []string{"POGO_SERVER_BIN=" + bin("pogo-server"), "POGO_FRANKENPHP=" + bin("frankenphp")},
		"node", "--test", "--test-concurrency=1", "test/hardening/")
}

// Soak runs the 15-minute soak (churn, publishes, presence) and fails on a leak, a loss or a duplicate.
func (Hardening) Soak() error {
	mg.Deps(Go.Server)
	return run(root(), nil, "go", "run", "./tools/soak", "-duration", "15m", "-bin", bin("pogo-server"))
}

// SoakShort is the one-minute soak that `test` runs.
func (Hardening) SoakShort() error {
	mg.Deps(Go.Server)
	return run(root(), nil, "go", "run", "./tools/soak", "-duration", "60s", "-steady", "50", "-churn", "20",
		"-publish", "50", "-presence", "5", "-bin", bin("pogo-server"))
}
