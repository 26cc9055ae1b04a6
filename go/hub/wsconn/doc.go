// Package wsconn is the WebSocket transport of Pogo WebSocket: it upgrades
// HTTP requests on /app/{key} with gobwas/ws (zero-copy upgrade), feeds every
// complete inbound text message to a hub session, and implements hub.Conn,
// the write side the hub uses to deliver pre-encoded frames.
//
// # Reading
//
// A connection's frames are read by one goroutine at a time. While a
// connection is idle it holds no read buffer: the reader waits on a one-byte
// read straight from the socket, and only when a frame starts does it borrow
// a pooled 4 KiB bufio.Reader and a pooled message buffer, which go back to
// their pools as soon as nothing more is buffered. On Linux a plain TCP or
// Unix connection's reader waits like that for 10 ms after its last frame,
// then parks: its goroutine returns, and one process-wide epoll poller
// (park.go, poller_linux.go) watches the socket and its liveness deadline
// and starts a reader again when data, the deadline or a close arrives.
// Idle connections therefore cost no goroutine and no stack. TLS
// connections and other systems keep a reader blocked in Read. Inbound
// rules:
//
//   - text frames only; a binary frame closes the connection with 1003;
//   - a message (all fragments together) larger than the app's
//     Limits.MaxMessageBytes closes with 1009, checked against the declared
//     length before any payload is read;
//   - a text message that is not valid UTF-8 closes with 1007 (so does a
//     close frame reason that is not UTF-8);
//   - unmasked frames, reserved bits or opcodes, malformed control frames and
//     misplaced continuation frames close with 1002;
//   - WebSocket pings are answered with pongs carrying the same payload; a
//     client close frame is echoed and the connection is torn down.
//
// Every close the transport initiates is preceded by a pusher:error event
// carrying the same code (pusher-js ignores the code of pusher:error and acts
// on the close code).
//
// # Liveness
//
// Any inbound frame counts as activity. After Options.PingPeriod without
// one, the transport calls Session.Ping (a pusher:ping event) and sends a
// WebSocket ping control frame. If still nothing arrived Options.PongWait
// after the last activity (or after the ping, when PongWait is not longer
// than PingPeriod), the connection is closed with 4201 (pong not received).
// A frame that has started must be complete within PongWait.
//
// # Writing
//
// WriteFrame never blocks. Frames go to a byte-bounded queue
// (Options.WriteQueueBytes). When the queue goes from empty to non-empty a
// plain TCP connection on Linux joins the FIFO of the flusher pool (one
// flusher goroutine per GOMAXPROCS, see flusher.go), which writes all its
// queued frames with one non-blocking writev and no deadline; the longer
// the FIFO, the more frames each write carries, so coalescing grows with
// load. What the socket cannot take at once (a full client buffer) is
// finished by a goroutine of the connection's own with an
// Options.WriteWait deadline, which also drains what queued meanwhile.
// Other connections (TLS, other systems) get such a writer goroutine
// whenever their queue becomes non-empty; it exits once the queue is
// drained, so idle connections have no writer goroutine. A failed or
// timed-out write tears the connection down. If a frame would overflow the queue, WriteFrame returns
// hub.ErrSlowConsumer, the queued frames are discarded and the client gets
// pusher:error 4101 and a 4101 close frame: a slow client is disconnected,
// never fed a stream with holes.
//
// # Closing
//
// Close(code, reason) is asynchronous: it flushes what is already queued,
// sends the close frame, half-closes the socket and returns the teardown to
// the reader (woken if parked), which waits up to Options.CloseGrace for the
// client to finish, closes the socket and then calls Session.Close exactly
// once.
// Session.Handle and Session.Close are never called concurrently.
package wsconn
