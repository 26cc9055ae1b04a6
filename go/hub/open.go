package hub

import (
	"strconv"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

// checkProtocol validates the protocol query parameter: missing 4008,
// non-numeric 4006, outside 5..7 4007.
func checkProtocol(meta ConnMeta) *pusher.Error {
	if !meta.HasProtocol || meta.Protocol == "" {
		return pusher.NewCloseError(pusher.CodeNoProtocol, "No protocol version supplied")
	}
	v, err := strconv.Atoi(meta.Protocol)
	if err != nil {
		return pusher.NewCloseError(pusher.CodeInvalidVersion, "Invalid protocol version: "+meta.Protocol)
	}
	if v < minProtocol || v > maxProtocol {
		return pusher.NewCloseError(pusher.CodeUnsupportedProtocol, "Unsupported protocol version: "+meta.Protocol)
	}
	return nil
}

// Open registers a new connection of app and sends
// pusher:connection_established on c. It returns a *pusher.Error (to be sent
// and then closed by the caller) when the protocol version is missing (4008),
// malformed (4006) or unsupported (4007), the app is disabled (4003), the
// hub is over MaxConnections (4100) or shutting down (4200).
//
// connection_established is written before the session becomes visible to
// the rest of the hub, so it is always the first frame on c.
func (h *Hub) Open(app *App, c Conn, meta ConnMeta) (*Session, error) {
	s, frame, err := h.Prepare(app, c, meta, nil)
	if err != nil {
		return nil, err
	}
	if err := c.WriteFrame(frame); err != nil {
		h.writeFailed(app.ID, err)
	} else {
		h.metrics.MessagesSent(app.ID, 1)
	}
	s.register()
	return s, nil
}

// Prepare is Open for a transport that sends connection_established
// itself, typically in the same write as its handshake response. It runs
// Open's checks (same errors), counts the connection, and appends the
// complete connection_established WebSocket frame to dst. The returned
// session is not yet registered: no channel traffic, Shutdown or
// terminate-user command reaches c until Start, so the transport may write
// the frame to the socket directly. The transport must then call Start once
// the frame is written, or Close (which undoes the count) if writing
// failed. On error, dst is returned unchanged.
func (h *Hub) Prepare(app *App, c Conn, meta ConnMeta, dst []byte) (*Session, []byte, error) {
	if h.shutting.Load() {
		return nil, dst, pusher.NewCloseError(pusher.CodeReconnect, "Server is shutting down")
	}
	if perr := checkProtocol(meta); perr != nil {
		return nil, dst, perr
	}
	if app == nil {
		return nil, dst, pusher.NewCloseError(pusher.CodeAppNotFound, "Unknown app")
	}
	if app.Disabled {
		return nil, dst, pusher.NewCloseError(pusher.CodeAppDisabled, "Application is disabled")
	}
	if n := h.conns.Add(1); h.cfg.MaxConnections > 0 && n > int64(h.cfg.MaxConnections) {
		h.conns.Add(-1)
		return nil, dst, pusher.NewCloseError(pusher.CodeOverCapacity, "Over capacity")
	}
	s := newSession(h, app, c)
	s.st.connections.Add(1)
	h.metrics.ConnectionOpened(app.ID)
	return s, appendEstablishedFrame(dst, s.socketID, activityTimeout(app)), nil
}

// Start registers a session returned by Prepare after its
// connection_established frame was written: from now on it receives
// channel traffic and commands. If the hub began shutting down meanwhile,
// the session is closed with 4200 as Shutdown does for every session.
func (s *Session) Start() {
	s.h.metrics.MessagesSent(s.app.ID, 1)
	s.register()
}

// register makes s visible to the hub (Shutdown, terminate-user, stats).
// The shutdown flag is read after the session is listed: either Shutdown's
// listing sees s, or s sees the flag and fails itself.
func (s *Session) register() {
	s.st.addSession(s)
	if s.h.shutting.Load() {
		s.fail(pusher.NewCloseError(pusher.CodeReconnect, "Server is shutting down"))
	}
}

// appendEstablishedFrame appends the pusher:connection_established frame:
// {"event":"pusher:connection_established","data":"{\"socket_id\":...,
// \"activity_timeout\":...}"} (data is a JSON string, as Pusher sends it).
// Socket ids are digits and a dot, so nothing needs escaping.
func appendEstablishedFrame(dst []byte, socketID string, activityTimeout int) []byte {
	var buf [160]byte
	p := append(buf[:0], `{"event":"`+pusher.EventConnectionEstablished+`","data":"{\"socket_id\":\"`...)
	p = append(p, socketID...)
	p = append(p, `\",\"activity_timeout\":`...)
	p = strconv.AppendInt(p, int64(activityTimeout), 10)
	p = append(p, `}"}`...)
	return appendTextFrame(dst, p)
}
