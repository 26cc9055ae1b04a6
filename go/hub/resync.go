package hub

import (
	"context"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

// Resyncer is an optional PresenceStore extension for shared stores. The
// store calls the handler when this node's records may be gone: the store
// lost its data (a Redis restart without persistence; announce=false), or
// other nodes expired this node while it was cut off and told their
// clients its members left (announce=true). The hub then records every
// local subscription, presence member and signed-in user again; with
// announce it also sends member_added, channel_occupied and watchlist
// online for what the cluster had seen leave.
type Resyncer interface {
	OnLost(handler func(announce bool))
}

// Reconciler is an optional PresenceStore extension: after the store was
// unreachable it removes this node's records of sockets that closed
// meanwhile (their leave failed), reporting each through the
// ExpiringStore handler so that member_removed, channel_vacated and
// watchlist offline follow. open returns the socket ids open on this node
// (all apps) at the time of the call.
type Reconciler interface {
	SetOpenSockets(open func() map[string]struct{})
}

// openSockets returns the socket ids of every open session.
func (h *Hub) openSockets() map[string]struct{} {
	ss := h.allSessions()
	out := make(map[string]struct{}, len(ss))
	for _, s := range ss {
		out[s.socketID] = struct{}{}
	}
	return out
}

// resync re-records this node's state in the PresenceStore. One run at a
// time; a call during a run is dropped (the running one covers it).
func (h *Hub) resync(announce bool) {
	if h.resyncing.Swap(true) {
		return
	}
	defer h.resyncing.Store(false)
	n := 0
	for _, s := range h.allSessions() {
		n += s.resync(announce)
	}
	h.log.Info("hub: re-recorded local connections in the presence store", "records", n, "announce", announce)
}

// resync re-records s's subscriptions, presence membership and signin;
// it returns how many records it wrote.
func (s *Session) resync(announce bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0
	}
	h := s.h
	ctx, cancel := context.WithTimeout(h.ctx, internalPublishTimeout)
	defer cancel()
	n := 0
	for name, sub := range s.subs {
		first, err := h.presence.Join(ctx, s.app.ID, occupancyPrefix+name, s.socketID, Member{UserID: occupancyUser})
		if err != nil {
			h.log.Warn("hub: resync failed", "app", s.app.ID, "err", err)
			return n
		}
		n++
		if first && announce {
			h.notify(s.app, WebhookEvent{Name: WebhookChannelOccupied, Channel: name})
		}
		if sub.member == nil {
			continue
		}
		if first, err = h.presence.Join(ctx, s.app.ID, name, s.socketID, *sub.member); err != nil {
			continue
		}
		n++
		if first && announce {
			d := appendMemberData(nil, sub.member.UserID, sub.member.UserInfo, true)
			h.publishInternal(s.app.ID, name, pusher.InternalMemberAdded, string(d), s.socketID)
			h.notify(s.app, WebhookEvent{Name: WebhookMemberAdded, Channel: name, UserID: sub.member.UserID})
		}
	}
	if s.userID != "" {
		first, err := h.presence.Join(ctx, s.app.ID, onlineKey, s.socketID, Member{UserID: s.userID})
		if err == nil {
			n++
			if first && announce {
				h.publishMessage(Message{AppID: s.app.ID, Event: controlWatchlist, UserID: s.userID, Data: "online"})
			}
		}
	}
	return n
}
