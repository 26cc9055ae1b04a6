package hubtest

import "sync"

// Apps is a static, concurrency-safe app provider keyed by id and key. T is
// the app type (the hub's *hub.App); KeyOf and IDOf extract its fields so
// this package need not import the hub.
type Apps[T any] struct {
	mu    sync.RWMutex
	byID  map[string]T
	byKey map[string]T
}

// NewApps returns an empty provider.
func NewApps[T any]() *Apps[T] {
	return &Apps[T]{byID: make(map[string]T), byKey: make(map[string]T)}
}

// Put adds or replaces an app under id and key.
func (a *Apps[T]) Put(id, key string, app T) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.byID[id] = app
	a.byKey[key] = app
}

// ByID returns the app with id.
func (a *Apps[T]) ByID(id string) (T, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	v, ok := a.byID[id]
	return v, ok
}

// ByKey returns the app with key.
func (a *Apps[T]) ByKey(key string) (T, bool) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	v, ok := a.byKey[key]
	return v, ok
}
