//go:build !linux

package wsconn

import (
	"syscall"
)

// readOne is never called (nothing parks here); it reports the poller
// missing, which turns parking off for the connection.
func (c *conn) readOne(uintptr) bool {
	c.rd.errno, c.rd.failed = syscall.EAGAIN, true
	return true
}

// detach has nothing to undo.
func (c *conn) detach() {}
