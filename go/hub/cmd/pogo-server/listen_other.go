//go:build !linux || mips || mipsle || mips64 || mips64le

package main

import (
	"errors"
	"syscall"
)

// reusePortControl is only implemented on Linux.
func reusePortControl(_, _ string, _ syscall.RawConn) error {
	return errors.New("-reuse-port is only supported on Linux (not MIPS)")
}
