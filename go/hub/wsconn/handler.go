package wsconn

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

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

func (e hubEngine) Prepare(app *hub.App, c hub.Conn, meta hub.ConnMeta, dst []byte) (startable, []byte, error) {
	s, out, err := e.h.Prepare(app, c, meta, dst)
	if err != nil {
		return nil, out, err
	}
	return s, out, nil
}

// preparer is an Engine that can open a session in two steps (see
// hub.Hub.Prepare), so that the handler writes connection_established
// itself, in the same write as the 101 response. HubEngine is one.
type preparer interface {
	// Prepare checks and counts the connection as Open does and appends
	// the connection_established frame to dst; the session is invisible
	// until Start. On error, dst comes back unchanged.
	Prepare(app *hub.App, c hub.Conn, meta hub.ConnMeta, dst []byte) (startable, []byte, error)
}

// startable is a prepared session: Start after its first frame is
// written, or Close if the write failed.
type startable interface {
	Session
	Start()
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
//
// With an Engine that can prepare sessions (HubEngine), a valid handshake
// for a known app takes the fast path (upgradePrepared): the 101 response
// and connection_established leave in one write.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var app *hub.App
	perr := pusher.NewCloseError(pusher.CodePathNotFound, "path not found: expected /app/{key}")
	if key, ok := KeyFromPath(r.URL.Path); ok {
		app, perr = h.engine.Resolve(key)
	}
	var c *conn
	var sess Session
	handled := false
	if pe, ok := h.engine.(preparer); ok && perr == nil {
		c, sess, handled = h.upgradePrepared(w, r, app, pe)
	}
	if !handled {
		c, sess = h.upgradeOpen(w, r, app, perr)
	}
	if sess == nil {
		return
	}
	go c.readLoop(sess)
}

// upgradeOpen is the general path: gobwas/ws writes the 101 response (or
// the HTTP error), then the engine opens the session, which sends
// connection_established through the conn. It returns a nil session when
// the connection was refused or the upgrade failed.
func (h *Handler) upgradeOpen(w http.ResponseWriter, r *http.Request, app *hub.App, perr *pusher.Error) (*conn, Session) {
	nc, rw, _, err := h.upgrader.Upgrade(r, w)
	if err != nil {
		h.opts.Logger.Debug("wsconn: upgrade failed", "remote", r.RemoteAddr, "err", err)
		if nc != nil {
			_ = nc.Close()
		}
		return nil, nil
	}
	c := h.newConn(nc, rw.Reader, app)
	if perr != nil {
		h.refuse(c, perr)
		return nil, nil
	}
	sess, err := h.engine.Open(app, c, connMeta(r))
	if err != nil {
		h.refuseErr(c, app, err)
		return nil, nil
	}
	return c, sess
}

// newConn wraps an upgraded socket, taking over the bytes the HTTP server
// read past the handshake.
func (h *Handler) newConn(nc net.Conn, br *bufio.Reader, app *hub.App) *conn {
	var buffered []byte
	if n := br.Buffered(); n > 0 {
		buffered, _ = br.Peek(n)
		buffered = append([]byte(nil), buffered...)
	}
	maxMsg, appID := pusher.DefaultLimits.MaxMessageBytes, ""
	if app != nil {
		maxMsg, appID = app.Limits.WithDefaults().MaxMessageBytes, app.ID
	}
	return newConn(nc, &h.opts, appID, maxMsg, buffered)
}

// connMeta returns what the hub needs to know about the request.
func connMeta(r *http.Request) hub.ConnMeta {
	meta := hub.ConnMeta{RemoteAddr: r.RemoteAddr}
	meta.Protocol, meta.HasProtocol = protocolParam(r.URL)
	return meta
}

// refuseErr refuses c with an Open error: a *pusher.Error as is, anything
// else as 4200 (reconnect).
func (h *Handler) refuseErr(c *conn, app *hub.App, err error) {
	var pe *pusher.Error
	if !errors.As(err, &pe) {
		h.opts.Logger.Warn("wsconn: open failed", "app", app.ID, "err", err)
		pe = pusher.NewCloseError(pusher.CodeReconnect, "server error, reconnect")
	}
	h.refuse(c, pe)
}

// refuse sends pusher:error and closes with its code, without a session.
func (h *Handler) refuse(c *conn, pe *pusher.Error) {
	h.opts.Logger.Debug("wsconn: connection refused", "code", int(pe.Code), "reason", pe.Message)
	c.closeWith(closeRequest{code: pe.Code, reason: pe.Message, errorEvent: true})
	go c.finish(nil)
}

// upgradePrepared is the fast path of ServeHTTP for a known app and an
// Engine that prepares sessions. It handles only handshakes that gobwas/ws
// would accept with the same response (validUpgrade); for anything else it
// returns handled=false before touching the connection, and upgradeOpen
// answers with gobwas/ws's exact HTTP error. Otherwise it hijacks the
// connection and writes the 101 response followed by connection_established
// (or only the 101 when the engine refuses, then pusher:error and a close
// frame) in one write, bounded by HandshakeTimeout like the upgrader's.
func (h *Handler) upgradePrepared(w http.ResponseWriter, r *http.Request, app *hub.App, pe preparer) (c *conn, sess Session, handled bool) {
	nonce, ok := validUpgrade(r)
	if !ok {
		return nil, nil, false
	}
	nc, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return nil, nil, false // not hijackable: the upgrader reports it
	}
	c = h.newConn(nc, rw.Reader, app)
	out := appendUpgradeResponse(make([]byte, 0, upgradeBufferSize), nonce)
	s, out, err := pe.Prepare(app, c, connMeta(r), out)
	_ = nc.SetDeadline(time.Now().Add(h.opts.HandshakeTimeout))
	_, werr := nc.Write(out)
	_ = nc.SetDeadline(time.Time{})
	switch {
	case werr != nil:
		h.opts.Logger.Debug("wsconn: upgrade failed", "remote", r.RemoteAddr, "err", werr)
		_ = nc.Close()
		if cc, ok := s.(codeCloser); ok { // never started: undo Prepare's count
			cc.CloseWith(closeAbnormal)
		} else if s != nil {
			s.Close()
		}
		return nil, nil, true
	case err != nil:
		h.refuseErr(c, app, err)
		return nil, nil, true
	}
	s.Start()
	return c, s, true
}

// upgradeBufferSize holds the 101 response and connection_established.
const upgradeBufferSize = 256

// Canonical header keys of the WebSocket handshake.
const (
	headerUpgrade    = "Upgrade"
	headerConnection = "Connection"
	headerSecKey     = "Sec-Websocket-Key"
	headerSecVersion = "Sec-Websocket-Version"
)

// validUpgrade reports whether r is a WebSocket handshake that gobwas/ws's
// HTTPUpgrader (as NewHandler configures it: no subprotocols, extensions
// or extra headers) accepts, and returns its Sec-WebSocket-Key. It accepts
// a subset of what the upgrader accepts: GET, HTTP/1.1 or later, a Host,
// "Upgrade: websocket" (any case), a Connection header listing the
// "upgrade" token, a 24-byte key and version 13.
func validUpgrade(r *http.Request) (string, bool) {
	if r.Method != http.MethodGet || !r.ProtoAtLeast(1, 1) || r.Host == "" {
		return "", false
	}
	if !strings.EqualFold(firstHeader(r.Header, headerUpgrade), "websocket") ||
		!hasUpgradeToken(firstHeader(r.Header, headerConnection)) ||
		firstHeader(r.Header, headerSecVersion) != "13" {
		return "", false
	}
	nonce := firstHeader(r.Header, headerSecKey)
	if len(nonce) != 24 {
		return "", false
	}
	return nonce, true
}

// firstHeader returns the first value of canonical key k, as the upgrader
// reads headers.
func firstHeader(h http.Header, k string) string {
	if v := h[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// hasUpgradeToken reports whether v, a comma-separated list of tokens with
// optional spaces or tabs around them, holds "upgrade" in any case. A
// value with anything else (quotes, parameters, empty elements) is left to
// the upgrader.
func hasUpgradeToken(v string) bool {
	found := false
	for v != "" {
		var tok string
		tok, v, _ = strings.Cut(v, ",")
		tok = strings.Trim(tok, " \t")
		if tok == "" || !isToken(tok) {
			return false
		}
		found = found || strings.EqualFold(tok, "upgrade")
	}
	return found
}

// isToken reports whether s consists of RFC 9110 tchar bytes.
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// wsAcceptGUID is RFC 6455's key suffix for Sec-WebSocket-Accept.
const wsAcceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// appendUpgradeResponse appends the 101 response the upgrader writes for
// nonce, byte for byte.
func appendUpgradeResponse(dst []byte, nonce string) []byte {
	var p [24 + len(wsAcceptGUID)]byte
	copy(p[copy(p[:], nonce):], wsAcceptGUID)
	sum := sha1.Sum(p[:])
	dst = append(dst, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "...)
	dst = base64.StdEncoding.AppendEncode(dst, sum[:])
	return append(dst, "\r\n\r\n"...)
}

// maxFastQueryParams bounds the query strings protocolParam scans itself;
// longer ones go through url.URL.Query (and its parameter-count limit).
const maxFastQueryParams = 32

// protocolParam returns the first "protocol" query value of u exactly as
// u.Query()["protocol"][0] would (pairs with a semicolon or a bad escape
// are skipped), without building the whole map.
func protocolParam(u *url.URL) (string, bool) {
	q := u.RawQuery
	if strings.Count(q, "&") >= maxFastQueryParams {
		if v, ok := u.Query()["protocol"]; ok {
			return v[0], true
		}
		return "", false
	}
	for q != "" {
		var pair string
		pair, q, _ = strings.Cut(q, "&")
		if pair == "" || strings.Contains(pair, ";") {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		if k, err := url.QueryUnescape(k); err != nil || k != "protocol" {
			continue
		}
		if v, err := url.QueryUnescape(v); err == nil {
			return v, true
		}
	}
	return "", false
}
