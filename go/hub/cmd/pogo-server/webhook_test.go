package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/y-l-g/websocket/go/hub"
)

// hookRecorder receives webhooks and forwards each event name+channel+user.
func hookRecorder(t *testing.T) (string, chan string) {
	t.Helper()
	got := make(chan string, 32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Events []hub.WebhookEvent `json:"events"`
		}
		b, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(b, &body)
		for _, e := range body.Events {
			got <- e.Name + " " + e.Channel + " " + e.UserID
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL, got
}

func nextHook(t *testing.T, got chan string) string {
	t.Helper()
	select {
	case s := <-got:
		return s
	case <-time.After(waitLong):
		t.Fatal("no webhook")
	}
	return ""
}

func TestWebhookGraceCancelsFlaps(t *testing.T) {
	url, got := hookRecorder(t)
	w := newWebhookSender(url, map[string]string{"a": "s"}, time.Hour, slog.New(slog.DiscardHandler))
	defer w.Close()
	app := &hub.App{ID: "a", Key: "k"}
	w.Notify(app, hub.WebhookEvent{Name: hub.WebhookChannelOccupied, Channel: "c"})
	w.Notify(app, hub.WebhookEvent{Name: hub.WebhookChannelVacated, Channel: "c"})
	w.Notify(app, hub.WebhookEvent{Name: hub.WebhookChannelOccupied, Channel: "c"}) // back within the grace
	w.Notify(app, hub.WebhookEvent{Name: hub.WebhookMemberRemoved, Channel: "presence-c", UserID: "u"})
	w.Notify(app, hub.WebhookEvent{Name: hub.WebhookMemberAdded, Channel: "presence-c", UserID: "u"})
	w.Notify(app, hub.WebhookEvent{Name: hub.WebhookMemberAdded, Channel: "presence-c", UserID: "v"})
	w.Notify(app, hub.WebhookEvent{Name: hub.WebhookClientEvent, Channel: "sentinel"})
	for _, want := range []string{"channel_occupied c ", "member_added presence-c v", "client_event sentinel "} {
		if s := nextHook(t, got); s != want {
			t.Fatalf("got %q, want %q", s, want)
		}
	}
}

func TestWebhookGraceDelaysRemovals(t *testing.T) {
	url, got := hookRecorder(t)
	w := newWebhookSender(url, map[string]string{"a": "s"}, 10*time.Millisecond, slog.New(slog.DiscardHandler))
	defer w.Close()
	app := &hub.App{ID: "a", Key: "k"}
	w.Notify(app, hub.WebhookEvent{Name: hub.WebhookChannelVacated, Channel: "c"})
	if s := nextHook(t, got); s != "channel_vacated c " {
		t.Fatalf("got %q", s)
	}
	w.Notify(app, hub.WebhookEvent{Name: hub.WebhookChannelOccupied, Channel: "c"}) // grace over: sent
	if s := nextHook(t, got); s != "channel_occupied c " {
		t.Fatalf("got %q", s)
	}
}

func TestWebhookGraceDropsRemovalsTheClusterUndid(t *testing.T) {
	url, got := hookRecorder(t)
	w := newWebhookSender(url, map[string]string{"a": "s"}, 10*time.Millisecond, slog.New(slog.DiscardHandler))
	defer w.Close()
	// Another node re-occupied "stale" during the grace period; "gone" stayed empty.
	w.setCheck(func(_ context.Context, _ string, e hub.WebhookEvent) (bool, error) {
		return e.Channel != "stale", nil
	})
	app := &hub.App{ID: "a", Key: "k"}
	w.Notify(app, hub.WebhookEvent{Name: hub.WebhookChannelVacated, Channel: "stale"})
	w.Notify(app, hub.WebhookEvent{Name: hub.WebhookChannelVacated, Channel: "gone"})
	if s := nextHook(t, got); s != "channel_vacated gone " {
		t.Fatalf("got %q, want only the removal that still holds", s)
	}
	w.Notify(app, hub.WebhookEvent{Name: hub.WebhookClientEvent, Channel: "sentinel"})
	if s := nextHook(t, got); s != "client_event sentinel " {
		t.Fatalf("got %q: the stale removal must never be sent", s)
	}
}
