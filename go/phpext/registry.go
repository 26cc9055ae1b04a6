package phpext

import (
	"sync"
	"sync/atomic"
)

// Publisher publishes one event for one app. The Caddy module implements it
// over the hub. Publish must not block on the network: it validates,
// enqueues and returns a status code (StatusOK ... StatusShardQueueFull).
// The strings are owned by the caller and valid only during the call.
type Publisher interface {
	Publish(channels []string, event, data, exceptSocketID string) int
}

// entry is one registration; several may exist for one app id during a
// config reload (the new config registers before the old one releases).
type entry struct {
	p Publisher
}

var (
	regMu sync.Mutex
	// reg maps app id to its registrations, newest last. Readers load the
	// map atomically and never lock; writers copy it.
	reg atomic.Pointer[map[string][]*entry]
)

// Register makes p the publisher of appID until the returned release
// function is called. When several registrations of the same app are live,
// the newest wins; releasing it falls back to the previous one. release is
// idempotent.
func Register(appID string, p Publisher) (release func()) {
	e := &entry{p: p}
	update(func(m map[string][]*entry) { m[appID] = append(m[appID], e) })
	var once sync.Once
	return func() {
		once.Do(func() {
			update(func(m map[string][]*entry) {
				list := m[appID]
				for i, x := range list {
					if x == e {
						list = append(list[:i:i], list[i+1:]...)
						break
					}
				}
				if len(list) == 0 {
					delete(m, appID)
				} else {
					m[appID] = list
				}
			})
		})
	}
}

// update applies f to a copy of the registry and publishes the copy.
func update(f func(map[string][]*entry)) {
	regMu.Lock()
	defer regMu.Unlock()
	next := map[string][]*entry{}
	if cur := reg.Load(); cur != nil {
		for k, v := range *cur {
			next[k] = append([]*entry(nil), v...)
		}
	}
	f(next)
	reg.Store(&next)
}

// lookup returns the current publisher of appID.
func lookup(appID string) (Publisher, bool) {
	cur := reg.Load()
	if cur == nil {
		return nil, false
	}
	list := (*cur)[appID]
	if len(list) == 0 {
		return nil, false
	}
	return list[len(list)-1].p, true
}
