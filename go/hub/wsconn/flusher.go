package wsconn

import (
	"runtime"
	"sync"
)

// The flusher pool writes queued frames for every connection whose socket
// accepts non-blocking vectored writes (TCP on Linux). Instead of a writer
// goroutine per busy connection, a fixed set of flusher goroutines (one per
// GOMAXPROCS) takes connections from one FIFO of "dirty" connections and
// writes each one's whole queue with a single non-blocking writev, without
// a deadline (nothing can block). Under load the FIFO is long, so by the
// time a flusher reaches a connection several frames have piled up and
// leave in one system call: coalescing grows with load and costs nothing
// when idle (the first frame after a quiet spell is written at once).
//
// A write the kernel cannot take whole (the client's socket buffer is full)
// hands that connection to a goroutine of its own that writes the rest with
// the Options.WriteWait deadline, as the fallback path does for sockets that
// do not support the fast path (TLS, pipes, other systems). Ordering is
// kept: a connection is owned by at most one of the FIFO, a flusher or its
// own goroutine at any time (conn.flushing).

// flushChunk is the most connections a flusher takes from the FIFO at once.
const flushChunk = 256

// flushQueue is the FIFO of connections waiting for a flusher.
type flushQueue struct {
	mu      sync.Mutex
	cond    sync.Cond
	pending []*conn
	idle    int // flushers waiting on cond
	size    int // flusher goroutines started
	started bool
}

// wantMoreLocked reports whether an idle flusher should be woken: when no
// flusher is working, or when the backlog is more than the working ones
// take in their next round. Waking flushers lazily keeps the FIFO long
// enough to coalesce (every extra flusher shortens the time frames have to
// pile up), while a real backlog still gets every core.
func (q *flushQueue) wantMoreLocked() bool {
	busy := q.size - q.idle
	return q.idle > 0 && (busy == 0 || len(q.pending) > busy*flushChunk)
}

// flushers is the process-wide pool.
var flushers = newFlushQueue()

func newFlushQueue() *flushQueue {
	q := &flushQueue{}
	q.cond.L = &q.mu
	return q
}

// push queues c (which the caller marked flushing) for a flusher.
func (q *flushQueue) push(c *conn) {
	q.mu.Lock()
	if !q.started {
		q.started = true
		q.size = runtime.GOMAXPROCS(0)
		for range q.size {
			go q.run()
		}
	}
	q.pending = append(q.pending, c)
	wake := q.wantMoreLocked()
	q.mu.Unlock()
	if wake {
		q.cond.Signal()
	}
}

// take waits for work and moves up to flushChunk connections (a fair share
// when the FIFO is long) into dst.
func (q *flushQueue) take(dst []*conn) []*conn {
	q.mu.Lock()
	for len(q.pending) == 0 {
		q.idle++
		q.cond.Wait()
		q.idle--
	}
	n := min(len(q.pending), flushChunk)
	dst = append(dst, q.pending[:n]...)
	rest := copy(q.pending, q.pending[n:])
	clear(q.pending[rest:])
	q.pending = q.pending[:rest]
	if cap(q.pending) > 4096 && rest < cap(q.pending)/4 { // shrink after a burst
		q.pending = append([]*conn(nil), q.pending...)
	}
	more := q.wantMoreLocked()
	q.mu.Unlock()
	if more {
		q.cond.Signal()
	}
	return dst
}

// run is one flusher goroutine; it never exits.
func (q *flushQueue) run() {
	w := newVecWriter()
	var batch []*conn
	for {
		batch = q.take(batch[:0])
		for _, c := range batch {
			c.flushOnce(w)
		}
		clear(batch)
	}
}

// flushOnce writes c's queue with one non-blocking vectored write. The
// caller (a flusher) owns c's write side.
func (c *conn) flushOnce(w *vecWriter) {
	c.mu.Lock()
	if c.state != stateOpen || len(c.queue) == 0 {
		c.mu.Unlock()
		go c.writeLoop() // closing, closed or nothing to do: the goroutine path ends it
		return
	}
	batch := c.takeQueueLocked()
	c.mu.Unlock()

	c.batches.Add(1)
	c.frames.Add(int64(len(batch)))
	rest, err := w.write(c.raw, batch)
	c.recycle(batch)
	switch {
	case err != nil:
		c.fail(err)
		return
	case len(rest) > 0:
		go c.writeRest(rest)
		return
	}
	c.mu.Lock()
	switch {
	case c.state == stateOpen && len(c.queue) == 0:
		c.flushing = false
		c.mu.Unlock()
	case c.state == stateOpen:
		c.mu.Unlock()
		flushers.push(c) // more arrived meanwhile: back of the line
	default:
		c.mu.Unlock()
		go c.writeLoop()
	}
}

// writeRest finishes a write the socket could not take at once, with the
// WriteWait deadline, then continues as the connection's own writer.
func (c *conn) writeRest(rest [][]byte) {
	if err := c.writeBlocking(rest); err != nil {
		c.fail(err)
		return
	}
	c.writeLoop()
}
