package hub

import (
	"strings"
	"sync"
	"time"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

// expiryCountDelay gathers the expiries of a dead node's subscriptions to
// one channel (a store reports them one by one, often hundreds at once)
// into a single subscription_count event.
const expiryCountDelay = 100 * time.Millisecond

// expiryCounts tracks the channels whose subscription_count is scheduled
// after expiries.
type expiryCounts struct {
	mu      sync.Mutex
	pending map[chanKey]struct{}
}

// countAfterExpiry schedules, on the node an ExpiringStore picked, one
// cluster-wide pusher_internal:subscription_count (and webhook) for a
// channel that lost subscribers of a dead node but is still occupied, as a
// normal unsubscribe would have sent. Only for apps with subscription
// counts, non-presence channels and stores that count.
func (h *Hub) countAfterExpiry(app *App, pseudo string) {
	name := strings.TrimPrefix(pseudo, occupancyPrefix)
	if !app.SubscriptionCount || pusher.KindOf(name) == pusher.KindPresence || !h.clusterCounts() {
		return
	}
	k := chanKey{app.ID, name}
	h.expiry.mu.Lock()
	if _, ok := h.expiry.pending[k]; ok {
		h.expiry.mu.Unlock()
		return
	}
	if h.expiry.pending == nil {
		h.expiry.pending = make(map[chanKey]struct{})
	}
	h.expiry.pending[k] = struct{}{}
	h.expiry.mu.Unlock()
	time.AfterFunc(expiryCountDelay, func() {
		h.expiry.mu.Lock()
		delete(h.expiry.pending, k)
		h.expiry.mu.Unlock()
		if !h.closed.Load() {
			h.sendClusterCount(app, name)
		}
	})
}
