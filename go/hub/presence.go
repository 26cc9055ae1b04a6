package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

// presenceMember authenticates a presence subscription and returns the
// member it joins as, or nil and the reason.
//
// With channel_data the signature covers "socket_id:channel:channel_data"
// over the exact bytes received. Without it (pusher-js after signin, when
// the auth endpoint returned no channel_data) the signed-in user joins with
// its signin user_info and the private-style "socket_id:channel" signature.
func (s *Session) presenceMember(name string, req *subscribeRequest) (*Member, string) {
	if req.ChannelData == "" {
		if s.userID == "" {
			return nil, "Presence subscription needs channel_data or a signed-in user"
		}
		if !verifyAuth(s.app, req.Auth, ChannelAuthString(s.socketID, name, "")) {
			return nil, "Invalid signature for channel " + name
		}
		return &Member{UserID: s.userID, UserInfo: s.userInfo}, ""
	}
	if !verifyAuth(s.app, req.Auth, ChannelAuthString(s.socketID, name, req.ChannelData)) {
		return nil, "Invalid signature for channel " + name
	}
	m, err := ParseChannelData(req.ChannelData, s.lim)
	if err != nil {
		return nil, err.Error()
	}
	return &m, ""
}

// ParseChannelData decodes presence channel_data {"user_id":string|number,
// "user_info"?:any}. The user id must satisfy pusher.ValidUserID and
// MaxUserIDLength; user_info must fit MaxUserInfoBytes (null counts as
// absent). Errors wrap ErrInvalidMessage.
func ParseChannelData(raw string, lim pusher.Limits) (Member, error) {
	var cd struct {
		UserID   json.RawMessage `json:"user_id"`
		UserInfo json.RawMessage `json:"user_info"`
	}
	if err := json.Unmarshal([]byte(raw), &cd); err != nil {
		return Member{}, fmt.Errorf("%w: channel_data is not a JSON object", ErrInvalidMessage)
	}
	id, err := userIDText(cd.UserID)
	if err != nil {
		return Member{}, err
	}
	if !pusher.ValidUserID(id, lim.MaxUserIDLength) {
		return Member{}, fmt.Errorf("%w: invalid user_id %q", ErrInvalidMessage, id)
	}
	info, err := userInfo(cd.UserInfo, lim)
	if err != nil {
		return Member{}, err
	}
	return Member{UserID: id, UserInfo: info}, nil
}

// userIDText returns a JSON string's value or a JSON number's text.
func userIDText(raw json.RawMessage) (string, error) {
	if len(raw) > 0 && raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err == nil {
			return s, nil
		}
	}
	var n json.Number
	if len(raw) > 0 && raw[0] != '"' && json.Unmarshal(raw, &n) == nil {
		return n.String(), nil
	}
	return "", fmt.Errorf("%w: user_id must be a string or a number", ErrInvalidMessage)
}

// userInfo checks a user_info value against MaxUserInfoBytes; null or
// absent returns nil.
func userInfo(raw json.RawMessage, lim pusher.Limits) (json.RawMessage, error) {
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	if len(raw) > lim.MaxUserInfoBytes {
		return nil, fmt.Errorf("%w: user_info is %d bytes (limit %d)", ErrInvalidMessage, len(raw), lim.MaxUserInfoBytes)
	}
	return raw, nil
}

// joinPresence enforces MaxPresenceMembers (distinct users), records the
// member in the PresenceStore, subscribes, and on the user's first
// connection broadcasts member_added (through the broker, so every node's
// subscribers see it; the joining socket is excluded) and the webhook.
func (s *Session) joinPresence(name string, m *Member) {
	ctx, cancel := context.WithTimeout(s.h.ctx, internalPublishTimeout)
	defer cancel()
	first, err := s.h.joinWithinLimit(ctx, s.app.ID, name, s.socketID, *m, s.lim.MaxPresenceMembers)
	if errors.Is(err, ErrPresenceFull) {
		s.rejectSubscription(name, subErrLimit, fmt.Sprintf("Presence channel is full (%d members)", s.lim.MaxPresenceMembers), 403)
		return
	}
	var members []Member
	if err == nil {
		members, err = s.h.presence.Members(ctx, s.app.ID, name)
	}
	if err != nil {
		s.rejectSubscription(name, subErrServer, "Presence store unavailable", 500)
		return
	}
	s.join(name, pusher.KindPresence, m, presencePayload(members))
	if !first {
		return
	}
	d := appendMemberData(nil, m.UserID, m.UserInfo, true)
	s.h.publishInternal(s.app.ID, name, pusher.InternalMemberAdded, string(d), s.socketID)
	s.h.notify(s.app, WebhookEvent{Name: WebhookMemberAdded, Channel: name, UserID: m.UserID})
}

// leavePresence removes the socket from the store; on the user's last
// connection it broadcasts member_removed and the webhook.
func (s *Session) leavePresence(name string) {
	ctx, cancel := context.WithTimeout(s.h.ctx, internalPublishTimeout)
	defer cancel()
	m, last, ok, err := s.h.presence.Leave(ctx, s.app.ID, name, s.socketID)
	if err != nil {
		s.h.log.Warn("hub: presence leave failed", "app", s.app.ID, "channel", name, "err", err)
		return
	}
	if !ok || !last {
		return
	}
	d := appendMemberData(nil, m.UserID, nil, false)
	s.h.publishInternal(s.app.ID, name, pusher.InternalMemberRemoved, string(d), "")
	s.h.notify(s.app, WebhookEvent{Name: WebhookMemberRemoved, Channel: name, UserID: m.UserID})
}

func hasMember(ms []Member, id string) bool {
	for i := range ms {
		if ms[i].UserID == id {
			return true
		}
	}
	return false
}

// appendMemberData appends {"user_id":id[,"user_info":info]}; withInfo
// writes null for absent info.
func appendMemberData(dst []byte, id string, info json.RawMessage, withInfo bool) []byte {
	dst = append(dst, `{"user_id":`...)
	dst = appendJSONString(dst, id)
	if withInfo {
		dst = append(dst, `,"user_info":`...)
		dst = appendRaw(dst, info)
	}
	return append(dst, '}')
}

func appendRaw(dst []byte, raw json.RawMessage) []byte {
	if len(raw) == 0 {
		return append(dst, "null"...)
	}
	return append(dst, raw...)
}

// presencePayload returns subscription_succeeded's data for a presence
// channel: {"presence":{"ids":[...],"hash":{id:user_info},"count":n}}.
func presencePayload(ms []Member) string {
	d := make([]byte, 0, 64+len(ms)*32)
	d = append(d, `{"presence":{"ids":[`...)
	for i := range ms {
		if i > 0 {
			d = append(d, ',')
		}
		d = appendJSONString(d, ms[i].UserID)
	}
	d = append(d, `],"hash":{`...)
	for i := range ms {
		if i > 0 {
			d = append(d, ',')
		}
		d = appendJSONString(d, ms[i].UserID)
		d = append(d, ':')
		d = appendRaw(d, ms[i].UserInfo)
	}
	d = append(d, `},"count":`...)
	d = appendInt(d, len(ms))
	return string(append(d, `}}`...))
}

// presenceMembers reads a channel's members with the internal timeout.
func (h *Hub) presenceMembers(appID, name string) ([]Member, error) {
	ctx, cancel := context.WithTimeout(h.ctx, internalPublishTimeout)
	defer cancel()
	return h.presence.Members(ctx, appID, name)
}

// publishInternal brokers an event the hub itself generates (member events,
// client events), skipping Publish's validation. Failures are logged and
// counted as drops.
func (h *Hub) publishInternal(appID, channel, event, data, except string) {
	h.publishMessage(Message{AppID: appID, Channels: []string{channel}, Event: event, Data: data, ExceptSocketID: except})
}

func (h *Hub) publishMessage(m Message) {
	ctx, cancel := context.WithTimeout(h.ctx, internalPublishTimeout)
	defer cancel()
	if err := h.broker.Publish(ctx, h.envelope(m)); err != nil {
		h.metrics.Dropped(m.AppID, DropBrokerFailed)
		h.log.Debug("hub: internal publish failed", "app", m.AppID, "event", m.Event, "err", err)
	}
}

// ErrPresenceFull is returned (wrapped) when a presence channel already
// has MaxPresenceMembers distinct users and the joining user is not one.
var ErrPresenceFull = errors.New("hub: presence channel full")

// LimitedJoiner is an optional PresenceStore extension: JoinLimited is
// Join with the distinct-user limit checked atomically with the join
// (ErrPresenceFull), so concurrent joins on several nodes cannot exceed
// it. Stores without it get a read-then-join check, exact on one node.
type LimitedJoiner interface {
	JoinLimited(ctx context.Context, appID, channel, socketID string, m Member, max int) (first bool, err error)
}

// joinWithinLimit joins m to a presence channel unless it is full.
func (h *Hub) joinWithinLimit(ctx context.Context, appID, name, socketID string, m Member, max int) (bool, error) {
	if lj, ok := h.presence.(LimitedJoiner); ok {
		return lj.JoinLimited(ctx, appID, name, socketID, m, max)
	}
	members, err := h.presence.Members(ctx, appID, name)
	if err != nil {
		return false, err
	}
	if len(members) >= max && !hasMember(members, m.UserID) {
		return false, ErrPresenceFull
	}
	return h.presence.Join(ctx, appID, name, socketID, m)
}
