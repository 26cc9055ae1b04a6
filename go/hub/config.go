package hub

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime"
)

// Config defaults.
const (
	DefaultShardQueueSize  = 1024
	DefaultActivityTimeout = 30 // seconds
	minShards              = 4
)

// ErrConfig is wrapped by every configuration error returned from New.
var ErrConfig = errors.New("hub: invalid config")

// withDefaults validates c and fills its zero fields.
func (c Config) withDefaults() (Config, error) {
	if c.Apps == nil {
		return c, fmt.Errorf("%w: Apps is required", ErrConfig)
	}
	if c.NumShards < 0 || c.ShardQueueSize < 0 || c.MaxConnections < 0 {
		return c, fmt.Errorf("%w: negative NumShards, ShardQueueSize or MaxConnections", ErrConfig)
	}
	if c.NodeID == "" {
		c.NodeID = "node-" + newSocketID()
	}
	if c.NumShards == 0 {
		c.NumShards = max(2*runtime.GOMAXPROCS(0), minShards)
	}
	if c.ShardQueueSize == 0 {
		c.ShardQueueSize = DefaultShardQueueSize
	}
	if c.Broker == nil {
		c.Broker = NewMemoryBroker()
	}
	if c.Presence == nil {
		c.Presence = NewMemoryPresence()
	}
	if c.Metrics == nil {
		c.Metrics = NopMetrics{}
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c, nil
}
