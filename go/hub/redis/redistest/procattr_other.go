//go:build !linux

package redistest

import "os/exec"

// dieWithParent is a no-op outside Linux.
func dieWithParent(*exec.Cmd) {}
