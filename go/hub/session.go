package hub

// Session is the hub's state for one client connection.
//
// STUB: implemented by the engine (issue 3).
type Session struct {
	h        *Hub
	app      *App
	conn     Conn
	socketID string
}

// SocketID returns the connection's socket id ("\d+\.\d+").
func (s *Session) SocketID() string { return s.socketID }

// App returns the app the connection belongs to.
func (s *Session) App() *App { return s.app }

// Handle processes one inbound text message. The transport calls it from a
// single goroutine, in order, with a buffer it may reuse afterwards: the
// session must copy what it keeps.
func (s *Session) Handle(msg []byte) { panic("hub: not implemented") }

// Ping sends a server pusher:ping (the transport calls it after ping_period
// of silence from the client).
func (s *Session) Ping() { panic("hub: not implemented") }

// Close forgets the connection: unsubscribes it everywhere (presence
// member_removed, vacated webhooks) and updates counts. The transport calls
// it exactly once when the socket is gone; calling it again is a no-op.
func (s *Session) Close() { panic("hub: not implemented") }
