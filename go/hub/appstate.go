package hub

import (
	"sync"
	"sync/atomic"
)

// appState is this node's bookkeeping for one app: open sessions, signed-in
// users, watchlists and load counters. Fields behind mu; counters atomic.
type appState struct {
	mu       sync.Mutex
	sessions map[*Session]struct{}
	users    map[string]map[*Session]struct{} // user id -> signed-in sessions
	watchers map[string]map[*Session]struct{} // watched user id -> watching sessions

	// connections counts sessions from Prepare (or Open) to Close, so a
	// client that has read connection_established is already counted even
	// though its session joins sessions only at Start.
	connections   atomic.Int64
	channels      atomic.Int64 // occupied channels on this node
	subscriptions atomic.Int64
}

func newAppState() *appState {
	return &appState{
		sessions: make(map[*Session]struct{}),
		users:    make(map[string]map[*Session]struct{}),
		watchers: make(map[string]map[*Session]struct{}),
	}
}

func (st *appState) addSession(s *Session) {
	st.mu.Lock()
	st.sessions[s] = struct{}{}
	st.mu.Unlock()
}

// removeSession forgets s.
func (st *appState) removeSession(s *Session) {
	st.mu.Lock()
	delete(st.sessions, s)
	st.mu.Unlock()
}

func (st *appState) sessionList() []*Session {
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make([]*Session, 0, len(st.sessions))
	for s := range st.sessions {
		out = append(out, s)
	}
	return out
}

// signIn records s as a connection of user id on this node.
func (st *appState) signIn(id string, s *Session) {
	st.mu.Lock()
	defer st.mu.Unlock()
	set := st.users[id]
	if set == nil {
		set = make(map[*Session]struct{})
		st.users[id] = set
	}
	set[s] = struct{}{}
}

// signOut forgets s as a connection of user id.
func (st *appState) signOut(id string, s *Session) {
	st.mu.Lock()
	defer st.mu.Unlock()
	set := st.users[id]
	delete(set, s)
	if len(set) == 0 {
		delete(st.users, id)
	}
}

// userSessions returns the sessions signed in as id.
func (st *appState) userSessions(id string) []*Session {
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make([]*Session, 0, len(st.users[id]))
	for s := range st.users[id] {
		out = append(out, s)
	}
	return out
}

// watch makes s watch ids (callers unwatch the previous list first).
func (st *appState) watch(s *Session, ids []string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, id := range ids {
		set := st.watchers[id]
		if set == nil {
			set = make(map[*Session]struct{})
			st.watchers[id] = set
		}
		set[s] = struct{}{}
	}
}

// unwatch removes s from the watchers of ids.
func (st *appState) unwatch(s *Session, ids []string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for _, id := range ids {
		if set := st.watchers[id]; set != nil {
			delete(set, s)
			if len(set) == 0 {
				delete(st.watchers, id)
			}
		}
	}
}

// watchersOf returns the sessions watching user id.
func (st *appState) watchersOf(id string) []*Session {
	st.mu.Lock()
	defer st.mu.Unlock()
	out := make([]*Session, 0, len(st.watchers[id]))
	for s := range st.watchers[id] {
		out = append(out, s)
	}
	return out
}
