package main

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// sub is one subscribed connection held by a reader: its socket, the
// bytes of an incomplete frame, the channel it listens to and its
// sequence accounting.
type sub struct {
	fd        int
	ch        int
	carry     []byte
	track     seqTrack
	closed    bool
	closeCode int
}

// reader is an epoll loop over many subscribed sockets. One goroutine
// reads every ready socket into a shared buffer and parses the frames in
// place, so receiving a message costs no allocation and no goroutine
// wake-up of its own. Counters are exact once Stop has returned.
type reader struct {
	epoch time.Time
	batch time.Duration // pause after each wait so reads gather more frames
	epfd  int
	mu    sync.Mutex
	subs  []*sub // indexed by fd
	all   []*sub
	buf   []byte
	hist  Hist

	delivered atomic.Int64 // benchmark messages received
	closedN   atomic.Int64 // sockets closed by the server
	other     atomic.Int64 // other text messages (pings, internal events)
	stop      atomic.Bool
	done      chan struct{}
}

// newReader creates the epoll instance and starts the loop; epoch is the
// zero of the timestamps inside benchmark messages. With batch > 0 the
// loop pauses that long after each non-empty wait, so that one read
// returns many frames (cheaper per message, up to batch more latency).
func newReader(epoch time.Time, batch time.Duration) (*reader, error) {
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("epoll_create1: %w", err)
	}
	r := &reader{epoch: epoch, batch: batch, epfd: epfd, buf: make([]byte, maxFrame+256<<10), done: make(chan struct{})}
	go r.loop()
	return r, nil
}

// add takes over a connection after its handshake: the socket is
// duplicated (close-on-exec), the Go connection closed, and the copy
// watched by epoll. Bytes already read past the handshake are processed
// with the first read.
func (r *reader) add(w *wsConn, ch int) error {
	fd, err := detach(w)
	if err != nil {
		return err
	}
	s := &sub{fd: fd, ch: ch, carry: append(make([]byte, 0, 512), w.rest...)}
	r.mu.Lock()
	defer r.mu.Unlock()
	for len(r.subs) <= fd {
		r.subs = append(r.subs, nil)
	}
	r.subs[fd] = s
	r.all = append(r.all, s)
	ev := syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLRDHUP, Fd: int32(fd)}
	if err := syscall.EpollCtl(r.epfd, syscall.EPOLL_CTL_ADD, fd, &ev); err != nil {
		return fmt.Errorf("epoll_ctl: %w", err)
	}
	if len(s.carry) > 0 {
		left := r.consume(s, s.carry, r.now())
		s.carry = append(s.carry[:0], left...) // overlapping copy is safe
	}
	return nil
}

// detach returns a non-blocking, close-on-exec duplicate of w's socket
// and closes w (the socket itself stays open through the duplicate).
func detach(w *wsConn) (int, error) {
	sc, ok := w.Conn.(syscall.Conn)
	if !ok {
		return -1, errors.New("connection has no file descriptor")
	}
	rc, err := sc.SyscallConn()
	if err != nil {
		return -1, err
	}
	fd := -1
	var dupErr error
	if err := rc.Control(func(orig uintptr) {
		r1, _, e := syscall.Syscall(syscall.SYS_FCNTL, orig, syscall.F_DUPFD_CLOEXEC, 0)
		if e != 0 {
			dupErr = e
			return
		}
		fd = int(r1)
	}); err != nil {
		return -1, err
	}
	if dupErr != nil {
		return -1, fmt.Errorf("dup: %w", dupErr)
	}
	_ = w.Conn.Close()
	if err := syscall.SetNonblock(fd, true); err != nil {
		_ = syscall.Close(fd)
		return -1, err
	}
	return fd, nil
}

// now is the time since the epoch in ns.
func (r *reader) now() int64 { return int64(time.Since(r.epoch)) }

// loop waits for readable sockets until Stop.
func (r *reader) loop() {
	defer close(r.done)
	events := make([]syscall.EpollEvent, 256)
	for !r.stop.Load() {
		n, err := syscall.EpollWait(r.epfd, events, 50)
		if err != nil {
			if errors.Is(err, syscall.EINTR) {
				continue
			}
			return
		}
		r.mu.Lock()
		for _, ev := range events[:n] {
			r.readOne(r.subs[ev.Fd])
		}
		r.mu.Unlock()
		if r.batch > 0 && n > 0 {
			time.Sleep(r.batch)
		}
	}
}

// readOne reads what one socket has and parses every complete frame.
func (r *reader) readOne(s *sub) {
	if s == nil || s.closed {
		return
	}
	c := copy(r.buf, s.carry)
	n, err := syscall.Read(s.fd, r.buf[c:])
	if n <= 0 {
		if errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EINTR) {
			return
		}
		r.markClosed(s, 1006)
		return
	}
	left := r.consume(s, r.buf[:c+n], r.now())
	s.carry = append(s.carry[:0], left...)
}

// consume handles the complete frames of data and returns the rest.
func (r *reader) consume(s *sub, data []byte, now int64) []byte {
	var delivered int64
	for len(data) > 0 && !s.closed {
		op, payload, n, ok, err := parseFrame(data)
		if err != nil {
			r.markClosed(s, 1002)
			return nil
		}
		if !ok {
			break
		}
		data = data[n:]
		switch op {
		case opText:
			if seq, ts, ok := benchFields(payload); ok {
				s.track.observe(seq)
				r.hist.Record(now - ts)
				delivered++
			} else {
				r.other.Add(1)
				if isPusherPing(payload) {
					_, _ = syscall.Write(s.fd, pusherPongFrame)
				}
			}
		case opPing:
			_, _ = syscall.Write(s.fd, appendClientFrame(nil, opPong, payload))
		case opClose:
			r.markClosed(s, closeCode(payload))
		}
	}
	r.delivered.Add(delivered)
	return data
}

// pusherPongFrame answers a server pusher:ping.
var pusherPongFrame = appendClientFrame(nil, opText, []byte(`{"event":"pusher:pong","data":{}}`))

// markClosed records that the server closed s.
func (r *reader) markClosed(s *sub, code int) {
	s.closed = true
	s.closeCode = code
	_ = syscall.EpollCtl(r.epfd, syscall.EPOLL_CTL_DEL, s.fd, nil)
	r.closedN.Add(1)
}

// Stop ends the loop; afterwards hist and every sub may be read.
func (r *reader) Stop() {
	if r.stop.CompareAndSwap(false, true) {
		<-r.done
	}
}

// Close stops the loop and closes every socket and the epoll instance.
func (r *reader) Close() {
	r.Stop()
	for _, s := range r.all {
		_ = syscall.Close(s.fd)
	}
	r.all, r.subs = nil, nil
	_ = syscall.Close(r.epfd)
}
