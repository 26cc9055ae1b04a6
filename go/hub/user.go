package hub

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

// signinRequest is pusher:signin's data.
type signinRequest struct {
	Auth     string `json:"auth"`
	UserData string `json:"user_data"`
}

// UserData is the decoded signin user_data.
type UserData struct {
	ID        string          `json:"id"`
	UserInfo  json.RawMessage `json:"user_info,omitempty"`
	Watchlist []string        `json:"watchlist,omitempty"`
}

// ParseUserData decodes signin user_data: a JSON object with a non-empty
// string "id" (pusher.ValidUserID, MaxUserIDLength), an optional user_info
// (at most MaxUserInfoBytes) and an optional watchlist of user ids. Errors
// wrap ErrInvalidMessage.
func ParseUserData(raw string, lim pusher.Limits) (UserData, error) {
	var u UserData
	if err := json.Unmarshal([]byte(raw), &u); err != nil {
		return UserData{}, fmt.Errorf("%w: user_data: %v", ErrInvalidMessage, err)
	}
	if !pusher.ValidUserID(u.ID, lim.MaxUserIDLength) {
		return UserData{}, fmt.Errorf("%w: user_data needs a valid string id", ErrInvalidMessage)
	}
	info, err := userInfo(u.UserInfo, lim)
	if err != nil {
		return UserData{}, err
	}
	u.UserInfo = info
	return u, nil
}

// handleSignin authenticates the connection as a user: signature over
// "socket_id::user::user_data", user_data checked by ParseUserData, and a
// connection already signed in as another user is refused. Success sends
// pusher:signin_success with data {"user_data":"<user_data>"}, then the
// watchlist's currently online users; a watchlist longer than MaxWatchlist is
// truncated and reported with pusher:error 4302 (signin still succeeds).
// Failures are a pusher:error with code null; the connection stays open.
func (s *Session) handleSignin(raw json.RawMessage) {
	var req signinRequest
	if len(raw) == 0 || json.Unmarshal(raw, &req) != nil {
		s.sendError(0, "Invalid signin payload: expected {\"auth\":string,\"user_data\":string}")
		return
	}
	if !verifyAuth(s.app, req.Auth, UserAuthString(s.socketID, req.UserData)) {
		s.sendError(0, "Invalid signature for user authentication")
		return
	}
	u, err := ParseUserData(req.UserData, s.lim)
	if err != nil {
		s.sendError(0, err.Error())
		return
	}
	if s.userID != "" && s.userID != u.ID {
		s.sendError(0, "Connection is already signed in as another user")
		return
	}
	truncated := len(u.Watchlist) > s.lim.MaxWatchlist
	if truncated {
		u.Watchlist = u.Watchlist[:s.lim.MaxWatchlist]
	}
	s.userID, s.userInfo = u.ID, u.UserInfo
	s.st.signIn(u.ID, s)
	// Online everywhere before the client hears of it: a user that has seen
	// signin_success is online for every watcher that signs in afterwards.
	s.markOnline()

	d := append([]byte(`{"user_data":`), appendJSONString(nil, req.UserData)...)
	s.send(&serverEvent{Event: pusher.EventSigninSuccess, Data: string(append(d, '}'))})
	if truncated {
		s.sendError(pusher.CodeWatchlistLimit, fmt.Sprintf("Watchlist limited to the first %d user ids", s.lim.MaxWatchlist))
	}
	s.st.unwatch(s, s.watchlist)
	s.watchlist = u.Watchlist
	s.st.watch(s, u.Watchlist)
	s.initWatched(u.Watchlist, s.h.onlineUsers(s.app.ID, u.Watchlist))
}

// initWatched records the watchlist's current states and sends the online
// ones. Later events repeating a reported state are skipped (reportWatch),
// so an "online" still in flight from before the snapshot is not doubled.
func (s *Session) initWatched(ids, online []string) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.watched = make(map[string]bool, len(ids))
	for _, id := range ids {
		s.watched[id] = false
	}
	for _, id := range online {
		s.watched[id] = true
	}
	if len(online) > 0 {
		s.writeFrame(watchlistFrame("online", online))
	}
}

// reportWatch writes frame f (event name for userID) unless the session no
// longer watches userID or was already told that state.
func (s *Session) reportWatch(name, userID string, f []byte) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	on := name == "online"
	if cur, ok := s.watched[userID]; !ok || cur == on {
		return
	}
	s.watched[userID] = on
	s.writeFrame(f)
}

// onlineKey is the PresenceStore pseudo-channel holding every signed-in
// connection of an app ('#' cannot start a client channel name other than
// #server-to-user-), so a user's first and last connection are known
// across nodes.
const onlineKey = "#online"

// markOnline records the signed-in socket in the PresenceStore; on the
// user's first connection (cluster-wide) watchers on every node get
// "online". Callers hold s.mu.
func (s *Session) markOnline() {
	ctx, cancel := context.WithTimeout(s.h.ctx, internalPublishTimeout)
	defer cancel()
	first, err := s.h.presence.Join(ctx, s.app.ID, onlineKey, s.socketID, Member{UserID: s.userID})
	if err != nil {
		s.h.log.Warn("hub: online join failed", "app", s.app.ID, "err", err)
		return
	}
	if first {
		s.h.publishMessage(Message{AppID: s.app.ID, Event: controlWatchlist, UserID: s.userID, Data: "online"})
	}
}

// OnlineChecker is an optional PresenceStore extension: Online returns
// which of ids have at least one signed-in connection. Without it the hub
// filters the full member list.
type OnlineChecker interface {
	Online(ctx context.Context, appID, channel string, ids []string) ([]string, error)
}

// onlineUsers returns the ids (in order) that are signed in somewhere.
func (h *Hub) onlineUsers(appID string, ids []string) []string {
	if len(ids) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(h.ctx, internalPublishTimeout)
	defer cancel()
	if oc, ok := h.presence.(OnlineChecker); ok {
		on, err := oc.Online(ctx, appID, onlineKey, ids)
		if err != nil {
			h.log.Warn("hub: online check failed", "app", appID, "err", err)
		}
		return on
	}
	ms, err := h.presence.Members(ctx, appID, onlineKey)
	if err != nil {
		h.log.Warn("hub: online check failed", "app", appID, "err", err)
		return nil
	}
	set := make(map[string]bool, len(ms))
	for _, m := range ms {
		set[m.UserID] = true
	}
	var out []string
	for _, id := range ids {
		if set[id] {
			out = append(out, id)
		}
	}
	return out
}

// signOut undoes signin on close: watchers get "offline" when this was the
// user's last connection on this node. Callers hold s.mu.
func (s *Session) signOut() {
	s.st.unwatch(s, s.watchlist)
	s.watchlist = nil
	if s.userID == "" {
		return
	}
	s.st.signOut(s.userID, s)
	ctx, cancel := context.WithTimeout(s.h.ctx, internalPublishTimeout)
	defer cancel()
	_, last, ok, err := s.h.presence.Leave(ctx, s.app.ID, onlineKey, s.socketID)
	if err != nil {
		s.h.log.Warn("hub: online leave failed", "app", s.app.ID, "err", err)
		return
	}
	if ok && last {
		s.h.publishMessage(Message{AppID: s.app.ID, Event: controlWatchlist, UserID: s.userID, Data: "offline"})
	}
}

// watchlistEvent tells this node's sessions watching userID that it went
// name ("online" or "offline"); the brokered control command runs it on
// every node.
func (h *Hub) watchlistEvent(appID, name, userID string) {
	st := h.lookupAppState(appID)
	if st == nil {
		return
	}
	watchers := st.watchersOf(userID)
	if len(watchers) == 0 {
		return
	}
	f := watchlistFrame(name, []string{userID})
	for _, w := range watchers {
		w.reportWatch(name, userID, f)
	}
}

// watchlistFrame encodes pusher_internal:watchlist_events with one event:
// data {"events":[{"name":name,"user_ids":[...]}]}.
func watchlistFrame(name string, ids []string) []byte {
	d := append([]byte(`{"events":[{"name":`), appendJSONString(nil, name)...)
	d = append(d, `,"user_ids":[`...)
	for i, id := range ids {
		if i > 0 {
			d = append(d, ',')
		}
		d = appendJSONString(d, id)
	}
	d = append(d, `]}]}`...)
	return encodeFrame(&serverEvent{Event: pusher.InternalWatchlistEvents, Data: string(d)})
}

// TerminateUser closes every connection signed in as userID on every node,
// with a pusher:error and close code 4009 (pusher-js does not reconnect).
// The command travels through the broker.
func (h *Hub) TerminateUser(ctx context.Context, appID, userID string) error {
	if app, ok := h.cfg.Apps.ByID(appID); !ok || app == nil {
		return fmt.Errorf("%w: %s", ErrUnknownApp, appID)
	}
	m := Message{AppID: appID, Event: controlTerminateUser, UserID: userID}
	if err := h.broker.Publish(ctx, &Envelope{Node: h.cfg.NodeID, Message: m}); err != nil {
		return fmt.Errorf("hub: terminate user %s: %w", userID, err)
	}
	return nil
}

// terminateLocal closes this node's connections of userID.
func (h *Hub) terminateLocal(appID, userID string) {
	st := h.lookupAppState(appID)
	if st == nil {
		return
	}
	for _, s := range st.userSessions(userID) {
		s.fail(pusher.NewCloseError(pusher.CodeUnauthorized, "User connections terminated"))
	}
}
