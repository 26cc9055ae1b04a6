package redis

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/y-l-g/websocket/go/hub"
)

// ErrDecode is wrapped by errors decoding a Pub/Sub payload.
var ErrDecode = errors.New("redis: undecodable envelope")

// wireEnvelope is the JSON form of a hub.Envelope on the Pub/Sub channel.
// Short names keep fan-out payloads small; every Message field is carried.
type wireEnvelope struct {
	Node     string   `json:"n"`
	App      string   `json:"a"`
	Channels []string `json:"c,omitempty"`
	Event    string   `json:"e"`
	Data     string   `json:"d,omitempty"`
	Except   string   `json:"x,omitempty"`
	User     string   `json:"u,omitempty"`
	CacheTTL int64    `json:"t,omitempty"` // milliseconds
}

func encodeEnvelope(e *hub.Envelope) ([]byte, error) {
	m := &e.Message
	return json.Marshal(wireEnvelope{
		Node: e.Node, App: m.AppID, Channels: m.Channels, Event: m.Event, Data: m.Data,
		Except: m.ExceptSocketID, User: m.UserID, CacheTTL: e.CacheTTL.Milliseconds(),
	})
}

func decodeEnvelope(b []byte) (*hub.Envelope, error) {
	var w wireEnvelope
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDecode, err)
	}
	if w.App == "" || w.Event == "" {
		return nil, fmt.Errorf("%w: missing app or event", ErrDecode)
	}
	return &hub.Envelope{
		Node: w.Node,
		Message: hub.Message{
			AppID: w.App, Channels: w.Channels, Event: w.Event, Data: w.Data,
			ExceptSocketID: w.Except, UserID: w.User,
		},
		CacheTTL: time.Duration(w.CacheTTL) * time.Millisecond,
	}, nil
}

// cachedValue is the JSON stored under a cache channel's key.
type cachedValue struct {
	Event string `json:"e"`
	Data  string `json:"d"`
}
