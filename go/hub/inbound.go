package hub

import (
	"encoding/json"
	"unicode/utf8"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

// This file holds the fast path of inbound decoding. Almost every client
// message has the shapes pusher-js sends: {"event":"...","data":...} with
// plain strings (no escapes) and, for subscribe and unsubscribe, data that
// is a flat object of plain strings. Those are decoded here without
// reflection or allocation; anything else (escapes, null or non-string
// values where strings are expected, unknown or differently cased keys)
// makes the fast path give up, and the caller decodes with encoding/json as
// before. The fast path therefore never changes a result: whenever it
// answers, encoding/json would have produced the same value (a differential
// fuzz test checks this).

// jsonScan is a cursor over a JSON text that is already known to be valid
// (checked with json.Valid, or a sub-value of such a text), so scanning
// only has to find boundaries, not to validate.
type jsonScan struct {
	b []byte
	i int
}

// skipSpace advances past JSON whitespace.
func (s *jsonScan) skipSpace() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\r', '\n':
			s.i++
		default:
			return
		}
	}
}

// str scans the string literal at s.i (an opening quote) and returns it
// with its quotes.
func (s *jsonScan) str() []byte {
	start := s.i
	s.i++
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case '\\':
			s.i += 2
		case '"':
			s.i++
			return s.b[start:s.i]
		default:
			s.i++
		}
	}
	return s.b[start:]
}

// value scans the value at s.i and returns its raw bytes.
func (s *jsonScan) value() []byte {
	start := s.i
	if s.i >= len(s.b) {
		return nil
	}
	switch s.b[s.i] {
	case '"':
		return s.str()
	case '{', '[':
		depth := 0
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case '"':
				s.str()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
			s.i++
			if depth == 0 {
				break
			}
		}
	default: // number, true, false, null
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				return s.b[start:s.i]
			}
			s.i++
		}
	}
	return s.b[start:s.i]
}

// object calls f with the key (without quotes) and raw value of each member
// of the object that the scanned text consists of. It reports false when
// the text is not an object, a key has escapes, or f returned false.
func (s *jsonScan) object(f func(key, raw []byte) bool) bool {
	s.skipSpace()
	if s.i >= len(s.b) || s.b[s.i] != '{' {
		return false
	}
	s.i++
	for {
		s.skipSpace()
		if s.i >= len(s.b) {
			return false
		}
		switch s.b[s.i] {
		case '}':
			s.i++
			return true
		case ',':
			s.i++
			continue
		}
		key, ok := plainString(s.str())
		if !ok {
			return false
		}
		s.skipSpace()
		s.i++ // ':'
		s.skipSpace()
		if !f(key, s.value()) {
			return false
		}
	}
}

// plainString returns the contents of raw when it is a string literal that
// encoding/json would decode to exactly those bytes: no escapes and valid
// UTF-8 (invalid bytes would become U+FFFD).
func plainString(raw []byte) ([]byte, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return nil, false
	}
	body := raw[1 : len(raw)-1]
	ascii := true
	for _, c := range body {
		if c == '\\' {
			return nil, false
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	if !ascii && !utf8.Valid(body) {
		return nil, false
	}
	return body, true
}

// eventName returns b as a string, without allocating for the events
// clients send all the time.
func eventName(b []byte) string {
	switch string(b) {
	case pusher.EventSubscribe:
		return pusher.EventSubscribe
	case pusher.EventUnsubscribe:
		return pusher.EventUnsubscribe
	case pusher.EventPing:
		return pusher.EventPing
	case pusher.EventPong:
		return pusher.EventPong
	case pusher.EventSignin:
		return pusher.EventSignin
	}
	return string(b)
}

// parseInboundFast decodes the common shapes of client messages (see the
// top of this file). It reports false when msg must go through
// encoding/json, which includes every invalid message. With alias, Data
// is a sub-slice of msg; otherwise it is a copy.
func parseInboundFast(msg []byte, alias bool) (Inbound, bool) {
	if !json.Valid(msg) {
		return Inbound{}, false
	}
	var event, channel, data []byte
	sc := jsonScan{b: msg}
	ok := sc.object(func(key, raw []byte) bool {
		var ok bool
		switch string(key) {
		case "event":
			event, ok = plainString(raw)
		case "channel":
			channel, ok = plainString(raw)
		case "data":
			data, ok = raw, true
		}
		return ok
	})
	if !ok || len(event) == 0 {
		return Inbound{}, false
	}
	in := Inbound{Event: eventName(event), Channel: string(channel)}
	switch {
	case data == nil, string(data) == "null":
	case alias:
		in.Data = data
	default:
		in.Data = append(json.RawMessage(nil), data...)
	}
	return in, true
}

// decodeStrings decodes raw, a valid JSON object, into the string fields
// named by names (into dst[i] for names[i]) when every member is one of
// names (exact case) with a plain string value. It reports false
// otherwise; the caller then decodes with encoding/json, which handles
// every other case (escapes, nulls, case-insensitive keys, errors).
func decodeStrings(raw []byte, names []string, dst []*string) bool {
	sc := jsonScan{b: raw}
	return sc.object(func(key, val []byte) bool {
		for i, n := range names {
			if string(key) == n {
				v, ok := plainString(val)
				if ok {
					*dst[i] = string(v)
				}
				return ok
			}
		}
		return false
	})
}

var (
	subscribeKeys   = []string{"channel", "auth", "channel_data"}
	unsubscribeKeys = []string{"channel"}
)

// decodeSubscribe decodes pusher:subscribe's data (valid JSON, from
// ParseInbound) as json.Unmarshal would, reporting whether it succeeded.
func decodeSubscribe(raw json.RawMessage, req *subscribeRequest) bool {
	if len(raw) == 0 {
		return false
	}
	if decodeStrings(raw, subscribeKeys, []*string{&req.Channel, &req.Auth, &req.ChannelData}) {
		return true
	}
	var slow subscribeRequest // a separate variable keeps req off the heap on the fast path
	err := json.Unmarshal(raw, &slow)
	*req = slow
	return err == nil
}

// decodeUnsubscribe is decodeSubscribe for pusher:unsubscribe.
func decodeUnsubscribe(raw json.RawMessage, req *unsubscribeRequest) bool {
	if len(raw) == 0 {
		return false
	}
	if decodeStrings(raw, unsubscribeKeys, []*string{&req.Channel}) {
		return true
	}
	var slow unsubscribeRequest
	err := json.Unmarshal(raw, &slow)
	*req = slow
	return err == nil
}
