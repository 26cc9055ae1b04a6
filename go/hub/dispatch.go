package hub

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

// ErrInvalidMessage is wrapped by parse errors of inbound messages.
var ErrInvalidMessage = errors.New("hub: invalid message")

// Inbound is one parsed client message: {"event":..., "channel"?:...,
// "data"?:...}. Data is the raw JSON value (object, string, ...) or nil.
type Inbound struct {
	Event   string          `json:"event"`
	Channel string          `json:"channel,omitempty"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// ParseInbound decodes one client message. It fails (wrapping
// ErrInvalidMessage) on anything but a JSON object with a non-empty string
// "event" and, when present, a string "channel". The result does not alias
// msg.
func ParseInbound(msg []byte) (Inbound, error) { return parseInbound(msg, false) }

// parseInbound is ParseInbound; with alias, Data may be a sub-slice of msg
// (Handle uses it: msg outlives the dispatch and nothing keeps Data).
func parseInbound(msg []byte, alias bool) (Inbound, error) {
	if in, ok := parseInboundFast(msg, alias); ok {
		return in, nil
	}
	var in Inbound
	if err := json.Unmarshal(msg, &in); err != nil {
		return Inbound{}, fmt.Errorf("%w: %v", ErrInvalidMessage, err)
	}
	if in.Event == "" {
		return Inbound{}, fmt.Errorf("%w: missing event", ErrInvalidMessage)
	}
	if bytes.Equal(in.Data, []byte("null")) {
		in.Data = nil
	}
	return in, nil
}

// dataString returns a client event's data as subscribers receive it: a JSON
// string's value, or any other JSON value's text (Pusher stringifies object
// data of client events).
func dataString(raw json.RawMessage) (string, error) {
	if len(raw) == 0 {
		return "", nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", fmt.Errorf("%w: %v", ErrInvalidMessage, err)
		}
		return s, nil
	}
	return string(raw), nil
}

// Handle processes one inbound text message. The transport calls it from a
// single goroutine, in order, with a buffer it may reuse afterwards: the
// session copies what it keeps.
//
// Malformed input (not JSON, no event, oversized) is answered with a
// pusher:error whose code is null and the connection stays open: a client
// that sends one bad frame is more likely buggy than hostile, and the
// transport already caps message size and rate. Unknown pusher: and
// pusher_internal: events get the same treatment.
func (s *Session) Handle(msg []byte) {
	s.h.metrics.MessageReceived(s.app.ID)
	if len(msg) > s.lim.MaxMessageBytes {
		s.sendError(0, fmt.Sprintf("Message too large: %d bytes (limit %d)", len(msg), s.lim.MaxMessageBytes))
		return
	}
	in, err := parseInbound(msg, true)
	if err != nil {
		s.sendError(0, "Invalid message format")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.dispatch(&in)
}

// dispatch calls the handler of in.Event. Callers hold s.mu.
func (s *Session) dispatch(in *Inbound) {
	switch in.Event {
	case pusher.EventPing:
		s.send(&serverEvent{Event: pusher.EventPong, Data: "{}"})
	case pusher.EventPong:
		// Liveness is the transport's job: any inbound message counts.
	case pusher.EventSubscribe:
		s.handleSubscribe(in.Data)
	case pusher.EventUnsubscribe:
		s.handleUnsubscribe(in.Data)
	case pusher.EventSignin:
		s.handleSignin(in.Data)
	default:
		if strings.HasPrefix(in.Event, pusher.PrefixClientEvent) {
			s.handleClientEvent(in)
			return
		}
		s.sendError(0, "Unsupported event: "+in.Event)
	}
}
