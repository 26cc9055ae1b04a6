package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/y-l-g/websocket/go/hub"
)

// webhookQueue bounds the events waiting for delivery; beyond it they are dropped.
const webhookQueue = 1024

type webhookJob struct {
	app   *hub.App
	event hub.WebhookEvent
}

// webhookSender posts each event as its own Pusher webhook,
// {"time_ms":...,"events":[event]}, with X-Pusher-Key and X-Pusher-Signature
// (hex HMAC-SHA256 of the body with the app's webhook secret), in order, from
// one goroutine. Delivery is best effort: one attempt, 5 s timeout, no
// retry; a full queue drops.
//
// As Pusher does, channel_vacated and member_removed are held for the grace
// period; if the channel is occupied again (or the member re-added) within
// it, neither event is sent, since from outside nothing changed. In a
// cluster the re-occupation may happen on another node: when the grace ends
// the held event is checked against the cluster (hub.StillCurrent) and
// dropped when it no longer holds.
type webhookSender struct {
	url     string
	secrets map[string]string // app id -> signing secret
	grace   time.Duration
	client  *http.Client
	log     *slog.Logger
	jobs    chan webhookJob
	wg      sync.WaitGroup
	stop    context.CancelFunc

	mu    sync.Mutex
	held  map[string]*time.Timer // removal events waiting for the grace period
	check stillCurrent           // asks the cluster whether a held removal still holds; nil: always
}

// stillCurrent is hub.Hub.StillCurrent: whether a held removal still
// describes the whole cluster when its grace period ends.
type stillCurrent func(ctx context.Context, appID string, e hub.WebhookEvent) (bool, error)

// setCheck installs the cluster check for held removals (the hub exists
// only after the sender, which it uses as its sink).
func (w *webhookSender) setCheck(f stillCurrent) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.check = f
}

func newWebhookSender(url string, secrets map[string]string, grace time.Duration, log *slog.Logger) *webhookSender {
	ctx, cancel := context.WithCancel(context.Background())
	w := &webhookSender{
		url: url, secrets: secrets, grace: grace, log: log, stop: cancel,
		client: &http.Client{Timeout: 5 * time.Second},
		jobs:   make(chan webhookJob, webhookQueue),
		held:   make(map[string]*time.Timer),
	}
	w.wg.Add(1)
	go w.run(ctx)
	return w
}

// Notify implements hub.WebhookSink; it never blocks.
func (w *webhookSender) Notify(app *hub.App, e hub.WebhookEvent) {
	switch e.Name {
	case hub.WebhookChannelVacated, hub.WebhookMemberRemoved:
		if w.grace > 0 {
			w.hold(app, e)
			return
		}
	case hub.WebhookChannelOccupied, hub.WebhookMemberAdded:
		if w.cancelHeld(app, e) {
			return
		}
	}
	w.enqueue(app, e)
}

// heldKey identifies the removal that an addition cancels.
func heldKey(app *hub.App, e hub.WebhookEvent) string {
	return app.ID + "\x00" + e.Channel + "\x00" + e.UserID
}

// hold sends e after the grace period unless cancelHeld runs first.
func (w *webhookSender) hold(app *hub.App, e hub.WebhookEvent) {
	key := heldKey(app, e)
	w.mu.Lock()
	defer w.mu.Unlock()
	if old := w.held[key]; old != nil {
		old.Stop()
	}
	var t *time.Timer
	t = time.AfterFunc(w.grace, func() {
		w.mu.Lock()
		if w.held[key] == t {
			delete(w.held, key)
		}
		check := w.check
		w.mu.Unlock()
		if check != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			current, err := check(ctx, app.ID, e)
			cancel()
			if !current {
				// Another node re-occupied the channel or re-added the member:
				// from outside nothing changed, so nothing is sent.
				w.log.Debug("held webhook no longer current, dropped", "app", app.ID, "name", e.Name, "channel", e.Channel)
				return
			}
			if err != nil {
				w.log.Warn("could not check a held webhook against the cluster; sending it", "app", app.ID, "name", e.Name, "error", err)
			}
		}
		w.enqueue(app, e)
	})
	w.held[key] = t
}

// cancelHeld drops a held removal matching the addition e and reports
// whether it did (the addition must then be dropped too).
func (w *webhookSender) cancelHeld(app *hub.App, e hub.WebhookEvent) bool {
	key := heldKey(app, e)
	w.mu.Lock()
	defer w.mu.Unlock()
	t := w.held[key]
	if t == nil || !t.Stop() {
		return false
	}
	delete(w.held, key)
	return true
}

func (w *webhookSender) enqueue(app *hub.App, e hub.WebhookEvent) {
	select {
	case w.jobs <- webhookJob{app: app, event: e}:
	default:
		w.log.Warn("webhook queue full, event dropped", "app", app.ID, "name", e.Name)
	}
}

func (w *webhookSender) run(ctx context.Context) {
	defer w.wg.Done()
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-w.jobs:
			w.send(ctx, j)
		}
	}
}

func (w *webhookSender) send(ctx context.Context, j webhookJob) {
	body, err := json.Marshal(struct {
		TimeMS int64              `json:"time_ms"`
		Events []hub.WebhookEvent `json:"events"`
	}{TimeMS: time.Now().UnixMilli(), Events: []hub.WebhookEvent{j.event}})
	if err != nil {
		w.log.Error("webhook encode", "err", err)
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		w.log.Error("webhook request", "err", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Pusher-Key", j.app.Key)
	req.Header.Set("X-Pusher-Signature", signWebhook(w.secrets[j.app.ID], body))
	resp, err := w.client.Do(req)
	if err != nil {
		w.log.Warn("webhook delivery failed", "app", j.app.ID, "name", j.event.Name, "err", err)
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		w.log.Warn("webhook rejected", "app", j.app.ID, "name", j.event.Name, "status", resp.StatusCode)
	}
}

// Close stops delivery; queued and held events are dropped.
func (w *webhookSender) Close() {
	w.mu.Lock()
	for k, t := range w.held {
		t.Stop()
		delete(w.held, k)
	}
	w.mu.Unlock()
	w.stop()
	w.wg.Wait()
}
