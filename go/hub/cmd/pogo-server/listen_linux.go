//go:build linux && !mips && !mipsle && !mips64 && !mips64le

package main

import (
	"syscall"
)

// soReusePort is SO_REUSEPORT on Linux (not in package syscall; MIPS uses
// another value and takes listen_other.go).
const soReusePort = 0xf

// reusePortControl sets SO_REUSEPORT on the listening socket, so a new
// pogo-server can listen on the port of one that is still draining (Linux
// only lets processes of the same user share the port).
func reusePortControl(_, _ string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, soReusePort, 1)
	})
	if err != nil {
		return err
	}
	return serr
}
