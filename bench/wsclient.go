package main

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"
)

// Handshake errors.
var (
	errUpgradeRefused = errors.New("websocket upgrade refused")
	errServerClosed   = errors.New("server closed the connection during the handshake")
	errServerError    = errors.New("server sent pusher:error during the handshake")
)

// wsKey is the Sec-WebSocket-Key every client sends (servers do not care
// that it is not random) and wsAccept the answer it requires.
const wsKey = "cG9nby1iZW5jaC1rZXkhIQ=="

var wsAccept = func() string {
	h := sha1.Sum([]byte(wsKey + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	return base64.StdEncoding.EncodeToString(h[:])
}()

// dialer dials the server from a rotating set of 127.0.0.x source
// addresses so that tens of thousands of connections do not exhaust the
// ephemeral ports of one address.
type dialer struct {
	addr    string // server host:port
	key     string // app key
	sources []net.IP
	offset  int // added to the connection number to pick the source
}

// newDialer returns a dialer for addr with n source addresses 127.0.0.1..n
// (n is clamped to 1..250).
func newDialer(addr, key string, n int) *dialer {
	n = max(1, min(n, 250))
	d := &dialer{addr: addr, key: key}
	for i := 1; i <= n; i++ {
		d.sources = append(d.sources, net.IPv4(127, 0, 0, byte(i)))
	}
	return d
}

// wsConn is a connection after the Pusher handshake: the socket, the
// bytes read past the last handshake frame and the socket id.
type wsConn struct {
	net.Conn
	rest     []byte
	socketID string
}

// connect opens connection number i: TCP connect, WebSocket upgrade,
// pusher:connection_established, then one pusher:subscribe per channel
// and its pusher_internal:subscription_succeeded. Everything must finish
// before timeout; the error says which step failed.
func (d *dialer) connect(ctx context.Context, i int, channels []string, timeout time.Duration) (*wsConn, error) {
	nd := net.Dialer{Timeout: timeout, LocalAddr: &net.TCPAddr{IP: d.sources[(i+d.offset)%len(d.sources)]}}
	c, err := nd.DialContext(ctx, "tcp", d.addr)
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	_ = c.SetDeadline(time.Now().Add(timeout))
	w := &wsConn{Conn: c}
	if err := w.handshake(d.addr, d.key, channels); err != nil {
		_ = c.Close()
		return nil, err
	}
	_ = c.SetDeadline(time.Time{})
	return w, nil
}

// handshake runs the upgrade and the Pusher steps on an open socket.
func (w *wsConn) handshake(host, key string, channels []string) error {
	req := "GET /app/" + key + "?protocol=7&client=pogo-bench&version=1.0&flash=false HTTP/1.1\r\n" +
		"Host: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + wsKey + "\r\nSec-WebSocket-Version: 13\r\n\r\n"
	if _, err := w.Write([]byte(req)); err != nil {
		return fmt.Errorf("write upgrade: %w", err)
	}
	buf := make([]byte, 0, 4096)
	buf, err := w.readUpgrade(buf)
	if err != nil {
		return err
	}
	msg, buf, err := w.nextText(buf)
	if err != nil {
		return fmt.Errorf("connection_established: %w", err)
	}
	w.socketID = socketIDOf(msg)
	if w.socketID == "" {
		return fmt.Errorf("connection_established: unexpected first message %.200q", msg)
	}
	var out []byte
	for _, ch := range channels {
		out = appendClientFrame(out, opText, subscribeJSON(ch))
	}
	if len(out) > 0 {
		if _, err := w.Write(out); err != nil {
			return fmt.Errorf("write subscribe: %w", err)
		}
	}
	for ok := 0; ok < len(channels); {
		if msg, buf, err = w.nextText(buf); err != nil {
			return fmt.Errorf("subscribe: %w", err)
		}
		if bytes.Contains(msg, []byte(`pusher_internal:subscription_succeeded`)) {
			ok++
		}
	}
	w.rest = buf
	return nil
}

// readUpgrade reads the HTTP response head and checks the 101 status and
// the accept key; it returns what was read after the head.
func (w *wsConn) readUpgrade(buf []byte) ([]byte, error) {
	for {
		if i := bytes.Index(buf, []byte("\r\n\r\n")); i >= 0 {
			head := buf[:i]
			if !bytes.HasPrefix(head, []byte("HTTP/1.1 101")) {
				line, _, _ := bytes.Cut(head, []byte("\r\n"))
				return nil, fmt.Errorf("%w: %s", errUpgradeRefused, line)
			}
			if !bytes.Contains(head, []byte(wsAccept)) {
				return nil, fmt.Errorf("%w: bad Sec-WebSocket-Accept", errUpgradeRefused)
			}
			return append([]byte(nil), buf[i+4:]...), nil
		}
		var err error
		if buf, err = readMore(w.Conn, buf); err != nil {
			return nil, fmt.Errorf("read upgrade response: %w", err)
		}
	}
}

// nextText returns the next text message, answering pings on the way.
func (w *wsConn) nextText(buf []byte) (msg, rest []byte, err error) {
	for {
		op, payload, n, ok, err := parseFrame(buf)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			if buf, err = readMore(w.Conn, buf); err != nil {
				return nil, nil, err
			}
			continue
		}
		switch op {
		case opText:
			if bytes.Contains(payload, []byte(`"pusher:error"`)) {
				return nil, nil, fmt.Errorf("%w: %.200s", errServerError, payload)
			}
			return payload, buf[n:], nil
		case opClose:
			return nil, nil, fmt.Errorf("%w (close code %d)", errServerClosed, closeCode(payload))
		case opPing:
			_, _ = w.Write(appendClientFrame(nil, opPong, payload))
		}
		buf = buf[n:]
	}
}

// readMore appends one read from c to buf.
func readMore(c net.Conn, buf []byte) ([]byte, error) {
	if len(buf) == cap(buf) {
		buf = append(buf, 0)[:len(buf)]
	}
	n, err := c.Read(buf[len(buf):cap(buf)])
	buf = buf[:len(buf)+n]
	if n > 0 {
		return buf, nil
	}
	return buf, err
}

// subscribeJSON is the pusher:subscribe event for a public channel.
func subscribeJSON(channel string) []byte {
	return []byte(`{"event":"pusher:subscribe","data":{"channel":` + strconv.Quote(channel) + `,"auth":""}}`)
}

// socketIDOf extracts the socket id from a connection_established
// message, "" when msg is not one.
func socketIDOf(msg []byte) string {
	if !bytes.Contains(msg, []byte("pusher:connection_established")) {
		return ""
	}
	i := bytes.Index(msg, []byte(`socket_id`))
	if i < 0 {
		return ""
	}
	rest := msg[i:]
	start := bytes.IndexFunc(rest, func(r rune) bool { return r >= '0' && r <= '9' })
	if start < 0 {
		return ""
	}
	end := start
	for end < len(rest) && (rest[end] == '.' || rest[end] >= '0' && rest[end] <= '9') {
		end++
	}
	return string(rest[start:end])
}
