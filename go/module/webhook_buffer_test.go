package pogows

import (
	"testing"
	"time"

	"github.com/y-l-g/websocket/go/hub"
)

func TestWebhookBufferGraceCancels(t *testing.T) {
	b := newWebhookBuffer(3*time.Second, 100*time.Millisecond)
	t0 := time.Unix(100, 0)
	tg := webhookTarget{appID: "a", key: "k", secret: "s", urls: []string{"http://x"}}
	b.add(t0, tg, hub.WebhookEvent{Name: hub.WebhookChannelVacated, Channel: "c"})
	b.add(t0, tg, hub.WebhookEvent{Name: hub.WebhookMemberRemoved, Channel: "presence-p", UserID: "u1"})
	if got := b.take(t0.Add(time.Second)); len(got) != 0 {
		t.Fatalf("delayed events sent before grace: %+v", got)
	}
	if b.add(t0.Add(time.Second), tg, hub.WebhookEvent{Name: hub.WebhookChannelOccupied, Channel: "c"}) {
		t.Fatal("occupied did not cancel the pending vacated")
	}
	// member_added for another user does not cancel u1's removal.
	b.add(t0.Add(time.Second), tg, hub.WebhookEvent{Name: hub.WebhookMemberAdded, Channel: "presence-p", UserID: "u2"})
	got := b.take(t0.Add(4 * time.Second))
	if len(got) != 1 {
		t.Fatalf("batches = %d, want 1", len(got))
	}
	names := []string{}
	for _, e := range got[0].events {
		names = append(names, e.Name+":"+e.UserID)
	}
	if len(names) != 2 || names[0] != "member_added:u2" || names[1] != "member_removed:u1" {
		t.Fatalf("events = %v", names)
	}
	if _, ok := b.next(); ok {
		t.Fatal("buffer not empty")
	}
}

func TestWebhookBufferBatching(t *testing.T) {
	b := newWebhookBuffer(time.Second, 100*time.Millisecond)
	t0 := time.Unix(100, 0)
	ta := webhookTarget{appID: "a"}
	tb := webhookTarget{appID: "b"}
	b.add(t0, ta, hub.WebhookEvent{Name: hub.WebhookChannelOccupied, Channel: "1"})
	b.add(t0.Add(50*time.Millisecond), ta, hub.WebhookEvent{Name: hub.WebhookChannelOccupied, Channel: "2"})
	b.add(t0.Add(60*time.Millisecond), tb, hub.WebhookEvent{Name: hub.WebhookClientEvent, Channel: "3"})
	if next, _ := b.next(); !next.Equal(t0.Add(100 * time.Millisecond)) {
		t.Fatalf("next = %v", next)
	}
	got := b.take(t0.Add(100 * time.Millisecond))
	if len(got) != 1 || got[0].target.appID != "a" || len(got[0].events) != 2 {
		t.Fatalf("first flush: %+v", got)
	}
	got = b.take(t0.Add(160 * time.Millisecond))
	if len(got) != 1 || got[0].target.appID != "b" {
		t.Fatalf("second flush: %+v", got)
	}
	for i := range maxBatchEvents {
		b.add(t0, ta, hub.WebhookEvent{Name: hub.WebhookClientEvent, Channel: "c", Data: string(rune('a' + i%26))})
	}
	if got := b.take(t0); len(got) != 1 || len(got[0].events) != maxBatchEvents {
		t.Fatalf("full batch not flushed at once: %d", len(got))
	}
}

func TestWebhookBufferFlush(t *testing.T) {
	b := newWebhookBuffer(time.Hour, time.Hour)
	t0 := time.Unix(100, 0)
	b.add(t0, webhookTarget{appID: "a"}, hub.WebhookEvent{Name: hub.WebhookChannelVacated, Channel: "c"})
	got := b.flush(t0)
	if len(got) != 1 || got[0].events[0].Name != hub.WebhookChannelVacated {
		t.Fatalf("flush: %+v", got)
	}
}

func TestWebhookBufferStillCurrent(t *testing.T) {
	b := newWebhookBuffer(time.Second, time.Millisecond)
	b.stillCurrent = func(_ webhookTarget, e hub.WebhookEvent) bool { return e.Channel != "undone" }
	t0 := time.Unix(100, 0)
	tg := webhookTarget{appID: "a"}
	b.add(t0, tg, hub.WebhookEvent{Name: hub.WebhookChannelVacated, Channel: "undone"})
	b.add(t0, tg, hub.WebhookEvent{Name: hub.WebhookChannelVacated, Channel: "gone"})
	b.take(t0.Add(time.Second))
	got := b.take(t0.Add(2 * time.Second))
	if len(got) != 1 || len(got[0].events) != 1 || got[0].events[0].Channel != "gone" {
		t.Fatalf("batches: %+v", got)
	}
}
