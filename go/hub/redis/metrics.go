package redis

// Metrics observes a Node's Redis connection. Implementations must be
// cheap and safe for concurrent use.
type Metrics interface {
	// Connected reports the subscriber connection going up or down.
	Connected(up bool)
	// Reconnect counts one attempt to re-establish the subscription.
	Reconnect()
	// PublishFailed counts one failed publish; reason is one of the
	// Fail* constants.
	PublishFailed(reason string)
	// Expired counts connections removed on behalf of dead nodes.
	Expired(n int)
}

// Reasons passed to Metrics.PublishFailed.
const (
	FailQueueFull   = "queue_full"  // the outgoing queue had no room (status 8)
	FailUnavailable = "unavailable" // the subscriber is disconnected: fail fast (status 6)
	FailTimeout     = "timeout"     // the caller's deadline passed first (status 6)
	FailError       = "error"       // Redis answered with an error or the connection broke (status 6)
)

// NopMetrics discards everything; the default Config.Metrics.
type NopMetrics struct{}

// Connected implements Metrics.
func (NopMetrics) Connected(bool) {}

// Reconnect implements Metrics.
func (NopMetrics) Reconnect() {}

// PublishFailed implements Metrics.
func (NopMetrics) PublishFailed(string) {}

// Expired implements Metrics.
func (NopMetrics) Expired(int) {}

var _ Metrics = NopMetrics{}
