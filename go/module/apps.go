package pogows

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/y-l-g/websocket/go/hub"
)

// appSnapshot is one handler's view of its apps.
type appSnapshot struct {
	byID, byKey map[string]*hub.App
	webhooks    map[string]webhookTarget // by app id
	webhook     webhookSettings
	// shutdownTimeout bounds the graceful shutdown of the hub.
	shutdownTimeout time.Duration
}

func newAppSnapshot(apps []AppConfig, ws webhookSettings, shutdownTimeout time.Duration) *appSnapshot {
	s := &appSnapshot{
		webhook:         ws,
		shutdownTimeout: shutdownTimeout,
		byID:            make(map[string]*hub.App, len(apps)),
		byKey:           make(map[string]*hub.App, len(apps)),
		webhooks:        make(map[string]webhookTarget, len(apps)),
	}
	for i := range apps {
		a := apps[i].toHub()
		s.byID[a.ID], s.byKey[a.Key] = a, a
		s.webhooks[a.ID] = webhookTarget{appID: a.ID, key: a.Key, secret: apps[i].WebhookSecret, urls: apps[i].WebhookURLs}
	}
	return s
}

// appRegistry is the hub's AppProvider across config reloads. Every
// provisioned handler pushes its snapshot and pops it at cleanup; the
// effective snapshot is the most recently pushed one still alive (after the
// last pop, the last one popped). So a reload swaps secrets, keys, limits
// and timings without restarting the hub, and a reload whose provisioning
// fails falls back to the running config.
type appRegistry struct {
	initial webhookSettings // used when no handler holds the registry
	mu      sync.Mutex
	entries []registryEntry
	current atomic.Pointer[appSnapshot]
}

type registryEntry struct {
	owner any
	snap  *appSnapshot
}

func (r *appRegistry) push(owner any, s *appSnapshot) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.entries = append(r.entries, registryEntry{owner, s})
	r.current.Store(s)
}

func (r *appRegistry) pop(owner any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.entries) - 1; i >= 0; i-- {
		if r.entries[i].owner == owner {
			r.entries = append(r.entries[:i], r.entries[i+1:]...)
			break
		}
	}
	if n := len(r.entries); n > 0 {
		r.current.Store(r.entries[n-1].snap)
	}
}

func (r *appRegistry) snapshot() *appSnapshot {
	if s := r.current.Load(); s != nil {
		return s
	}
	return &appSnapshot{webhook: r.initial}
}

// webhookSettings returns the current webhook timing settings.
func (r *appRegistry) webhookSettings() webhookSettings {
	return r.snapshot().webhook
}

// ByID implements hub.AppProvider.
func (r *appRegistry) ByID(id string) (*hub.App, bool) {
	a, ok := r.snapshot().byID[id]
	return a, ok
}

// ByKey implements hub.AppProvider.
func (r *appRegistry) ByKey(key string) (*hub.App, bool) {
	a, ok := r.snapshot().byKey[key]
	return a, ok
}

// webhookTarget returns the current webhook configuration of an app.
func (r *appRegistry) webhookTarget(appID string) (webhookTarget, bool) {
	t, ok := r.snapshot().webhooks[appID]
	return t, ok
}

var _ hub.AppProvider = (*appRegistry)(nil)
