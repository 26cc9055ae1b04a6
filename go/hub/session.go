package hub

import (
	"encoding/json"
	"sync"
	"sync/atomic"
	"time"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

// Session is the hub's state for one client connection. Handle, Ping and
// Close are safe to call from any goroutine; the transport calls Handle from
// one goroutine, in order.
type Session struct {
	h        *Hub
	app      *App
	conn     Conn
	socketID string
	st       *appState
	lim      pusher.Limits

	mu        sync.Mutex // guards everything below
	closed    bool
	subs      map[string]*subscription // nil until the first subscription
	userID    string
	userInfo  json.RawMessage
	watchlist []string
	rate      rateWindow

	closeCode atomic.Int32 // close code the hub sent, 0 if none

	// wmu guards watched, the last online state reported to this session
	// per watched user id (a leaf lock: watchlist events arrive from other
	// goroutines, possibly while another session's mu is held).
	wmu     sync.Mutex
	watched map[string]bool
}

// subscription is one channel a session is subscribed to.
type subscription struct {
	ch     *channel
	member *Member // presence channels: the member this socket joined as
}

// rateWindow counts client events in the current one-second window.
type rateWindow struct {
	second int64
	count  int
}

func newSession(h *Hub, app *App, c Conn) *Session {
	return &Session{
		h: h, app: app, conn: c, socketID: newSocketID(),
		st: h.appState(app.ID), lim: app.Limits.WithDefaults(),
	}
}

// SocketID returns the connection's socket id ("\d+\.\d+").
func (s *Session) SocketID() string { return s.socketID }

// App returns the app the connection belongs to.
func (s *Session) App() *App { return s.app }

// UserID returns the id the connection signed in as ("" when not signed in).
func (s *Session) UserID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.userID
}

// activityTimeout returns the app's advertised activity timeout in whole
// seconds, never zero (pusher-js refuses a zero).
func activityTimeout(app *App) int {
	secs := int((app.ActivityTimeout + time.Second/2) / time.Second)
	if secs <= 0 {
		return DefaultActivityTimeout
	}
	return secs
}

// send encodes e and writes it to the connection. A full write queue is
// counted as a slow-consumer drop (the transport closes the connection).
func (s *Session) send(e *serverEvent) {
	s.writeFrame(encodeFrame(e))
}

func (s *Session) writeFrame(f []byte) {
	if err := s.conn.WriteFrame(f); err != nil {
		s.h.writeFailed(s.app.ID, err)
		return
	}
	s.h.metrics.MessagesSent(s.app.ID, 1)
}

// sendError sends pusher:error {"code":code,"message":msg}; code 0 is null.
func (s *Session) sendError(code pusher.Code, msg string) {
	s.send(&serverEvent{Event: pusher.EventError, RawData: appendErrorData(nil, int(code), msg)})
}

// fail sends e as pusher:error and, when e.Close, closes the connection
// with e.Code.
func (s *Session) fail(e *pusher.Error) {
	s.sendError(e.Code, e.Message)
	if e.Close {
		s.closeCode.CompareAndSwap(0, int32(e.Code))
		s.conn.Close(e.Code, e.Message)
	}
}

// Ping sends a server pusher:ping (the transport calls it after ping_period
// of silence from the client).
func (s *Session) Ping() {
	s.send(&serverEvent{Event: "pusher:ping", Data: "{}"})
}

// Close forgets the connection: unsubscribes it everywhere (presence
// member_removed, vacated webhooks), signs it out (watchlist offline events)
// and updates counts. The transport calls it exactly once when the socket
// is gone; calling it again is a no-op.
func (s *Session) Close() { s.CloseWith(0) }

// CloseWith is Close for a transport that knows why the socket ended: code
// (e.g. pusher.CodePongTimeout, pusher.CodeSlowConsumer) is reported to
// Metrics.ConnectionClosed unless the hub itself closed the connection
// first, in which case the hub's code is reported.
func (s *Session) CloseWith(code pusher.Code) {
	s.closeCode.CompareAndSwap(0, int32(code))
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	for name, sub := range s.subs {
		s.leave(name, sub)
	}
	s.signOut()
	s.st.removeSession(s)
	s.st.connections.Add(-1)
	s.h.conns.Add(-1)
	s.h.metrics.ConnectionClosed(s.app.ID, pusher.Code(s.closeCode.Load()))
}
