package pogows

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

	"github.com/caddyserver/caddy/v2"

	"github.com/y-l-g/websocket/go/hub"
)

// instances holds the running hubs. A hub is keyed by its identity (the
// app ids and the options fixed at construction); handlers of successive
// configs with the same identity share it, so a reload keeps every live
// connection. The last release shuts it down gracefully (Destruct).
var instances = caddy.NewUsagePool()

// instance is one running hub with its app registry, webhook sink and
// broker, shared by every handler with the same identity.
type instance struct {
	key      string
	hub      *hub.Hub
	apps     *appRegistry
	webhooks *webhookSink
	log      *slog.Logger
	closers  []io.Closer
	releases []func()
}

// instanceKey is the identity of the hub a handler needs: options that
// cannot change without a new hub.
func instanceKey(s *settings) string {
	ids := make([]string, len(s.apps))
	for i, a := range s.apps {
		ids[i] = a.ID
	}
	slices.Sort(ids)
	redis := "memory"
	if r := s.redis; r != nil {
		redis = fmt.Sprintf("redis:%s/%d/tls=%t/cluster=%t/sentinel=%q/%x/%x", strings.Join(r.addrs(), ","), r.DB, r.TLS,
			r.Cluster, r.SentinelMaster, hashString(r.Password), hashString(r.URL))
	}
	return fmt.Sprintf("apps=%s shards=%d shardq=%d brokerq=%d maxconn=%d broker=%s whq=%d",
		strings.Join(ids, ","), s.numShards, s.shardQueueSize, s.brokerQueueSize, s.maxConnections, redis,
		s.webhook.queueSize)
}

// acquireInstance returns the shared instance for s, creating it if needed.
func acquireInstance(s *settings, log *slog.Logger) (*instance, error) {
	key := instanceKey(s)
	v, _, err := instances.LoadOrNew(key, func() (caddy.Destructor, error) {
		return newInstance(key, s, log)
	})
	if err != nil {
		return nil, err
	}
	return v.(*instance), nil
}

// releaseInstance drops one reference; the last one destructs.
func releaseInstance(inst *instance) {
	if _, err := instances.Delete(inst.key); err != nil {
		inst.log.Error("pogo_websocket: releasing hub", "error", err)
	}
}

func newInstance(key string, s *settings, log *slog.Logger) (*instance, error) {
	inst := &instance{key: key, apps: &appRegistry{initial: s.webhook}, log: log}
	inst.webhooks = newWebhookSink(s.webhook.queueSize, inst.apps.webhookSettings, inst.apps.webhookTarget, globalMetrics, log)
	cfg := hub.Config{
		Apps:           inst.apps,
		NumShards:      s.numShards,
		ShardQueueSize: s.shardQueueSize,
		MaxConnections: s.maxConnections,
		Webhooks:       inst.webhooks,
		Metrics:        globalMetrics,
		Logger:         log,
	}
	if s.redis != nil {
		closer, err := configureRedis(&cfg, s, log)
		if err != nil {
			return nil, err
		}
		inst.closers = append(inst.closers, closer)
	}
	h, err := hub.New(cfg)
	if err != nil {
		for _, c := range inst.closers {
			_ = c.Close()
		}
		return nil, fmt.Errorf("pogo_websocket: starting hub: %w", err)
	}
	inst.hub = h
	inst.webhooks.stillCurrent = h.StillCurrent
	inst.webhooks.start()
	if bind := publisherBinder(); bind != nil {
		for _, a := range s.apps {
			inst.releases = append(inst.releases, bind(a.ID, h))
		}
	}
	log.Info("pogo_websocket: hub started", "apps", len(s.apps), "identity", key)
	return inst, nil
}

// Destruct shuts the hub down gracefully: every client gets close 4200
// (reconnect) within shutdown_timeout; then webhooks still held are
// flushed and delivered within the same budget, and the broker closes.
func (inst *instance) Destruct() error {
	for _, release := range inst.releases {
		release()
	}
	timeout := inst.apps.snapshot().shutdownTimeout
	if timeout <= 0 {
		timeout = DefaultShutdownTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := inst.hub.Shutdown(ctx)
	if cerr := inst.hub.Close(); err == nil {
		err = cerr
	}
	inst.webhooks.Close(ctx)
	for _, c := range inst.closers {
		if cerr := c.Close(); err == nil {
			err = cerr
		}
	}
	inst.log.Info("pogo_websocket: hub stopped", "identity", inst.key, "error", err)
	return err
}

// stats returns a snapshot of every app of the instance.
func (inst *instance) stats() map[string]hub.AppStats {
	out := map[string]hub.AppStats{}
	for id := range inst.apps.snapshot().byID {
		out[id] = inst.hub.Stats(id)
	}
	return out
}
