package wsconn

import (
	"errors"
	"io"
	"os"
	"sync/atomic"
	"syscall"
	"time"
)

// Parking: an idle connection without a goroutine.
//
// A reader with nothing buffered first waits in Read for parkDelay (10 ms,
// never past its liveness deadline) after the last inbound frame, so that
// a connection that closes or sends its subscribe right away, or a chatty
// one, does not pay for parking (connect scenario: parking at once cost
// 20% more server CPU per handshake; a longer delay keeps more goroutine
// stacks alive during a connect storm, which shows in RSS). Then it reads
// the socket without blocking and, when there is nothing, arms a one-shot
// readability watch and its liveness deadline in the process-wide poller
// (epoll on Linux, see poller_linux.go), marks itself parked and its
// goroutine returns. Whichever comes first, readability or the deadline
// (or a close requested by the write side, see wakeReader), flips the state
// from parked to running and starts a new goroutine that resumes the read
// loop where it stopped: the liveness state (last inbound frame, pinged)
// lives in readSide, not in the loop.
//
// Guarantees:
//   - at most one goroutine runs the read loop of a connection at any time:
//     the parked -> running transition is a CAS that exactly one waker wins,
//     and a wake that arrives while the reader is still arming is recorded
//     so that the reader keeps running instead of parking;
//   - no wake is lost: the reader is marked parking before it reads, and
//     arming a one-shot watch on a socket that is already readable reports
//     it at once;
//   - a stale or spurious wake is harmless: the resumed loop reads without
//     blocking and parks again when the socket has nothing;
//   - a wake after the deadline takes the deadline path (ping, or 4201 after
//     the pong deadline) exactly as a blocking read that timed out;
//   - the read side takes the socket out of the poller before closing it,
//     and a stale entry left by a close elsewhere can only cause a spurious
//     wake, so a reused descriptor number never reaches a dead connection.
//
// Only plain sockets (*net.TCPConn and *net.UnixConn on Linux) park; TLS
// and wrapped connections, and every connection on other systems, keep a
// goroutine blocked in Read.

// Reader states (readSide.state).
const (
	readRunning int32 = iota // a goroutine runs the read loop
	readParking              // the reader polls the socket and may park
	readWoken                // woken while parking: the reader keeps running
	readParked               // no goroutine; the next wake starts one
)

// readSide is the read side's state that survives parking. Only the
// goroutine running the read loop touches it, except state (atomic) and
// the fields marked "poller" (guarded by the poller's mutex). Fields are
// ordered to pack (the struct is part of every connection).
type readSide struct {
	sess     Session
	last     time.Time             // arrival of the last inbound frame (the upgrade at first)
	readFn   func(fd uintptr) bool // c.readOne, bound at the first poll
	until    int64                 // readFn's input: the deadline to arm (poller clock)
	errno    syscall.Errno         // readFn's result: the read failed (EAGAIN: nothing to read)
	due      int64                 // poller: liveness deadline while parked (poller clock)
	state    atomic.Int32
	fd       int32 // poller: the registered descriptor
	slot     int32 // poller: index in the deadline heap plus one, 0 when absent
	parkable bool  // the socket can be polled (see parkable)
	pinged   bool  // a ping was sent since last
	idle     bool  // parkDelay passed without a frame since last: park at once
	one      [1]byte
	got      bool // readFn's result: one holds a byte
	failed   bool // readFn's result: the poller could not watch the socket
	// poller: fd is (or was, until closed) in the poller's set
	registered bool
}

// defaultParkDelay is how long a reader waits in Read after the last
// inbound frame (or the upgrade) before it parks; 0 parks at once.
const defaultParkDelay = 10 * time.Millisecond

// parkDelay is defaultParkDelay, atomic so that tests can shorten it.
var parkDelay atomic.Int64

func init() { parkDelay.Store(int64(defaultParkDelay)) }

// errWouldBlock reports that the socket had nothing to read and is now
// watched by the poller: the reader may park.
var errWouldBlock = errors.New("wsconn: nothing to read yet")

// errNoPoller (wrapped) is why a connection could not park; it then keeps
// a goroutine blocked in Read.
var errNoPoller = errors.New("wsconn: idle socket poller unavailable")

// pollerEpoch is the origin of the poller clock.
var pollerEpoch = time.Now()

// pollerTime converts t to the poller clock: monotonic nanoseconds since
// pollerEpoch.
func pollerTime(t time.Time) int64 { return int64(t.Sub(pollerEpoch)) }

// resume runs the read loop of a new or woken connection and tears the
// connection down when the loop ends.
func (c *conn) resume() {
	if c.readFrames(c.rd.sess) {
		c.finish(c.rd.sess)
	}
}

// deadline is the current liveness deadline: PingPeriod after the last
// inbound frame, or the pong deadline once pinged.
func (r *readSide) deadline(o *Options) time.Time {
	if r.pinged {
		return o.pongDeadline(r.last)
	}
	return r.last.Add(o.PingPeriod)
}

// canPoll reports whether the next byte must come from the socket itself
// and the connection can park while waiting for it.
func (c *conn) canPoll() bool {
	return c.rd.parkable && (c.br == nil || c.br.Buffered() == 0) && len(c.src.pending) == 0
}

// pollByte reads one byte from the socket without blocking. With nothing
// to read, it arms the poller for deadline and returns errWouldBlock (the
// reader is then in the parking state and must call park); when the poller
// cannot watch the socket, the connection stops parking for good and the
// byte comes from a blocking read. Other errors: os.ErrDeadlineExceeded
// when the read deadline has passed, io.EOF when the client closed.
func (c *conn) pollByte(deadline time.Time) (byte, error) {
	c.releaseReader()
	r := &c.rd
	if r.readFn == nil { // canPoll held: c.raw is the socket
		r.readFn = c.readOne
	}
	r.until = pollerTime(deadline)
	r.got, r.errno = false, 0
	r.state.Store(readParking)
	err := c.raw.Read(r.readFn)
	switch {
	case err == nil && r.errno == syscall.EAGAIN && !r.failed:
		return 0, errWouldBlock
	case err == nil && r.errno == syscall.EAGAIN:
		r.parkable = false
		r.state.Store(readRunning)
		return c.firstByte()
	}
	r.state.Store(readRunning)
	switch {
	case err != nil:
		return 0, err
	case r.errno != 0:
		return 0, os.NewSyscallError("read", r.errno)
	case !r.got:
		return 0, io.EOF
	}
	c.borrowReader()
	return r.one[0], nil
}

// park completes parking after pollByte returned errWouldBlock. It returns
// true when the connection is parked: the caller's goroutine must return
// at once without touching the read side. It returns false when the reader
// must keep running (woken meanwhile, or closing).
func (c *conn) park() bool {
	r := &c.rd
	if c.closing() || !r.state.CompareAndSwap(readParking, readParked) {
		r.state.Store(readRunning)
		return false
	}
	return true
}

// wake resumes a parked reader on a new goroutine, or records the wake if
// the reader is still parking. It does nothing while a reader runs. Safe
// from any goroutine (the poller, the write side).
func (c *conn) wake() {
	r := &c.rd
	for {
		switch r.state.Load() {
		case readParked:
			if r.state.CompareAndSwap(readParked, readRunning) {
				go c.resume()
				return
			}
		case readParking:
			if r.state.CompareAndSwap(readParking, readWoken) {
				return
			}
		default:
			return
		}
	}
}

// wakeReader makes the read side notice a close requested or done by the
// write side within CloseGrace: a reader blocked in Read on a long liveness
// deadline gets a CloseGrace deadline, a parked one is resumed.
func (c *conn) wakeReader() {
	_ = c.nc.SetReadDeadline(time.Now().Add(c.opts.CloseGrace))
	c.wake()
}
