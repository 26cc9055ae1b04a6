package hub

import (
	"strconv"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// appendJSONString appends s to dst as a JSON string literal. Quotes,
// backslashes and control characters are escaped; invalid UTF-8 bytes are
// replaced by U+FFFD (as encoding/json does), so the output is always valid
// JSON. It allocates only when dst must grow.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			dst = appendEscapedByte(dst, c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

func appendEscapedByte(dst []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(dst, '\\', c)
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}

// serverEvent is a server-to-client event before encoding. Data is the
// event's data string (double-encoded on the wire); RawData, when set,
// replaces it with a raw JSON value (pusher:error carries an object).
type serverEvent struct {
	Event   string
	Channel string
	Data    string
	RawData []byte
	UserID  string
	NoData  bool // omit "data" entirely (pusher:cache_miss)
}

// appendEvent appends the JSON encoding of e to dst.
func appendEvent(dst []byte, e *serverEvent) []byte {
	dst = append(dst, `{"event":`...)
	dst = appendJSONString(dst, e.Event)
	if e.Channel != "" {
		dst = append(dst, `,"channel":`...)
		dst = appendJSONString(dst, e.Channel)
	}
	switch {
	case e.RawData != nil:
		dst = append(dst, `,"data":`...)
		dst = append(dst, e.RawData...)
	case !e.NoData:
		dst = append(dst, `,"data":`...)
		dst = appendJSONString(dst, e.Data)
	}
	if e.UserID != "" {
		dst = append(dst, `,"user_id":`...)
		dst = appendJSONString(dst, e.UserID)
	}
	return append(dst, '}')
}

// encodeFrame returns e as one complete server WebSocket text frame.
func encodeFrame(e *serverEvent) []byte {
	size := len(e.Event) + len(e.Channel) + len(e.Data) + len(e.RawData) + len(e.UserID) + 64
	buf := make([]byte, maxFrameHeader, maxFrameHeader+size+size/8)
	buf = appendEvent(buf, e)
	return finishFrame(buf)
}

// appendErrorData appends pusher:error's data object; code 0 encodes as null.
func appendErrorData(dst []byte, code int, msg string) []byte {
	dst = append(dst, `{"code":`...)
	if code == 0 {
		dst = append(dst, "null"...)
	} else {
		dst = strconv.AppendInt(dst, int64(code), 10)
	}
	dst = append(dst, `,"message":`...)
	dst = appendJSONString(dst, msg)
	return append(dst, '}')
}

func appendInt(dst []byte, n int) []byte { return strconv.AppendInt(dst, int64(n), 10) }
