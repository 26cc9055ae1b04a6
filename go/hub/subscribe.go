package hub

import (
	"encoding/json"
	"strings"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

// subscribeRequest is pusher:subscribe's data. pusher-js always sends auth
// and channel_data (empty for public channels).
type subscribeRequest struct {
	Channel     string `json:"channel"`
	Auth        string `json:"auth"`
	ChannelData string `json:"channel_data"`
}

// Subscription error types sent in pusher:subscription_error.
const (
	subErrAuth    = "AuthError"
	subErrInvalid = "InvalidChannel"
	subErrLimit   = "LimitReached"
	subErrServer  = "ServerError"
)

// handleSubscribe validates and performs a subscription. Failures are
// reported twice, as soketi does: a connection-level pusher:error (code
// null, like the hosted service for bad signatures) and a
// pusher:subscription_error on the channel, which pusher-js hands to the
// channel's bindings (Echo's .error()). The connection stays open.
func (s *Session) handleSubscribe(raw json.RawMessage) {
	var req subscribeRequest
	if !decodeSubscribe(raw, &req) {
		s.sendError(0, "Invalid subscribe payload: expected {\"channel\":string,\"auth\"?:string,\"channel_data\"?:string}")
		return
	}
	name := req.Channel
	if !pusher.ValidChannelName(name, s.lim.MaxChannelNameLength) {
		s.rejectSubscription(name, subErrInvalid, "Invalid channel name", 400)
		return
	}
	if sub := s.subs[name]; sub != nil {
		s.resubscribe(name, sub)
		return
	}
	if len(s.subs) >= s.lim.MaxSubscriptions {
		s.rejectSubscription(name, subErrLimit, "Subscription limit reached", 400)
		return
	}
	kind := pusher.KindOf(name)
	switch kind {
	case pusher.KindPresence:
		m, msg := s.presenceMember(name, &req)
		if m == nil {
			s.rejectSubscription(name, subErrAuth, msg, 401)
			return
		}
		s.joinPresence(name, m)
		return
	case pusher.KindPrivate, pusher.KindEncrypted:
		if !verifyAuth(s.app, req.Auth, ChannelAuthString(s.socketID, name, "")) {
			s.rejectSubscription(name, subErrAuth, "Invalid signature for channel "+name, 401)
			return
		}
	case pusher.KindServerToUser:
		if s.userID == "" || strings.TrimPrefix(name, pusher.ServerToUserPrefix) != s.userID {
			s.rejectSubscription(name, subErrAuth, "Only the signed-in user may subscribe to "+name, 401)
			return
		}
	}
	s.join(name, kind, nil, "{}")
}

// rejectSubscription sends pusher:error and pusher:subscription_error.
func (s *Session) rejectSubscription(name, typ, msg string, status int) {
	s.sendError(0, msg)
	d := make([]byte, 0, 64+len(msg))
	d = append(d, `{"type":`...)
	d = appendJSONString(d, typ)
	d = append(d, `,"error":`...)
	d = appendJSONString(d, msg)
	d = append(d, `,"status":`...)
	d = appendInt(d, status)
	d = append(d, '}')
	s.send(&serverEvent{Event: pusher.EventSubscriptionError, Channel: name, RawData: d})
}

// resubscribe answers a repeated subscribe to a channel the session is
// already in: subscription_succeeded again (with current members on
// presence channels), nothing else changes.
func (s *Session) resubscribe(name string, sub *subscription) {
	data := "{}"
	if sub.member != nil {
		members, err := s.h.presenceMembers(s.app.ID, name)
		if err != nil {
			s.rejectSubscription(name, subErrServer, "Presence store unavailable", 500)
			return
		}
		data = presencePayload(members)
	}
	s.send(&serverEvent{Event: pusher.InternalSubscriptionSucceeded, Channel: name, Data: data})
}

// join adds the session to channel name and sends subscription_succeeded
// with data, then (cache channels) the cached event or pusher:cache_miss.
// The replies are written under the shard lock before the session becomes
// visible to the fan-out, so no channel event can precede them.
//
// In a cluster the subscription is recorded in the PresenceStore before
// subscription_succeeded is written: once a client sees it, the HTTP API of
// every node counts that subscription (read-your-writes for occupancy and
// subscription_count).
func (s *Session) join(name string, kind pusher.ChannelKind, member *Member, data string) {
	s.h.fillCache(s.app.ID, name)
	clusterFirst := s.h.occupiedBy(s, name)
	k := chanKey{s.app.ID, name}
	sh := s.h.shardOf(s.app.ID, name)
	ok := encodeFrame(&serverEvent{Event: pusher.InternalSubscriptionSucceeded, Channel: name, Data: data})
	miss := false
	sh.mu.Lock()
	ch := sh.chans[k]
	created := ch == nil
	if created {
		ch = &channel{key: k, kind: kind}
		sh.chans[k] = ch
	}
	// Counted before the reply is written: a client that has seen
	// subscription_succeeded finds its subscription in Stats.
	s.st.subscriptions.Add(1)
	if created {
		s.st.channels.Add(1)
	}
	s.writeFrame(ok)
	if pusher.IsCache(name) {
		if e := sh.liveCache(k, s.h.now()); e != nil {
			s.writeFrame(e.frame)
		} else {
			s.send(&serverEvent{Event: pusher.EventCacheMiss, Channel: name, NoData: true})
			miss = !ch.missNotified // one webhook per channel until an event is cached
			ch.missNotified = true
		}
	}
	ch.subs.add(s, sh.seq)
	sh.mu.Unlock()

	if s.subs == nil {
		s.subs = make(map[string]*subscription)
	}
	s.subs[name] = &subscription{ch: ch, member: member}
	occupied := created
	if s.h.clustered() {
		occupied = clusterFirst
	}
	if occupied {
		s.h.notify(s.app, WebhookEvent{Name: WebhookChannelOccupied, Channel: name})
	}
	if miss {
		s.h.notify(s.app, WebhookEvent{Name: WebhookCacheMiss, Channel: name})
	}
	s.h.countChanged(s.app, sh, ch)
}

// unsubscribeRequest is pusher:unsubscribe's data.
type unsubscribeRequest struct {
	Channel string `json:"channel"`
}

// handleUnsubscribe leaves a channel; unknown channels are ignored (pusher-js
// may unsubscribe from a channel whose subscription failed).
func (s *Session) handleUnsubscribe(raw json.RawMessage) {
	var req unsubscribeRequest
	if !decodeUnsubscribe(raw, &req) || req.Channel == "" {
		s.sendError(0, "Invalid unsubscribe payload: expected {\"channel\":string}")
		return
	}
	if sub := s.subs[req.Channel]; sub != nil {
		s.leave(req.Channel, sub)
	}
}

// leave removes the session from a channel: vacated webhook on the last
// local subscriber, presence leave (member_removed on the user's last
// connection), subscription_count update.
func (s *Session) leave(name string, sub *subscription) {
	ch := sub.ch
	sh := s.h.shardOf(s.app.ID, name)
	sh.mu.Lock()
	ch.subs.remove(s)
	empty := ch.count() == 0
	if empty && sh.chans[ch.key] == ch {
		delete(sh.chans, ch.key)
	}
	sh.mu.Unlock()

	delete(s.subs, name)
	s.st.subscriptions.Add(-1)
	if empty {
		s.st.channels.Add(-1)
	}
	if s.h.vacatedBy(s, name, empty) {
		s.h.notify(s.app, WebhookEvent{Name: WebhookChannelVacated, Channel: name})
	}
	if sub.member != nil {
		s.leavePresence(name)
	}
	if !empty || s.h.clusterCounts() {
		s.h.countChanged(s.app, sh, ch)
	}
}

// notify hands e to the webhook sink, if any.
func (h *Hub) notify(app *App, e WebhookEvent) {
	if h.cfg.Webhooks != nil {
		h.cfg.Webhooks.Notify(app, e)
	}
}
