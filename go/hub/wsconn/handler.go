package wsconn

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gobwas/ws"
	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// Session is what the transport drives for one open connection;
// *hub.Session satisfies it.
type Session interface {
	// Handle processes one complete inbound text message; msg is reused
	// after Handle returns.
	Handle(msg []byte)
	// Ping sends a server pusher:ping.
	Ping()
	// Close forgets the connection; called exactly once.
	Close()
}

// Engine resolves apps and opens sessions; HubEngine adapts *hub.Hub.
type Engine interface {
	// Resolve finds the app of key, or returns the error to send (4001, 4003).
	Resolve(key string) (*hub.App, *pusher.Error)
	// Open registers c and sends connection_established through it. An
	// error (preferably a *pusher.Error) is sent to the client, then the
	// connection is closed with its code.
	Open(app *hub.App, c hub.Conn, meta hub.ConnMeta) (Session, error)
}

// HubEngine returns h as an Engine.
func HubEngine(h *hub.Hub) Engine { return hubEngine{h: h} }

type hubEngine struct{ h *hub.Hub }

func (e hubEngine) Resolve(key string) (*hub.App, *pusher.Error) { return e.h.Resolve(key) }

func (e hubEngine) Open(app *hub.App, c hub.Conn, meta hub.ConnMeta) (Session, error) {
	s, err := e.h.Open(app, c, meta)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Handler upgrades requests on .../app/{key} to Pusher WebSocket
// connections. It is safe for concurrent use.
type Handler struct {
	engine   Engine
	opts     Options
	upgrader ws.HTTPUpgrader
}

// NewHandler returns a Handler serving engine's apps; see Options for the
// defaults. It fails with ErrInvalidOptions without an engine.
func NewHandler(engine Engine, opts Options) (*Handler, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if engine == nil {
		return nil, fmt.Errorf("%w: nil engine", ErrInvalidOptions)
	}
	return &Handler{engine: engine, opts: o, upgrader: ws.HTTPUpgrader{Timeout: o.HandshakeTimeout}}, nil
}

// KeyFromPath extracts the app key from a path ending in /app/{key}.
func KeyFromPath(path string) (string, bool) {
	i := strings.LastIndex(path, "/app/")
	if i < 0 {
		return "", false
	}
	key := path[i+len("/app/"):]
	if key == "" || strings.Contains(key, "/") {
		return "", false
	}
	return key, true
}

// ServeHTTP upgrades the request. A request that is not a valid WebSocket
// handshake gets an HTTP error from the upgrader. An unknown path (4005),
// unknown (4001) or disabled (4003) app, or a refused Open is upgraded
// anyway and answered with pusher:error and a close frame carrying the code,
// as Pusher does, so clients see a Pusher error instead of a failed handshake.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var app *hub.App
	perr := pusher.NewCloseError(pusher.CodePathNotFound, "path not found: expected /app/{key}")
	if key, ok := KeyFromPath(r.URL.Path); ok {
		app, perr = h.engine.Resolve(key)
	}
	nc, rw, _, err := h.upgrader.Upgrade(r, w)
	if err != nil {
		h.opts.Logger.Debug("wsconn: upgrade failed", "remote", r.RemoteAddr, "err", err)
		if nc != nil {
			_ = nc.Close()
		}
		return
	}
	var buffered []byte
	if n := rw.Reader.Buffered(); n > 0 {
		buffered, _ = rw.Reader.Peek(n)
		buffered = append([]byte(nil), buffered...)
	}
	maxMsg, appID := pusher.DefaultLimits.MaxMessageBytes, ""
	if app != nil {
		maxMsg, appID = app.Limits.WithDefaults().MaxMessageBytes, app.ID
	}
	c := newConn(nc, &h.opts, appID, maxMsg, buffered)
	if perr != nil {
		h.refuse(c, perr)
		return
	}
	meta := hub.ConnMeta{RemoteAddr: r.RemoteAddr}
	if v, ok := r.URL.Query()["protocol"]; ok {
		meta.Protocol, meta.HasProtocol = v[0], true
	}
	sess, err := h.engine.Open(app, c, meta)
	if err != nil {
		var pe *pusher.Error
		if !errors.As(err, &pe) {
			h.opts.Logger.Warn("wsconn: open failed", "app", app.ID, "err", err)
			pe = pusher.NewCloseError(pusher.CodeReconnect, "server error, reconnect")
		}
		h.refuse(c, pe)
		return
	}
	go c.readLoop(sess)
}

// refuse sends pusher:error and closes with its code, without a session.
func (h *Handler) refuse(c *conn, pe *pusher.Error) {
	h.opts.Logger.Debug("wsconn: connection refused", "code", int(pe.Code), "reason", pe.Message)
	c.closeWith(closeRequest{code: pe.Code, reason: pe.Message, errorEvent: true})
	go c.finish(nil)
}
