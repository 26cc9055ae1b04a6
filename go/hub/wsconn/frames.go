package wsconn

import (
	"encoding/binary"
	"encoding/json"
	"unicode/utf8"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

// WebSocket opcodes (RFC 6455 §5.2).
const (
	opContinuation = 0x0
	opText         = 0x1
	opBinary       = 0x2
	opClose        = 0x8
	opPing         = 0x9
	opPong         = 0xA
)

// WebSocket close codes used by the transport (RFC 6455 §7.4.1).
const (
	closeNormal          pusher.Code = 1000
	closeProtocolError   pusher.Code = 1002
	closeUnsupportedData pusher.Code = 1003
	closeNoStatus        pusher.Code = 1005 // never sent: "no code in the client's close frame"
	closeAbnormal        pusher.Code = 1006 // never sent: reported to metrics when the socket just ended
	closeInvalidPayload  pusher.Code = 1007
	closeTooBig          pusher.Code = 1009
)

// maxControlPayload is the largest payload of a control frame.
const maxControlPayload = 125

// serverPingFrame is an empty WebSocket ping; shared by all connections.
var serverPingFrame = []byte{0x80 | opPing, 0}

// controlFrame returns an unmasked control frame with payload (at most 125 bytes).
func controlFrame(op byte, payload []byte) []byte {
	f := make([]byte, 2, 2+len(payload))
	f[0] = 0x80 | op
	f[1] = byte(len(payload))
	return append(f, payload...)
}

// closeFrame returns a close frame with code and reason; closeNoStatus gives
// an empty body. The reason is cut at a rune boundary to fit 123 bytes.
func closeFrame(code pusher.Code, reason string) []byte {
	if code == closeNoStatus {
		return controlFrame(opClose, nil)
	}
	reason = truncateUTF8(reason, maxControlPayload-2)
	body := make([]byte, 2, 2+len(reason))
	binary.BigEndian.PutUint16(body, uint16(code))
	return controlFrame(opClose, append(body, reason...))
}

// textFrame returns payload as one unmasked, final text frame.
func textFrame(payload []byte) []byte {
	n := len(payload)
	var f []byte
	switch {
	case n < 126:
		f = append(make([]byte, 0, 2+n), 0x80|opText, byte(n))
	case n <= 0xFFFF:
		f = append(make([]byte, 0, 4+n), 0x80|opText, 126, byte(n>>8), byte(n))
	default:
		f = make([]byte, 10, 10+n)
		f[0], f[1] = 0x80|opText, 127
		binary.BigEndian.PutUint64(f[2:], uint64(n))
	}
	return append(f, payload...)
}

type errorData struct {
	Code    *int   `json:"code"` // null for WebSocket-level errors (close codes below 4000)
	Message string `json:"message"`
}

type errorEvent struct {
	Event string    `json:"event"`
	Data  errorData `json:"data"`
}

// errorFrame returns the pusher:error event {"code":code,"message":msg} as a
// text frame. As in Pusher's protocol, its data is an object, not a string.
func errorFrame(code pusher.Code, msg string) []byte {
	d := errorData{Message: msg}
	if code >= 4000 {
		c := int(code)
		d.Code = &c
	}
	b, err := json.Marshal(errorEvent{Event: pusher.EventError, Data: d})
	if err != nil { // cannot happen: only strings and ints
		panic(err)
	}
	return textFrame(b)
}

// truncateUTF8 returns at most n bytes of s without splitting a rune.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// validCloseCode reports whether a client may send code in a close frame
// (RFC 6455 §7.4).
func validCloseCode(code int) bool {
	switch {
	case code >= 1000 && code <= 1003, code >= 1007 && code <= 1011:
		return true
	case code >= 3000 && code <= 4999:
		return true
	}
	return false
}
