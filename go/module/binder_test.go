package pogows

import (
	"context"
	"sync"
	"testing"

	"github.com/y-l-g/websocket/go/hub"
)

// fakeRegistry records bindings like the native registry must: the latest
// binding wins and a release removes only its own binding.
type fakeRegistry struct {
	mu    sync.Mutex
	log   []string
	bound map[string]Publisher
}

func (f *fakeRegistry) bind(appID string, p Publisher) func() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.log = append(f.log, "bind "+appID)
	f.bound[appID] = p
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.log = append(f.log, "release "+appID)
		if f.bound[appID] == p {
			delete(f.bound, appID)
		}
	}
}

func (f *fakeRegistry) current(appID string) Publisher {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.bound[appID]
}

func TestIntegrationPublisherBinding(t *testing.T) {
	reg := &fakeRegistry{bound: map[string]Publisher{}}
	RegisterPublisherBinder(reg.bind)
	t.Cleanup(func() { RegisterPublisherBinder(nil) })
	ts := startCaddy(t, basicApp)
	c := ts.mustDial("app1")
	c.send(`{"event":"pusher:subscribe","data":{"channel":"native"}}`)
	c.read()
	p := reg.current("app1")
	if p == nil {
		t.Fatal("app1 not bound")
	}
	if st := p.Publish(context.Background(), hub.Message{AppID: "app1", Channels: []string{"native"}, Event: "e", Data: "{}"}); st != hub.StatusOK {
		t.Fatalf("publish through the binding: %v", st)
	}
	if ev := c.read(); ev.Event != "e" {
		t.Fatalf("delivered: %+v", ev)
	}
	ts.load(basicApp) // same identity: no new binding
	if reg.current("app1") != p {
		t.Fatal("a reload with the same identity rebound the app")
	}
	// A new identity binds the new hub before the old one is released.
	ts.load("pogo_websocket {\n app_id app1\n app_secret secret1\n num_shards 5\n}")
	if q := reg.current("app1"); q == nil || q == p {
		t.Fatalf("after identity change the registry holds %v", q)
	}
	if err := stopCaddy(); err != nil {
		t.Fatal(err)
	}
	if reg.current("app1") != nil {
		t.Fatal("binding left after stop")
	}
	reg.mu.Lock()
	defer reg.mu.Unlock()
	want := []string{"bind app1", "bind app1", "release app1", "release app1"}
	if len(reg.log) != len(want) {
		t.Fatalf("binding log %v", reg.log)
	}
	for i := range want {
		if reg.log[i] != want[i] {
			t.Fatalf("binding log %v, want %v", reg.log, want)
		}
	}
}
