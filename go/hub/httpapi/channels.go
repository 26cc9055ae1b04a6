package httpapi

import (
	"math"
	"net/http"
	"strings"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

// channels serves GET /apps/{id}/channels: the occupied channels whose
// names start with filter_by_prefix. info=user_count needs a presence-
// prefix; subscription_count is allowed for any prefix.
func (h *Handler) channels(r *request) (any, error) {
	prefix := r.params["filter_by_prefix"]
	info, err := splitInfo(r.params["info"], "user_count", "subscription_count")
	if err != nil {
		return nil, err
	}
	if info["user_count"] && !strings.HasPrefix(prefix, pusher.PrefixPresence) {
		return nil, errorf(http.StatusBadRequest, "info=user_count needs filter_by_prefix=presence-")
	}
	list, err := h.b.Channels(r.ctx, r.app.ID, prefix)
	if err != nil {
		return nil, backendError(err)
	}
	out := make(map[string]map[string]int, len(list))
	for _, c := range list {
		attrs := map[string]int{}
		if info["user_count"] {
			attrs["user_count"] = c.UserCount
		}
		if info["subscription_count"] {
			attrs["subscription_count"] = c.SubscriptionCount
		}
		out[c.Name] = attrs
	}
	return map[string]any{"channels": out}, nil
}

// channelInfo is the response of GET /apps/{id}/channels/{channel}.
type channelInfo struct {
	Occupied          bool        `json:"occupied"`
	UserCount         *int        `json:"user_count,omitempty"`
	SubscriptionCount *int        `json:"subscription_count,omitempty"`
	Cache             *cacheValue `json:"cache,omitempty"`
}

type cacheValue struct {
	Data string `json:"data"`
	TTL  int    `json:"ttl"` // seconds left, rounded up
}

// channel serves GET /apps/{id}/channels/{channel}. info attributes:
// user_count (presence channels only), subscription_count, cache (cache
// channels only; omitted from the response when nothing is cached).
func (h *Handler) channel(r *request) (any, error) {
	name := r.route.channel
	if err := checkChannel(r, name); err != nil {
		return nil, err
	}
	info, err := splitInfo(r.params["info"], "user_count", "subscription_count", "cache")
	if err != nil {
		return nil, err
	}
	if info["user_count"] && pusher.KindOf(name) != pusher.KindPresence {
		return nil, errorf(http.StatusBadRequest, "info=user_count is only available on presence channels")
	}
	if info["cache"] && !pusher.IsCache(name) {
		return nil, errorf(http.StatusBadRequest, "info=cache is only available on cache channels")
	}
	ci, err := h.b.Channel(r.ctx, r.app.ID, name)
	if err != nil {
		return nil, backendError(err)
	}
	out := channelInfo{Occupied: ci.Occupied}
	if info["user_count"] {
		out.UserCount = &ci.UserCount
	}
	if info["subscription_count"] {
		out.SubscriptionCount = &ci.SubscriptionCount
	}
	if info["cache"] && ci.Cache != nil {
		out.Cache = &cacheValue{Data: ci.Cache.Data, TTL: int(math.Ceil(ci.Cache.TTL.Seconds()))}
	}
	return out, nil
}

// users serves GET /apps/{id}/channels/{channel}/users (presence only).
func (h *Handler) users(r *request) (any, error) {
	name := r.route.channel
	if err := checkChannel(r, name); err != nil {
		return nil, err
	}
	if pusher.KindOf(name) != pusher.KindPresence {
		return nil, errorf(http.StatusBadRequest, "users are only available on presence channels")
	}
	ids, err := h.b.PresenceUsers(r.ctx, r.app.ID, name)
	if err != nil {
		return nil, backendError(err)
	}
	type user struct {
		ID string `json:"id"`
	}
	users := make([]user, len(ids))
	for i, id := range ids {
		users[i] = user{ID: id}
	}
	return map[string]any{"users": users}, nil
}

// terminate serves POST /apps/{id}/users/{user_id}/terminate_connections:
// every connection signed in as the user is closed (4009), on every node.
func (h *Handler) terminate(r *request) (any, error) {
	id := r.route.userID
	if !pusher.ValidUserID(id, r.limits.MaxUserIDLength) {
		return nil, errorf(http.StatusBadRequest, "invalid user id %q", id)
	}
	if err := h.b.TerminateUser(r.ctx, r.app.ID, id); err != nil {
		return nil, backendError(err)
	}
	return struct{}{}, nil
}

// checkChannel validates a channel name taken from the path.
func checkChannel(r *request, name string) error {
	if !pusher.ValidChannelName(name, r.limits.MaxChannelNameLength) {
		return errorf(http.StatusBadRequest, "invalid channel name %q", name)
	}
	return nil
}
