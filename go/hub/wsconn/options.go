package wsconn

import (
	"errors"
	"log/slog"
	"time"

	"github.com/y-l-g/websocket/go/hub"
)

// Defaults of Options; they match the seed's Caddyfile (ping_period 54s,
// pong_wait 60s, write_wait 10s).
const (
	DefaultPingPeriod       = 54 * time.Second
	DefaultPongWait         = 60 * time.Second
	DefaultWriteWait        = 10 * time.Second
	DefaultWriteQueueBytes  = 1 << 20 // 1 MiB
	DefaultCloseGrace       = 2 * time.Second
	DefaultHandshakeTimeout = 10 * time.Second
)

// ErrInvalidOptions is returned (wrapped) by NewHandler for an unusable configuration.
var ErrInvalidOptions = errors.New("wsconn: invalid options")

// Options configure a Handler. A zero or negative field takes its default.
type Options struct {
	// PingPeriod is the client silence after which the server pings
	// (pusher:ping and a WebSocket ping). Default 54s.
	PingPeriod time.Duration
	// PongWait is the silence, counted from the last inbound frame, after
	// which the connection is closed with 4201 (the seed's 54s/60s leave the
	// client 6s to answer the ping). When PongWait is not longer than
	// PingPeriod it is counted from the ping instead (ping_period 1s,
	// pong_wait 1s: ping after 1s of silence, close 1s later). Default 60s.
	PongWait time.Duration
	// WriteWait bounds every socket write. Default 10s.
	WriteWait time.Duration
	// WriteQueueBytes bounds the bytes queued for one connection; beyond it
	// the client is a slow consumer (4101). Default 1 MiB. A single frame
	// larger than the bound is always refused.
	WriteQueueBytes int
	// CloseGrace is how long, after the close frame was sent, the server
	// waits for the client to close its side before closing the socket.
	// Default 2s.
	CloseGrace time.Duration
	// HandshakeTimeout bounds writing the HTTP upgrade response. Default 10s.
	HandshakeTimeout time.Duration
	// Logger receives debug logs about upgrades and closes.
	// Default slog.Default().
	Logger *slog.Logger
	// Metrics receives Dropped(appID, DropWriteFailed) when a write fails
	// or misses WriteWait and the connection is torn down (slow consumers
	// are counted by the hub, which sees hub.ErrSlowConsumer). Default: none.
	Metrics hub.Metrics
}

// DropWriteFailed is the Metrics.Dropped reason of a failed or timed-out write.
const DropWriteFailed = "write_failed"

// withDefaults fills zero fields and checks consistency.
func (o Options) withDefaults() (Options, error) {
	if o.PingPeriod <= 0 {
		o.PingPeriod = DefaultPingPeriod
	}
	if o.PongWait <= 0 {
		o.PongWait = DefaultPongWait
	}
	if o.WriteWait <= 0 {
		o.WriteWait = DefaultWriteWait
	}
	if o.WriteQueueBytes <= 0 {
		o.WriteQueueBytes = DefaultWriteQueueBytes
	}
	if o.CloseGrace <= 0 {
		o.CloseGrace = DefaultCloseGrace
	}
	if o.HandshakeTimeout <= 0 {
		o.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Metrics == nil {
		o.Metrics = hub.NopMetrics{}
	}
	return o, nil
}

// pongDeadline returns when a connection whose last inbound frame arrived
// at last, and which was pinged at last+PingPeriod, is closed with 4201.
func (o *Options) pongDeadline(last time.Time) time.Time {
	if o.PongWait > o.PingPeriod {
		return last.Add(o.PongWait)
	}
	return last.Add(o.PingPeriod + o.PongWait)
}
