package wsconn

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/gobwas/ws"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// Read buffers are pooled and borrowed only while a frame is being read.
const (
	readBufferSize   = 4096
	msgBufferSize    = 4096
	maxPooledMessage = 64 * 1024
)

var (
	readerPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, readBufferSize) }}
	msgPool    = sync.Pool{New: func() any { b := make([]byte, 0, msgBufferSize); return &b }}
)

// protocolError is an inbound violation that closes the connection.
type protocolError struct {
	code   pusher.Code
	reason string
}

func (e *protocolError) Error() string { return e.reason }

// peerClose reports a close frame from the client.
type peerClose struct{ code pusher.Code }

func (e *peerClose) Error() string { return "client sent a close frame" }

func violation(code pusher.Code, reason string) error {
	return &protocolError{code: code, reason: reason}
}

// header is a parsed client frame header.
type header struct {
	fin    bool
	op     byte
	length int64
	mask   [4]byte
}

// readLoop is the read goroutine: it reads messages until the connection
// ends, then tears it down and calls sess.Close exactly once. An idle
// connection parks instead of blocking (see park.go): the goroutine
// returns and a later wake resumes the loop on a new one.
func (c *conn) readLoop(sess Session) {
	c.rd.sess = sess
	c.rd.last = time.Now()
	c.rd.parkable = c.raw != nil
	c.resume()
}

// readFrames runs the read loop. It returns true when the connection ended
// (the caller runs finish) and false when it parked (the caller's goroutine
// must return without touching the read side).
func (c *conn) readFrames(sess Session) bool {
	r := &c.rd
	for {
		deadline := r.deadline(c.opts)
		wait, linger := deadline, false
		if d := parkDelay.Load(); d > 0 && !r.idle && c.canPoll() { // just active: wait in Read a little first
			if t := time.Now().Add(time.Duration(d)); t.Before(deadline) {
				wait, linger = t, true
			}
		}
		_ = c.nc.SetReadDeadline(wait)
		if c.closing() { // checked after setting the deadline: see finishClose
			return true
		}
		b0, err := c.nextByte(deadline, linger)
		if err == errWouldBlock {
			if c.park() {
				return false
			}
			continue
		}
		if err != nil {
			if c.closing() {
				// A close was requested: its frame may not be written yet
				// (the writer takes over asynchronously). finish waits for
				// the writer; aborting here would lose the close frame.
				return true
			}
			if !errors.Is(err, os.ErrDeadlineExceeded) {
				c.abort()
				return true
			}
			if linger && time.Now().Before(deadline) {
				r.idle = true // parks on the next turn
				continue
			}
			if !r.pinged {
				r.pinged = true
				sess.Ping()
				_ = c.WriteFrame(serverPingFrame)
				continue
			}
			c.closeWith(closeRequest{code: pusher.CodePongTimeout, reason: "pong not received", errorEvent: true})
			return true
		}
		r.last, r.pinged, r.idle = time.Now(), false, false
		_ = c.nc.SetReadDeadline(r.last.Add(c.opts.PongWait))
		if err := c.readMessage(b0, sess); err != nil {
			c.handleReadError(err)
			return true
		}
		if c.closing() {
			return true
		}
	}
}

// nextByte returns the first byte of the next frame: from the buffers, or
// from the socket without blocking when the connection can park and is
// not lingering (then errWouldBlock means the poller watches the socket
// until deadline and the reader must call park), or from a blocking read.
func (c *conn) nextByte(deadline time.Time, linger bool) (byte, error) {
	if !linger && c.canPoll() {
		return c.pollByte(deadline)
	}
	return c.firstByte()
}

// handleReadError turns a read failure into the right close.
func (c *conn) handleReadError(err error) {
	if c.closing() { // the requested close is under way: finish waits for it
		return
	}
	var pe *protocolError
	var pc *peerClose
	switch {
	case errors.As(err, &pe):
		c.closeWith(closeRequest{code: pe.code, reason: pe.reason, errorEvent: true})
	case errors.As(err, &pc):
		c.closeWith(closeRequest{code: pc.code})
	case errors.Is(err, os.ErrDeadlineExceeded):
		c.closeWith(closeRequest{code: pusher.CodePongTimeout, reason: "frame not completed in time", errorEvent: true})
	default:
		c.abort()
	}
}

// finish waits for the write side, drains the client for up to CloseGrace,
// closes the socket and forgets the session.
func (c *conn) finish(sess Session) {
	<-c.done
	_ = c.nc.SetReadDeadline(time.Now().Add(c.opts.CloseGrace))
	var r io.Reader = &c.src
	if c.br != nil {
		r = c.br
	}
	_, _ = io.Copy(io.Discard, r)
	c.detach() // before the close: the descriptor number may be reused at once
	_ = c.nc.Close()
	c.releaseReader()
	if sess == nil {
		return
	}
	if cw, ok := sess.(codeCloser); ok {
		cw.CloseWith(c.endCode())
		return
	}
	sess.Close()
}

// codeCloser is a Session that can be told why the connection ended
// (*hub.Session reports it to Metrics.ConnectionClosed).
type codeCloser interface {
	CloseWith(code pusher.Code)
}

// endCode is the close code that ended the connection: the code of the
// close the server sent (its own or an echoed client close), or 1006
// (abnormal closure) when the socket failed or the client vanished.
func (c *conn) endCode() pusher.Code {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.req.code == 0 {
		return closeAbnormal
	}
	return c.req.code
}

// firstByte returns the first byte of the next frame. With nothing buffered
// it blocks on the socket without holding any buffer, then borrows one.
func (c *conn) firstByte() (byte, error) {
	if c.br != nil {
		if c.br.Buffered() > 0 {
			return c.br.ReadByte()
		}
		c.releaseReader()
	}
	var one [1]byte
	for {
		n, err := c.src.Read(one[:])
		if n == 1 {
			break
		}
		if err != nil {
			return 0, err
		}
	}
	c.borrowReader()
	return one[0], nil
}

// borrowReader takes a pooled reader over the connection's source.
func (c *conn) borrowReader() {
	br := readerPool.Get().(*bufio.Reader)
	br.Reset(&c.src)
	c.br = br
}

func (c *conn) releaseReader() {
	if c.br != nil {
		c.br.Reset(nil)
		readerPool.Put(c.br)
		c.br = nil
	}
}

// readHeader parses the rest of a client frame header whose first byte is b0.
func (c *conn) readHeader(b0 byte) (header, error) {
	h := header{fin: b0&0x80 != 0, op: b0 & 0x0f}
	var buf [8]byte
	if _, err := io.ReadFull(c.br, buf[:1]); err != nil {
		return h, err
	}
	masked, l := buf[0]&0x80 != 0, int64(buf[0]&0x7f)
	switch l {
	case 126:
		if _, err := io.ReadFull(c.br, buf[:2]); err != nil {
			return h, err
		}
		l = int64(binary.BigEndian.Uint16(buf[:2]))
	case 127:
		if _, err := io.ReadFull(c.br, buf[:8]); err != nil {
			return h, err
		}
		u := binary.BigEndian.Uint64(buf[:8])
		if u>>63 != 0 {
			return h, violation(closeProtocolError, "invalid frame length")
		}
		l = int64(u)
	}
	h.length = l
	if b0&0x70 != 0 {
		return h, violation(closeProtocolError, "reserved bits set")
	}
	if !masked {
		return h, violation(closeProtocolError, "client frames must be masked")
	}
	_, err := io.ReadFull(c.br, h.mask[:])
	return h, err
}

// readMessage reads one message starting with byte b0: a control frame, or
// a text message in one or more frames (interleaved control frames are
// handled), which is passed to sess.Handle.
func (c *conn) readMessage(b0 byte, sess Session) error {
	var msg *[]byte
	defer func() {
		if msg != nil {
			putMsg(msg)
		}
	}()
	for {
		h, err := c.readHeader(b0)
		if err != nil {
			return err
		}
		if h.op >= opClose {
			if err := c.readControl(h); err != nil {
				return err
			}
			if msg == nil {
				return nil
			}
		} else {
			if msg, err = c.readData(h, msg); err != nil {
				return err
			}
			if h.fin {
				if !utf8.Valid(*msg) {
					return violation(closeInvalidPayload, "text message is not valid UTF-8")
				}
				sess.Handle(*msg)
				return nil
			}
		}
		if b0, err = c.br.ReadByte(); err != nil {
			return err
		}
	}
}

// readData appends the payload of data frame h to msg, enforcing the
// message size cap before reading.
func (c *conn) readData(h header, msg *[]byte) (*[]byte, error) {
	switch {
	case h.op == opBinary:
		return msg, violation(closeUnsupportedData, "binary frames are not supported")
	case h.op == opText && msg != nil, h.op == opContinuation && msg == nil:
		return msg, violation(closeProtocolError, "unexpected continuation state")
	case h.op != opText && h.op != opContinuation:
		return msg, violation(closeProtocolError, "reserved opcode")
	}
	if msg == nil {
		msg = msgPool.Get().(*[]byte)
		*msg = (*msg)[:0]
	}
	start := len(*msg)
	if h.length > int64(c.maxMsg-start) {
		return msg, violation(closeTooBig, "message too big")
	}
	n := int(h.length)
	b := slices.Grow(*msg, n)[:start+n]
	*msg = b
	if _, err := io.ReadFull(c.br, b[start:]); err != nil {
		return msg, err
	}
	unmask(b[start:], h.mask)
	return msg, nil
}

// readControl reads and acts on a control frame.
func (c *conn) readControl(h header) error {
	if !h.fin || h.length > maxControlPayload {
		return violation(closeProtocolError, "invalid control frame")
	}
	var buf [maxControlPayload]byte
	p := buf[:h.length]
	if _, err := io.ReadFull(c.br, p); err != nil {
		return err
	}
	unmask(p, h.mask)
	switch h.op {
	case opPing:
		_ = c.WriteFrame(controlFrame(opPong, p))
	case opPong:
	case opClose:
		return closeFromPeer(p)
	default:
		return violation(closeProtocolError, "reserved opcode")
	}
	return nil
}

// closeFromPeer validates a client close frame body.
func closeFromPeer(p []byte) error {
	switch {
	case len(p) == 0:
		return &peerClose{code: closeNoStatus}
	case len(p) == 1:
		return violation(closeProtocolError, "invalid close frame")
	}
	code := int(binary.BigEndian.Uint16(p))
	if !validCloseCode(code) {
		return violation(closeProtocolError, "invalid close code")
	}
	if !utf8.Valid(p[2:]) {
		return violation(closeInvalidPayload, "close reason is not valid UTF-8")
	}
	return &peerClose{code: pusher.Code(code)}
}

func putMsg(b *[]byte) {
	if cap(*b) <= maxPooledMessage {
		msgPool.Put(b)
	}
}

// unmask XORs p with the client's mask (gobwas/ws's word-at-a-time cipher).
func unmask(p []byte, mask [4]byte) { ws.Cipher(p, mask, 0) }
