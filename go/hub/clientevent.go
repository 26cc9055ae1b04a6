package hub

import (
	"fmt"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

// handleClientEvent relays a client-* event to the channel's other
// subscribers on every node. Rules, each rejection a pusher:error 4301
// with the event dropped and the connection left open:
//   - the app enables client events (App.ClientEvents);
//   - the channel is private- or presence- (not private-encrypted-: pusher-js
//     refuses to trigger client events on encrypted channels, and the server
//     could not check the ciphertext anyway);
//   - the sender is subscribed to the channel;
//   - the event name fits MaxEventNameLength and the data MaxPayloadBytes;
//   - the sender stays within ClientEventsPerSecond (fixed one-second window).
//
// The event is never echoed to the sender; on presence channels it carries
// the sender's "user_id". It is also reported as a client_event webhook.
func (s *Session) handleClientEvent(in *Inbound) {
	if msg := s.checkClientEvent(in); msg != "" {
		s.h.metrics.Dropped(s.app.ID, DropClientEvent)
		s.sendError(pusher.CodeClientEventRejected, msg)
		return
	}
	data, err := dataString(in.Data)
	if err != nil || len(data) > s.lim.MaxPayloadBytes {
		s.h.metrics.Dropped(s.app.ID, DropClientEvent)
		s.sendError(pusher.CodeClientEventRejected, fmt.Sprintf("Client event data invalid or larger than %d bytes", s.lim.MaxPayloadBytes))
		return
	}
	var userID string
	if sub := s.subs[in.Channel]; sub.member != nil {
		userID = sub.member.UserID
	}
	s.h.publishMessage(Message{
		AppID: s.app.ID, Channels: []string{in.Channel}, Event: in.Event, Data: data,
		ExceptSocketID: s.socketID, UserID: userID,
	})
	s.h.notify(s.app, WebhookEvent{
		Name: WebhookClientEvent, Channel: in.Channel, Event: in.Event, Data: data,
		SocketID: s.socketID, UserID: userID,
	})
}

// checkClientEvent returns why in must be rejected, or "". It consumes one
// unit of the rate limit when everything else passes.
func (s *Session) checkClientEvent(in *Inbound) string {
	switch {
	case !s.app.ClientEvents:
		return "Client events are not enabled for this app"
	case !pusher.KindOf(in.Channel).AllowsClientEvents():
		return "Client events are only allowed on private and presence channels"
	case s.subs[in.Channel] == nil:
		return "Client event sent to channel " + in.Channel + " without a subscription"
	case len(in.Event) > s.lim.MaxEventNameLength:
		return fmt.Sprintf("Client event name longer than %d bytes", s.lim.MaxEventNameLength)
	}
	sec := s.h.now().Unix()
	if s.rate.second != sec {
		s.rate = rateWindow{second: sec}
	}
	if s.rate.count >= s.lim.ClientEventsPerSecond {
		return fmt.Sprintf("Client event rate limit exceeded (%d per second)", s.lim.ClientEventsPerSecond)
	}
	s.rate.count++
	return ""
}
