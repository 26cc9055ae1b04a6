//go:build linux

package wsconn

import (
	"fmt"
	"math"
	"sync"
	"syscall"
	"time"
)

// watchEvents is what a parked socket waits for: data, or the client
// closing its side (errors and hang-ups are always reported). One-shot: an
// event disables the watch until the next park re-arms it, so a socket is
// reported at most once per park.
const watchEvents = syscall.EPOLLIN | syscall.EPOLLRDHUP | syscall.EPOLLONESHOT

// pollBatch is the most events one epoll_wait returns.
const pollBatch = 256

// poller is the process-wide epoll instance that watches the sockets of
// parked connections, with their liveness deadlines. It is created, with
// the one goroutine that waits on it, by the first park. That goroutine
// wakes every connection whose socket is readable; one runtime timer, set
// for the earliest deadline of the heap, wakes every connection whose
// deadline has passed (instead of one timer per connection).
//
// The table from descriptor to connection holds the last connection that
// registered each descriptor; an event for a descriptor wakes that
// connection. An entry left by a socket closed elsewhere (the kernel then
// dropped it from the set) is ignored or replaced by the next connection
// that gets the descriptor: at worst a spurious wake, which parking
// tolerates.
type poller struct {
	once    sync.Once
	warning sync.Once
	epfd    int

	mu     sync.Mutex // guards the fields below and every conn's rd poller fields
	conns  []*conn    // indexed by descriptor (descriptors are small and dense)
	timers deadlineHeap
	timer  *time.Timer // fires at sleep
	sleep  int64       // when timer fires (poller clock; math.MaxInt64: stopped)
	broken error       // epoll failed: parking is off
}

// parkPoller is the poller of every connection in the process.
var parkPoller poller

// start creates the epoll instance and its goroutine once.
func (p *poller) start() {
	p.once.Do(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		fd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
		if err != nil {
			p.broken = fmt.Errorf("%w: epoll_create1: %w", errNoPoller, err)
			return
		}
		p.epfd = fd
		p.sleep = math.MaxInt64
		p.timer = time.AfterFunc(time.Hour, p.expire)
		p.timer.Stop()
		go p.run()
	})
}

// readOne is pollByte's RawConn.Read callback (the descriptor is c's and
// stays open while it runs): one non-blocking read of one byte and, when
// there is nothing, the poller armed for rd.until. It never waits.
func (c *conn) readOne(fd uintptr) bool {
	r := &c.rd
	for {
		n, err := syscall.Read(int(fd), r.one[:])
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.EAGAIN:
			r.errno = syscall.EAGAIN
			if aerr := parkPoller.arm(int32(fd), c); aerr != nil {
				r.failed = true
				parkPoller.warning.Do(func() {
					c.opts.Logger.Warn("wsconn: cannot park idle connections, they keep a goroutine", "err", aerr)
				})
			}
		case err != nil:
			r.errno = syscall.EIO
			if e, ok := err.(syscall.Errno); ok {
				r.errno = e
			}
		default:
			r.got = n == 1
		}
		return true
	}
}

// arm registers fd for c, or re-enables its one-shot watch, and sets c's
// deadline to rd.until. It runs on c's read side.
func (p *poller) arm(fd int32, c *conn) error {
	p.start()
	ev := syscall.EpollEvent{Events: watchEvents, Fd: fd}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.broken != nil {
		return p.broken
	}
	op := syscall.EPOLL_CTL_ADD
	if c.rd.registered {
		op = syscall.EPOLL_CTL_MOD
	}
	err := syscall.EpollCtl(p.epfd, op, int(fd), &ev)
	switch {
	case err == syscall.EEXIST && op == syscall.EPOLL_CTL_ADD: // this socket, already in the set
		err = syscall.EpollCtl(p.epfd, syscall.EPOLL_CTL_MOD, int(fd), &ev)
	case err == syscall.ENOENT && op == syscall.EPOLL_CTL_MOD:
		err = syscall.EpollCtl(p.epfd, syscall.EPOLL_CTL_ADD, int(fd), &ev)
	}
	if err != nil {
		return fmt.Errorf("%w: epoll_ctl: %w", errNoPoller, err)
	}
	c.rd.fd, c.rd.registered = fd, true
	p.setConnLocked(fd, c)
	p.timers.set(c, c.rd.until)
	if c.rd.due < p.sleep {
		p.setTimerLocked(c.rd.due)
	}
	return nil
}

// connLocked returns the connection that last registered fd, or nil.
func (p *poller) connLocked(fd int32) *conn {
	if fd < 0 || int(fd) >= len(p.conns) {
		return nil
	}
	return p.conns[fd]
}

// setConnLocked records c as fd's connection, growing the table.
func (p *poller) setConnLocked(fd int32, c *conn) {
	if int(fd) >= len(p.conns) {
		p.conns = append(p.conns, make([]*conn, int(fd)+1-len(p.conns))...)
	}
	p.conns[fd] = c
}

// remove takes c out of the poller; fd is c's descriptor when it is still
// open (removed from the set), or -1 when it was closed.
func (p *poller) remove(fd int, c *conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.timers.remove(c)
	if !c.rd.registered {
		return
	}
	c.rd.registered = false
	if p.connLocked(c.rd.fd) == c {
		p.conns[c.rd.fd] = nil
	}
	if fd >= 0 && p.broken == nil {
		_ = syscall.EpollCtl(p.epfd, syscall.EPOLL_CTL_DEL, fd, nil)
	}
}

// registered reports whether c is in the poller.
func (p *poller) registered(c *conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return c.rd.registered || c.rd.slot != 0
}

// detach takes c's socket and deadline out of the poller. Safe from any
// goroutine; the read side calls it before closing the socket.
func (c *conn) detach() {
	if !parkPoller.registered(c) {
		return
	}
	if c.raw == nil || c.raw.Control(func(fd uintptr) { parkPoller.remove(int(fd), c) }) != nil {
		parkPoller.remove(-1, c) // closed already: the kernel dropped it from the set
	}
}

// run is the poller goroutine. It never exits unless epoll fails, which
// turns parking off and wakes every parked connection (they then block in
// Read).
func (p *poller) run() {
	events := make([]syscall.EpollEvent, pollBatch)
	var woken []*conn
	for {
		n, err := syscall.EpollWait(p.epfd, events, -1)
		if err == syscall.EINTR {
			continue
		}
		p.mu.Lock()
		if err != nil {
			woken = p.failLocked(err, woken)
			p.mu.Unlock()
			wakeAll(woken)
			return
		}
		for _, ev := range events[:n] {
			if c := p.connLocked(ev.Fd); c != nil {
				woken = append(woken, c)
			}
		}
		p.mu.Unlock()
		woken = wakeAll(woken)
	}
}

// expire is the timer's callback: it wakes every connection whose
// deadline has passed and sets the timer for the next one.
func (p *poller) expire() {
	p.mu.Lock()
	woken := p.timers.popDue(pollerTime(time.Now()), nil)
	p.sleep = math.MaxInt64
	if due, ok := p.timers.next(); ok {
		p.setTimerLocked(due)
	}
	p.mu.Unlock()
	wakeAll(woken)
}

// setTimerLocked makes the timer fire at due (at or after it).
func (p *poller) setTimerLocked(due int64) {
	p.sleep = due
	p.timer.Reset(time.Duration(due - pollerTime(time.Now())))
}

// failLocked turns parking off after an epoll failure and returns every
// parked connection, to be woken.
func (p *poller) failLocked(err error, woken []*conn) []*conn {
	p.broken = fmt.Errorf("%w: epoll_wait: %w", errNoPoller, err)
	for _, c := range p.conns {
		if c != nil {
			woken = append(woken, c)
		}
	}
	for _, c := range p.timers {
		c.rd.slot = 0
		woken = append(woken, c)
	}
	p.conns = nil
	p.timers = nil
	return woken
}

// wakeAll wakes every connection of woken and returns it emptied.
func wakeAll(woken []*conn) []*conn {
	for i, c := range woken {
		c.wake()
		woken[i] = nil
	}
	return woken[:0]
}
