//go:build linux

package wsconn

import (
	"net"
	"syscall"
	"unsafe"
)

// maxIovecs is the kernel's IOV_MAX: the most buffers one writev takes.
const maxIovecs = 1024

// vecWriter does non-blocking writev calls on a raw socket. Each flusher
// owns one; its callback is bound once, so a write allocates nothing.
type vecWriter struct {
	iov   []syscall.Iovec
	n     int
	errno syscall.Errno
	call  func(fd uintptr) bool
}

func newVecWriter() *vecWriter {
	w := &vecWriter{iov: make([]syscall.Iovec, 0, 64)}
	w.call = w.writev
	return w
}

// rawSocket returns nc's raw socket when nc is a plain TCP or Unix socket,
// which buffers nothing above the kernel, else nil. Such a connection
// writes through the flusher pool and parks its reader; others (TLS,
// wrappers) keep goroutines of their own.
func rawSocket(nc net.Conn) syscall.RawConn {
	var sc syscall.Conn
	switch t := nc.(type) {
	case *net.TCPConn:
		sc = t
	case *net.UnixConn:
		sc = t
	default:
		return nil
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return nil
	}
	return rc
}

// writev is the RawConn.Write callback: one attempt, never waits.
func (w *vecWriter) writev(fd uintptr) bool {
	for {
		r, _, e := syscall.Syscall(syscall.SYS_WRITEV, fd, uintptr(unsafe.Pointer(&w.iov[0])), uintptr(len(w.iov)))
		if e == syscall.EINTR {
			continue
		}
		w.n, w.errno = int(r), e
		if e != 0 {
			w.n = 0
		}
		return true
	}
}

// write writes as much of frames as the socket takes now. It returns the
// frames (the first possibly shortened) that are left, in a new slice, or
// an error when the socket failed. frames may be reused afterwards.
func (w *vecWriter) write(rc syscall.RawConn, frames [][]byte) ([][]byte, error) {
	for len(frames) > 0 {
		chunk := frames[:min(len(frames), maxIovecs)]
		want := 0
		w.iov = w.iov[:0]
		for _, f := range chunk {
			v := syscall.Iovec{Base: &f[0]}
			v.SetLen(len(f))
			w.iov = append(w.iov, v)
			want += len(f)
		}
		err := rc.Write(w.call)
		clear(w.iov) // drop the pointers into the frames
		if err != nil {
			return nil, err
		}
		if w.errno != 0 && w.errno != syscall.EAGAIN {
			return nil, w.errno
		}
		if w.n == want {
			frames = frames[len(chunk):]
			continue
		}
		return leftover(frames, w.n), nil
	}
	return nil, nil
}

// leftover copies what remains of frames after n bytes were written.
func leftover(frames [][]byte, n int) [][]byte {
	for n > 0 && n >= len(frames[0]) {
		n -= len(frames[0])
		frames = frames[1:]
	}
	rest := make([][]byte, len(frames))
	copy(rest, frames)
	rest[0] = rest[0][n:]
	return rest
}
