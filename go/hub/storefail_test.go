package hub

import (
	"context"
	"errors"
	"testing"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

var errStore = errors.New("store down")

// failingStore fails every call once failing is set.
type failingStore struct {
	*MemoryPresence
	failing bool
}

func (f *failingStore) Join(ctx context.Context, app, ch, sock string, m Member) (bool, error) {
	if f.failing {
		return false, errStore
	}
	return f.MemoryPresence.Join(ctx, app, ch, sock, m)
}

func (f *failingStore) Leave(ctx context.Context, app, ch, sock string) (Member, bool, bool, error) {
	if f.failing {
		return Member{}, false, false, errStore
	}
	return f.MemoryPresence.Leave(ctx, app, ch, sock)
}

func (f *failingStore) Members(ctx context.Context, app, ch string) ([]Member, error) {
	if f.failing {
		return nil, errStore
	}
	return f.MemoryPresence.Members(ctx, app, ch)
}

func TestPresenceStoreFailures(t *testing.T) {
	store := &failingStore{MemoryPresence: NewMemoryPresence()}
	f := newFixture(t, nil, func(c *Config) { c.Presence = store; c.Broker = newErrBroker(nil) })
	s, c := f.open()
	joinPresence(f, s, c, "presence-ok", `{"user_id":"1"}`)
	store.failing = true
	subscribe(t, s, "presence-new", f.auth(s, "presence-new", `{"user_id":"1"}`), `{"user_id":"1"}`)
	if typ, status := subscriptionError(t, c, "presence-new"); typ != "ServerError" || status != 500 {
		t.Fatalf("%s %d", typ, status)
	}
	c.Reset()
	subscribe(t, s, "presence-ok", f.auth(s, "presence-ok", `{"user_id":"1"}`), `{"user_id":"1"}`)
	subscriptionError(t, c, "presence-ok") // resubscribe needs the member list
	if _, err := f.h.Channel(t.Context(), testAppID, "presence-ok"); !errors.Is(err, errStore) {
		t.Fatal(err)
	}
	if _, err := f.h.Channels(t.Context(), testAppID, ""); !errors.Is(err, errStore) {
		t.Fatal(err)
	}
	if _, err := f.h.PresenceUsers(t.Context(), testAppID, "presence-ok"); !errors.Is(err, errStore) {
		t.Fatal(err)
	}
	mustSignin(t, f, s, `{"id":"1","watchlist":["2"]}`) // online tracking fails softly
	f.mustSubscribe(s, c, "public", "")                 // occupancy fails softly
	s.Close()                                           // leaves fail softly
	if st := f.h.Stats(testAppID); st.Connections != 0 || st.Subscriptions != 0 {
		t.Fatalf("%+v", st)
	}
}

func TestStatusStringAndUnknownControl(t *testing.T) {
	if StatusShardQueueFull.String() != "shard queue full" || Status(42).String() != "unknown status" || StatusOK.String() != "success" {
		t.Fatal("Status.String")
	}
	f := newFixture(t, nil, nil)
	if err := f.h.deliver(&Envelope{Message: Message{AppID: testAppID, Event: controlPrefix + "bogus"}}); err != nil {
		t.Fatal(err)
	}
	if err := f.h.deliver(&Envelope{Message: Message{AppID: "nope", Channels: []string{"a"}, Event: "e"}}); err != nil {
		t.Fatal(err)
	}
	s, _ := f.open()
	if s.App() != f.app {
		t.Fatal("App")
	}
	var m Metrics = NopMetrics{}
	m.ConnectionOpened("a")
	m.ConnectionClosed("a", pusher.CodeReconnect)
	m.MessageReceived("a")
	m.MessagesSent("a", 1)
	m.Published("a", StatusOK)
	m.Dropped("a", DropSlowConsumer)
}
