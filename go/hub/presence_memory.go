package hub

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
)

// MemoryPresence is the single-node PresenceStore. Join and Leave are O(1);
// Members returns users in the order of their first connection (sorted on
// read). Safe for concurrent use.
type MemoryPresence struct {
	mu    sync.Mutex
	chans map[presenceKey]*presenceChannel
}

type presenceKey struct{ app, channel string }

type presenceChannel struct {
	users   map[string]*presenceUser
	sockets map[string]string // socket id -> user id
	seq     uint64            // last join sequence handed out
}

type presenceUser struct {
	member  Member
	sockets int
	seq     uint64 // join order of the user's first connection
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
	pc.seq++
	pc.users[m.UserID] = &presenceUser{member: m, sockets: 1, seq: pc.seq}
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
	users := make([]*presenceUser, 0, len(pc.users))
	for _, u := range pc.users {
		users = append(users, u)
	}
	slices.SortFunc(users, func(a, b *presenceUser) int { return cmp.Compare(a.seq, b.seq) })
	out := make([]Member, len(users))
	for i, u := range users {
		out[i] = u.member
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

// Connections implements ChannelCounter.
func (p *MemoryPresence) Connections(_ context.Context, appID, channel string) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pc := p.chans[presenceKey{appID, channel}]; pc != nil {
		return len(pc.sockets), nil
	}
	return 0, nil
}

// ChannelCounts implements ChannelCounter.
func (p *MemoryPresence) ChannelCounts(_ context.Context, appID, prefix string) (map[string]int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]int)
	for k, pc := range p.chans {
		if k.app == appID && strings.HasPrefix(k.channel, prefix) && len(pc.sockets) > 0 {
			out[k.channel] = len(pc.sockets)
		}
	}
	return out, nil
}

var (
	_ PresenceStore  = (*MemoryPresence)(nil)
	_ OnlineChecker  = (*MemoryPresence)(nil)
	_ ChannelCounter = (*MemoryPresence)(nil)
)
