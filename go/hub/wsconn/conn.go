package wsconn

import (
	"bufio"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// connState is the lifecycle of the write side.
type connState uint8

const (
	stateOpen    connState = iota // accepting frames
	stateClosing                  // close requested; the writer will send it
	stateClosed                   // close frame sent or connection aborted
)

// closeRequest describes how the writer ends the connection.
type closeRequest struct {
	code       pusher.Code
	reason     string
	errorEvent bool // send pusher:error {code, reason} before the close frame
	discard    bool // drop queued frames instead of flushing them
}

// conn is one WebSocket connection. The write side (WriteFrame, Close,
// the writer goroutine) is guarded by mu; the read side is owned by the
// read goroutine.
type conn struct {
	nc    net.Conn
	raw   syscall.RawConn // plain socket (rawSocket): flusher pool and parking; nil: own goroutines
	opts  *Options
	appID string // "" for refused connections

	mu       sync.Mutex
	queue    [][]byte // frames waiting for the writer
	spare    [][]byte // the writer's previous batch, reused as the next queue
	queued   int      // bytes in queue
	flushing bool     // a writer goroutine owns the socket's write side and done
	state    connState
	req      closeRequest
	done     chan struct{} // closed once the write side is finished

	// Statistics for tests and benchmarks.
	batches atomic.Int64 // vectored writes
	frames  atomic.Int64 // frames written

	// Read side, owned by the read goroutine.
	src    source
	br     *bufio.Reader // borrowed from readerPool while a frame is being read
	maxMsg int
	rd     readSide // liveness and parking state (park.go)
}

// newConn wraps an upgraded socket. buffered holds bytes the HTTP server
// read past the handshake; they are consumed before the socket.
func newConn(nc net.Conn, opts *Options, appID string, maxMsg int, buffered []byte) *conn {
	return &conn{
		nc:     nc,
		raw:    rawSocket(nc),
		opts:   opts,
		appID:  appID,
		done:   make(chan struct{}),
		src:    source{nc: nc, pending: buffered},
		maxMsg: maxMsg,
	}
}

// WriteFrame queues frame for the client (see hub.Conn). It returns
// hub.ErrClosed after Close, and hub.ErrSlowConsumer (closing the connection
// with 4101) when the queue would exceed Options.WriteQueueBytes.
func (c *conn) WriteFrame(frame []byte) error {
	c.mu.Lock()
	if c.state != stateOpen {
		c.mu.Unlock()
		return hub.ErrClosed
	}
	if c.queued+len(frame) > c.opts.WriteQueueBytes {
		start := c.requestCloseLocked(closeRequest{
			code: pusher.CodeSlowConsumer, reason: "slow consumer: write queue full",
			errorEvent: true, discard: true,
		})
		c.mu.Unlock()
		c.startWriter(start)
		return hub.ErrSlowConsumer
	}
	c.queue = append(c.queue, frame)
	c.queued += len(frame)
	start := !c.flushing
	c.flushing = true
	c.mu.Unlock()
	switch {
	case !start:
	case c.raw != nil:
		flushers.push(c)
	default:
		go c.writeLoop()
	}
	return nil
}

// Close flushes queued frames, then sends a close frame with code and
// reason (see hub.Conn). It returns at once; the teardown runs in the
// background and is bounded by WriteWait and CloseGrace. Idempotent: only
// the first Close (or transport-initiated close) counts.
func (c *conn) Close(code pusher.Code, reason string) {
	c.closeWith(closeRequest{code: code, reason: reason})
}

// closeWith requests the end of the connection; later requests are ignored.
func (c *conn) closeWith(r closeRequest) {
	c.mu.Lock()
	start := c.requestCloseLocked(r)
	c.mu.Unlock()
	c.startWriter(start)
}

// requestCloseLocked records r if the connection is open and reports
// whether the caller must start the writer goroutine.
func (c *conn) requestCloseLocked(r closeRequest) bool {
	if c.state != stateOpen {
		return false
	}
	c.state = stateClosing
	c.req = r
	if r.discard {
		c.dropQueueLocked()
	}
	start := !c.flushing
	c.flushing = true
	return start
}

func (c *conn) startWriter(start bool) {
	if start {
		go c.writeLoop()
	}
}

// closing reports whether a close was requested or done.
func (c *conn) closing() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state != stateOpen
}

// dropQueueLocked forgets every queued frame.
func (c *conn) dropQueueLocked() {
	clear(c.queue)
	c.queue = c.queue[:0]
	c.queued = 0
}

// writeLoop is the writer goroutine: it writes batches until the queue is
// empty, then either exits (still open) or sends the requested close.
// It owns c.done while c.flushing is true.
func (c *conn) writeLoop() {
	for {
		c.mu.Lock()
		if c.state == stateClosed { // aborted by the read side
			c.mu.Unlock()
			close(c.done)
			return
		}
		if len(c.queue) == 0 {
			if c.state == stateClosing {
				c.state = stateClosed
				r := c.req
				c.mu.Unlock()
				c.finishClose(r)
				return
			}
			c.flushing = false
			c.mu.Unlock()
			return
		}
		batch := c.takeQueueLocked()
		c.mu.Unlock()

		err := c.writeBatch(batch)
		c.recycle(batch)
		if err != nil {
			c.fail(err)
			return
		}
	}
}

// takeQueueLocked hands the queued frames to the writer that owns the
// write side and starts an empty queue on the spare slice; callers hold mu.
func (c *conn) takeQueueLocked() [][]byte {
	batch := c.queue
	c.queue, c.spare = c.spare[:0], nil
	c.queued = 0
	return batch
}

// recycle clears a written batch and keeps small ones as the next queue.
func (c *conn) recycle(batch [][]byte) {
	clear(batch)
	if cap(batch) <= 64 { // keep small slices only: idle conns stay small
		c.mu.Lock()
		if c.spare == nil {
			c.spare = batch[:0]
		}
		c.mu.Unlock()
	}
}

// writeBatch writes frames in one vectored write with a WriteWait deadline.
func (c *conn) writeBatch(frames [][]byte) error {
	c.batches.Add(1)
	c.frames.Add(int64(len(frames)))
	return c.writeBlocking(frames)
}

// writeBlocking writes frames with a WriteWait deadline, without counting
// them (writeRest finishes a batch the flusher already counted).
func (c *conn) writeBlocking(frames [][]byte) error {
	_ = c.nc.SetWriteDeadline(time.Now().Add(c.opts.WriteWait))
	bufs := net.Buffers(frames)
	_, err := bufs.WriteTo(c.nc)
	return err
}

// finishClose sends the optional pusher:error and the close frame, then
// half-closes the socket so the client sees EOF after the close frame while
// the read side can still drain what the client sends.
func (c *conn) finishClose(r closeRequest) {
	frames := make([][]byte, 0, 2)
	if r.errorEvent {
		frames = append(frames, errorFrame(r.code, r.reason))
	}
	frames = append(frames, closeFrame(r.code, r.reason))
	err := c.writeBatch(frames)
	if err == nil {
		err = halfClose(c.nc)
	}
	if err != nil {
		_ = c.nc.Close()
	}
	c.wakeReader() // a parked reader, or one blocked on a long liveness deadline
	close(c.done)
}

// fail ends the connection after a write error.
func (c *conn) fail(err error) {
	c.mu.Lock()
	aborted := c.state == stateClosed // the read side already gave up
	c.state = stateClosed
	c.dropQueueLocked()
	c.mu.Unlock()
	if !aborted && c.appID != "" {
		c.opts.Metrics.Dropped(c.appID, DropWriteFailed)
		c.opts.Logger.Debug("wsconn: write failed, connection dropped", "app", c.appID, "err", err)
	}
	_ = c.nc.Close()
	c.wakeReader() // a parked reader would not see the close
	close(c.done)
}

// abort tears the connection down without a close frame (the client is
// gone). Safe to call at any time from the read side.
func (c *conn) abort() {
	c.mu.Lock()
	if c.state == stateClosed {
		c.mu.Unlock()
		return
	}
	c.state = stateClosed
	c.dropQueueLocked()
	owner := !c.flushing
	c.flushing = true
	c.mu.Unlock()
	c.detach() // out of the poller before the descriptor can be reused
	_ = c.nc.Close()
	c.wake() // a parked reader runs finish
	if owner {
		close(c.done)
	}
}

// halfClose shuts the write side of the socket when the connection
// supports it (TCP, TLS), else closes it.
func halfClose(nc net.Conn) error {
	if cw, ok := nc.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nc.Close()
}

// source reads the bytes buffered during the handshake, then the socket.
type source struct {
	nc      net.Conn
	pending []byte
}

func (s *source) Read(p []byte) (int, error) {
	if len(s.pending) > 0 {
		n := copy(p, s.pending)
		s.pending = s.pending[n:]
		if len(s.pending) == 0 {
			s.pending = nil
		}
		return n, nil
	}
	return s.nc.Read(p)
}
