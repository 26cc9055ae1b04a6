package pogows

import (
	"time"

	"github.com/y-l-g/websocket/go/hub"
)

// webhookTarget is where and how one app's webhooks are delivered,
// captured when the event is notified.
type webhookTarget struct {
	appID, key, secret string
	urls               []string
}

// readyBatch is a batch of one app's events ready to be signed and sent.
type readyBatch struct {
	target webhookTarget
	events []hub.WebhookEvent
}

// maxBatchEvents caps the events of one webhook POST; a full batch is
// flushed at once.
const maxBatchEvents = 100

// graceKey identifies a delayed event that a later event may cancel:
// channel_vacated (user empty) or member_removed (user set).
type graceKey struct {
	appID, channel, user string
}

type pendingEvent struct {
	target webhookTarget
	event  hub.WebhookEvent
	due    time.Time
}

type openBatch struct {
	target webhookTarget
	events []hub.WebhookEvent
	due    time.Time
}

// webhookBuffer holds the grace period and batching state of a sink. It is
// pure logic driven by the caller's clock and is not safe for concurrent
// use (the sink's run goroutine owns it).
//
// channel_vacated and member_removed wait grace; a channel_occupied for the
// same channel (or member_added for the same channel and user) arriving
// meanwhile cancels both events, so the receiver sees nothing, as with
// Pusher. A delayed event whose grace expired is then checked with
// stillCurrent (a cluster-wide view: another node may have undone it).
// Every other event, and delayed events still current, join the app's open
// batch, which is ready window after its first event or as
// soon as it holds maxBatchEvents events.
type webhookBuffer struct {
	grace, window time.Duration
	// stillCurrent, when set, is asked before a delayed event whose grace
	// expired is sent; false drops it (another node undid it).
	stillCurrent func(webhookTarget, hub.WebhookEvent) bool
	pending      map[graceKey]pendingEvent
	batches      map[string]*openBatch
	ready        []readyBatch
}

func newWebhookBuffer(grace, window time.Duration) *webhookBuffer {
	return &webhookBuffer{
		grace: grace, window: window,
		pending: make(map[graceKey]pendingEvent),
		batches: make(map[string]*openBatch),
	}
}

// add takes one event at time now. It reports false when the event
// cancelled a pending one (both are then dropped).
func (b *webhookBuffer) add(now time.Time, t webhookTarget, e hub.WebhookEvent) bool {
	switch e.Name {
	case hub.WebhookChannelVacated:
		b.pending[graceKey{t.appID, e.Channel, ""}] = pendingEvent{t, e, now.Add(b.grace)}
		return true
	case hub.WebhookMemberRemoved:
		b.pending[graceKey{t.appID, e.Channel, "u:" + e.UserID}] = pendingEvent{t, e, now.Add(b.grace)}
		return true
	case hub.WebhookChannelOccupied:
		if b.cancel(graceKey{t.appID, e.Channel, ""}) {
			return false
		}
	case hub.WebhookMemberAdded:
		if b.cancel(graceKey{t.appID, e.Channel, "u:" + e.UserID}) {
			return false
		}
	}
	b.append(now, t, e)
	return true
}

func (b *webhookBuffer) cancel(k graceKey) bool {
	if _, ok := b.pending[k]; ok {
		delete(b.pending, k)
		return true
	}
	return false
}

func (b *webhookBuffer) append(now time.Time, t webhookTarget, e hub.WebhookEvent) {
	ob := b.batches[t.appID]
	if ob == nil {
		ob = &openBatch{target: t, due: now.Add(b.window)}
		b.batches[t.appID] = ob
	}
	ob.target = t // the latest configuration wins
	ob.events = append(ob.events, e)
	if len(ob.events) >= maxBatchEvents {
		b.close(t.appID, ob)
	}
}

func (b *webhookBuffer) close(appID string, ob *openBatch) {
	delete(b.batches, appID)
	b.ready = append(b.ready, readyBatch{target: ob.target, events: ob.events})
}

// take moves everything due at now into batches and returns the batches
// ready to send.
func (b *webhookBuffer) take(now time.Time) []readyBatch {
	for k, p := range b.pending {
		if !now.Before(p.due) {
			delete(b.pending, k)
			if b.stillCurrent == nil || b.stillCurrent(p.target, p.event) {
				b.append(now, p.target, p.event)
			}
		}
	}
	for id, ob := range b.batches {
		if !now.Before(ob.due) {
			b.close(id, ob)
		}
	}
	out := b.ready
	b.ready = nil
	return out
}

// flush returns every held event as ready batches, ignoring grace and
// window (used at shutdown: a vacated channel at shutdown is real).
func (b *webhookBuffer) flush(now time.Time) []readyBatch {
	for k, p := range b.pending {
		delete(b.pending, k)
		b.append(now, p.target, p.event)
	}
	for id, ob := range b.batches {
		b.close(id, ob)
	}
	out := b.ready
	b.ready = nil
	return out
}

// next returns the earliest time something becomes due; ok is false when
// nothing is held.
func (b *webhookBuffer) next() (t time.Time, ok bool) {
	consider := func(d time.Time) {
		if !ok || d.Before(t) {
			t, ok = d, true
		}
	}
	for _, p := range b.pending {
		consider(p.due)
	}
	for _, ob := range b.batches {
		consider(ob.due)
	}
	return t, ok
}
