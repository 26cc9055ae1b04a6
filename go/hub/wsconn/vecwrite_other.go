//go:build !linux

package wsconn

import (
	"net"
	"syscall"
)

// vecWriter is unused off Linux: every connection has its own writer.
type vecWriter struct{}

func newVecWriter() *vecWriter { return &vecWriter{} }

// rawSocket reports that the fast paths (flusher pool, parking) are
// unavailable here.
func rawSocket(net.Conn) syscall.RawConn { return nil }

func (w *vecWriter) write(syscall.RawConn, [][]byte) ([][]byte, error) {
	panic("wsconn: vectored fast path used off Linux")
}
