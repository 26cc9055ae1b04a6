package hub

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

// Control events travel through the Broker like messages (Channels empty)
// so that every node acts on them; they never reach clients.
const (
	controlPrefix        = "pogo_internal:"
	controlTerminateUser = controlPrefix + "terminate_user" // Message.UserID names the user
	controlWatchlist     = controlPrefix + "watchlist"      // UserID went Data ("online"/"offline")
)

// Publish validates m against the app's limits, hands it to the broker and
// returns the outcome. It never blocks beyond ctx and never on a socket.
//
// Checks, in order: app exists and is enabled (1); 1..MaxChannelsPerPublish
// channels, each a valid name (2); event non-empty and at most
// MaxEventNameLength (3); data at most MaxPayloadBytes (4). Broker errors map
// to 8 (ErrBrokerQueueFull), 9 (ErrShardQueueFull, from the memory broker's
// synchronous delivery; channels before the full one were delivered) or 6.
func (h *Hub) Publish(ctx context.Context, m Message) Status {
	st := h.publish(ctx, m)
	h.metrics.Published(m.AppID, st)
	return st
}

func (h *Hub) publish(ctx context.Context, m Message) Status {
	app, ok := h.cfg.Apps.ByID(m.AppID)
	if !ok || app == nil || app.Disabled {
		return StatusHubMissing
	}
	if st := validateMessage(&m, app.Limits.WithDefaults()); st != StatusOK {
		return st
	}
	if h.closed.Load() {
		return StatusBrokerFailed
	}
	err := h.broker.Publish(ctx, h.envelope(m))
	switch {
	case err == nil:
		return StatusOK
	case errors.Is(err, ErrBrokerQueueFull):
		return StatusBrokerQueueFull
	case errors.Is(err, ErrShardQueueFull):
		return StatusShardQueueFull
	}
	h.log.Debug("hub: broker publish failed", "app", m.AppID, "err", err)
	return StatusBrokerFailed
}

// validateMessage checks channels, event name and payload size.
func validateMessage(m *Message, lim pusher.Limits) Status {
	if len(m.Channels) == 0 || len(m.Channels) > lim.MaxChannelsPerPublish {
		return StatusChannelTooLong
	}
	for _, c := range m.Channels {
		if !pusher.ValidChannelName(c, lim.MaxChannelNameLength) {
			return StatusChannelTooLong
		}
	}
	if m.Event == "" || len(m.Event) > lim.MaxEventNameLength {
		return StatusEventTooLong
	}
	if len(m.Data) > lim.MaxPayloadBytes {
		return StatusPayloadTooLarge
	}
	return StatusOK
}

// deliver is the broker's entry into this node: control commands are
// executed; messages are encoded once per channel into a frame, stored as
// the channel's cached event (cache channels; pusher events excluded), and
// queued for the channel's shard when it has local subscribers. It returns
// the first error (wrapping ErrShardQueueFull) after trying every channel.
func (h *Hub) deliver(e *Envelope) error {
	m := &e.Message
	if strings.HasPrefix(m.Event, controlPrefix) {
		h.control(m)
		return nil
	}
	app, ok := h.cfg.Apps.ByID(m.AppID)
	if !ok || app == nil {
		h.metrics.Dropped(m.AppID, DropUnknownApp)
		return nil
	}
	var firstErr error
	for i, name := range m.Channels {
		if slices.Contains(m.Channels[:i], name) {
			continue // a channel named twice gets the event once
		}
		if err := h.deliverChannel(app, m, name); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

func (h *Hub) deliverChannel(app *App, m *Message, name string) error {
	k := chanKey{m.AppID, name}
	sh := h.shardOf(m.AppID, name)
	cache := pusher.IsCache(name) && !isProtocolEvent(m.Event)
	if !cache && !sh.occupied(k) {
		return nil // nobody here: no encoding, no queueing
	}
	frame := encodeFrame(&serverEvent{Event: m.Event, Channel: name, Data: m.Data, UserID: m.UserID})
	sh.mu.Lock()
	if cache {
		ttl := app.Limits.WithDefaults().CacheTTL
		sh.cache[k] = &cacheEntry{event: m.Event, data: m.Data, frame: frame, expires: h.now().Add(ttl)}
	}
	var err error
	if ch := sh.chans[k]; ch != nil {
		if cache {
			ch.missNotified = false
		}
		err = sh.enqueue(job{key: k, frame: frame, except: m.ExceptSocketID})
	}
	sh.mu.Unlock()
	if err != nil {
		h.metrics.Dropped(m.AppID, DropShardQueueFull)
	}
	return err
}

// isProtocolEvent reports whether event is a pusher: or pusher_internal: event.
func isProtocolEvent(event string) bool {
	return strings.HasPrefix(event, pusher.PrefixPusher) || strings.HasPrefix(event, pusher.PrefixInternal)
}

// control executes a brokered control command on this node.
func (h *Hub) control(m *Message) {
	switch m.Event {
	case controlTerminateUser:
		h.terminateLocal(m.AppID, m.UserID)
	case controlWatchlist:
		if m.Data == "online" || m.Data == "offline" {
			h.watchlistEvent(m.AppID, m.Data, m.UserID)
		}
	default:
		h.log.Warn("hub: unknown control command", "event", m.Event)
	}
}

// subscriptionCountThreshold is the subscriber count above which
// subscription_count events are throttled.
const subscriptionCountThreshold = 100

// countChanged sends pusher_internal:subscription_count to ch's local
// subscribers and the subscription_count webhook, when the app enables it
// and ch is not a presence channel. In a cluster whose PresenceStore is a
// ChannelCounter the count is the cluster's and the event goes through
// the broker to every node's subscribers (sendClusterCount). Above 100 subscribers at most one event
// per SubscriptionCountEvery is sent; a change inside the window schedules
// one trailing event carrying the count at that time.
func (h *Hub) countChanged(app *App, sh *shard, ch *channel) {
	if !app.SubscriptionCount || ch.kind == pusher.KindPresence {
		return
	}
	every := app.Limits.WithDefaults().SubscriptionCountEvery
	cluster := h.clusterCounts()
	sh.mu.Lock()
	n := ch.count()
	now := h.now()
	if (n == 0 && !cluster) || ch.countPending {
		sh.mu.Unlock()
		return
	}
	if n > subscriptionCountThreshold && now.Sub(ch.lastCount) < every {
		ch.countPending = true
		wait := every - now.Sub(ch.lastCount)
		sh.mu.Unlock()
		time.AfterFunc(wait, func() { h.flushCount(app, sh, ch) })
		return
	}
	if cluster {
		ch.lastCount = now
		sh.mu.Unlock()
		h.sendClusterCount(app, ch.key.name)
		return
	}
	h.sendCountLocked(app, sh, ch, now)
	sh.mu.Unlock()
}

// flushCount sends the trailing throttled subscription_count.
func (h *Hub) flushCount(app *App, sh *shard, ch *channel) {
	sh.mu.Lock()
	ch.countPending = false
	if h.closed.Load() || sh.chans[ch.key] != ch || ch.count() == 0 {
		sh.mu.Unlock()
		return
	}
	if h.clusterCounts() {
		ch.lastCount = h.now()
		sh.mu.Unlock()
		h.sendClusterCount(app, ch.key.name)
		return
	}
	h.sendCountLocked(app, sh, ch, h.now())
	sh.mu.Unlock()
}

// sendCountLocked queues the subscription_count event; callers hold sh.mu.
func (h *Hub) sendCountLocked(app *App, sh *shard, ch *channel, now time.Time) {
	n := ch.count()
	ch.lastCount = now
	d := appendInt([]byte(`{"subscription_count":`), n)
	d = append(d, '}')
	f := encodeFrame(&serverEvent{Event: pusher.InternalSubscriptionCount, Channel: ch.key.name, Data: string(d)})
	if err := sh.enqueue(job{key: ch.key, frame: f}); err != nil {
		h.metrics.Dropped(app.ID, DropShardQueueFull)
	}
	h.notify(app, WebhookEvent{Name: WebhookSubscriptionCount, Channel: ch.key.name, SubscriptionCount: &n})
}
