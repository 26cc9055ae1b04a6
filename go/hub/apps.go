package hub

import (
	"fmt"
	"sync"
)

// StaticApps is a fixed set of apps, safe for concurrent use. It is the
// simplest AppProvider (standalone server, tests).
type StaticApps struct {
	mu    sync.RWMutex
	byID  map[string]*App
	byKey map[string]*App
}

// NewStaticApps returns a provider holding apps. Key defaults to ID; ids
// and keys must be unique and non-empty, and Secret non-empty.
func NewStaticApps(apps ...*App) (*StaticApps, error) {
	s := &StaticApps{byID: make(map[string]*App), byKey: make(map[string]*App)}
	for _, a := range apps {
		if a == nil || a.ID == "" || a.Secret == "" {
			return nil, fmt.Errorf("%w: app needs an id and a secret", ErrConfig)
		}
		if a.Key == "" {
			a.Key = a.ID
		}
		if _, dup := s.byID[a.ID]; dup {
			return nil, fmt.Errorf("%w: duplicate app id %q", ErrConfig, a.ID)
		}
		if _, dup := s.byKey[a.Key]; dup {
			return nil, fmt.Errorf("%w: duplicate app key %q", ErrConfig, a.Key)
		}
		s.byID[a.ID], s.byKey[a.Key] = a, a
	}
	return s, nil
}

// ByID implements AppProvider.
func (s *StaticApps) ByID(id string) (*App, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.byID[id]
	return a, ok
}

// ByKey implements AppProvider.
func (s *StaticApps) ByKey(key string) (*App, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.byKey[key]
	return a, ok
}

var _ AppProvider = (*StaticApps)(nil)
