package hub

import (
	"context"
	"slices"
	"sync"
)

// MemoryPresence is the single-node PresenceStore. Members are kept in join
// order of each user's first connection. Safe for concurrent use.
type MemoryPresence struct {
	mu    sync.Mutex
	chans map[presenceKey]*presenceChannel
}

type presenceKey struct{ app, channel string }

type presenceChannel struct {
	users   map[string]*presenceUser
	order   []string          // user ids in first-join order
	sockets map[string]string // socket id -> user id
}

type presenceUser struct {
	member  Member
	sockets int
}

// NewMemoryPresence returns an empty store.
func NewMemoryPresence() *MemoryPresence {
	return &MemoryPresence{chans: make(map[presenceKey]*presenceChannel)}
}

// Join implements PresenceStore. A socket joining twice is counted once;
// the member info of a user's first connection is kept.
func (p *MemoryPresence) Join(_ context.Context, appID, channel, socketID string, m Member) (bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := presenceKey{appID, channel}
	pc := p.chans[k]
	if pc == nil {
		pc = &presenceChannel{users: make(map[string]*presenceUser), sockets: make(map[string]string)}
		p.chans[k] = pc
	}
	if _, dup := pc.sockets[socketID]; dup {
		return false, nil
	}
	pc.sockets[socketID] = m.UserID
	u := pc.users[m.UserID]
	if u != nil {
		u.sockets++
		return false, nil
	}
	pc.users[m.UserID] = &presenceUser{member: m, sockets: 1}
	pc.order = append(pc.order, m.UserID)
	return true, nil
}

// Leave implements PresenceStore.
func (p *MemoryPresence) Leave(_ context.Context, appID, channel, socketID string) (Member, bool, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := presenceKey{appID, channel}
	pc := p.chans[k]
	if pc == nil {
		return Member{}, false, false, nil
	}
	uid, ok := pc.sockets[socketID]
	if !ok {
		return Member{}, false, false, nil
	}
	delete(pc.sockets, socketID)
	u := pc.users[uid]
	u.sockets--
	if u.sockets > 0 {
		return u.member, false, true, nil
	}
	delete(pc.users, uid)
	if i := slices.Index(pc.order, uid); i >= 0 {
		pc.order = slices.Delete(pc.order, i, i+1)
	}
	if len(pc.users) == 0 {
		delete(p.chans, k)
	}
	return u.member, true, true, nil
}

// Members implements PresenceStore.
func (p *MemoryPresence) Members(_ context.Context, appID, channel string) ([]Member, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pc := p.chans[presenceKey{appID, channel}]
	if pc == nil {
		return nil, nil
	}
	out := make([]Member, 0, len(pc.order))
	for _, id := range pc.order {
		out = append(out, pc.users[id].member)
	}
	return out, nil
}

// Online implements OnlineChecker: the ids of ids that are members of channel.
func (p *MemoryPresence) Online(_ context.Context, appID, channel string, ids []string) ([]string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pc := p.chans[presenceKey{appID, channel}]
	if pc == nil {
		return nil, nil
	}
	var out []string
	for _, id := range ids {
		if pc.users[id] != nil {
			out = append(out, id)
		}
	}
	return out, nil
}

var (
	_ PresenceStore = (*MemoryPresence)(nil)
	_ OnlineChecker = (*MemoryPresence)(nil)
)
