//go:build !linux

package wsconn

import (
	"net"
	"syscall"
)

// parkable reports that connections cannot park on this system: every
// connection keeps a read goroutine blocked in Read.
func parkable(net.Conn) bool { return false }

// parkableRawConn is never needed here.
func parkableRawConn(net.Conn) syscall.RawConn { return nil }

// readOne is never called (nothing parks here); it reports the poller
// missing, which turns parking off for the connection.
func (c *conn) readOne(uintptr) bool {
	c.rd.errno, c.rd.failed = syscall.EAGAIN, true
	return true
}

// detach has nothing to undo.
func (c *conn) detach() {}
