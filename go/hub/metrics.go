package hub

import "github.com/y-l-g/websocket/go/hub/pusher"

// NopMetrics discards every counter. It is the default Config.Metrics.
type NopMetrics struct{}

// ConnectionOpened implements Metrics.
func (NopMetrics) ConnectionOpened(string) {}

// ConnectionClosed implements Metrics.
func (NopMetrics) ConnectionClosed(string, pusher.Code) {}

// MessageReceived implements Metrics.
func (NopMetrics) MessageReceived(string) {}

// MessagesSent implements Metrics.
func (NopMetrics) MessagesSent(string, int) {}

// Published implements Metrics.
func (NopMetrics) Published(string, Status) {}

// Dropped implements Metrics.
func (NopMetrics) Dropped(string, string) {}

// Reasons passed to Metrics.Dropped.
const (
	DropSlowConsumer   = "slow_consumer"    // a subscriber's write queue was full
	DropShardQueueFull = "shard_queue_full" // a delivery did not fit a shard queue
	DropClientEvent    = "client_event"     // a client event was rejected
	DropUnknownApp     = "unknown_app"      // a brokered message named an unknown app
	DropBrokerFailed   = "broker_failed"    // an internal event could not be brokered
)

var _ Metrics = NopMetrics{}
