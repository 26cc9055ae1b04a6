package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"

	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// socketIDPattern is the shape of socket ids (shared/PROTOCOL.md §A.10).
var socketIDPattern = regexp.MustCompile(`\A\d+\.\d+\z`)

// eventInput is one event of POST /events or of a batch.
type eventInput struct {
	Name     string          `json:"name"`
	Data     json.RawMessage `json:"data"`
	Channel  string          `json:"channel"`
	Channels []string        `json:"channels"`
	SocketID string          `json:"socket_id"`
	Info     string          `json:"info"`
}

// validated is an event ready to publish.
type validated struct {
	msg  hub.Message
	info map[string]bool
}

// decodeJSON decodes body into v; trailing data is an error.
func decodeJSON(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return errorf(http.StatusBadRequest, "invalid JSON body: %v", err)
	}
	if dec.More() {
		return errorf(http.StatusBadRequest, "invalid JSON body: trailing data")
	}
	return nil
}

// validate checks one event against the app's limits. batch events must
// name exactly one channel with "channel".
func validate(r *request, in *eventInput, batch bool) (validated, error) {
	lim := r.limits
	v := validated{msg: hub.Message{AppID: r.app.ID, Event: in.Name, ExceptSocketID: in.SocketID}}
	switch {
	case in.Channel != "" && in.Channels != nil:
		return v, errorf(http.StatusBadRequest, "give channel or channels, not both")
	case batch && in.Channels != nil:
		return v, errorf(http.StatusBadRequest, "batch events take a single channel")
	case in.Channel != "":
		v.msg.Channels = []string{in.Channel}
	default:
		v.msg.Channels = in.Channels
	}
	if len(v.msg.Channels) == 0 {
		return v, errorf(http.StatusBadRequest, "no channel given")
	}
	if len(v.msg.Channels) > lim.MaxChannelsPerPublish {
		return v, errorf(http.StatusBadRequest, "too many channels: %d (max %d)", len(v.msg.Channels), lim.MaxChannelsPerPublish)
	}
	for _, c := range v.msg.Channels {
		if !pusher.ValidChannelName(c, lim.MaxChannelNameLength) {
			return v, errorf(http.StatusBadRequest, "invalid channel name %q (max %d characters of [A-Za-z0-9_-=@,.;])", c, lim.MaxChannelNameLength)
		}
	}
	if in.Name == "" || len(in.Name) > lim.MaxEventNameLength {
		return v, errorf(http.StatusBadRequest, "event name must be 1..%d bytes", lim.MaxEventNameLength)
	}
	if len(in.Data) == 0 || string(in.Data) == "null" || json.Unmarshal(in.Data, &v.msg.Data) != nil {
		return v, errorf(http.StatusBadRequest, "data must be a string")
	}
	if len(v.msg.Data) > lim.MaxPayloadBytes {
		return v, errorf(http.StatusRequestEntityTooLarge, "data is %d bytes, above the %d bytes limit", len(v.msg.Data), lim.MaxPayloadBytes)
	}
	if in.SocketID != "" && !socketIDPattern.MatchString(in.SocketID) {
		return v, errorf(http.StatusBadRequest, "invalid socket_id %q", in.SocketID)
	}
	info, err := splitInfo(in.Info, "user_count", "subscription_count")
	v.info = info
	return v, err
}

// events serves POST /apps/{id}/events: {} or {"channels": {...}} with info.
func (h *Handler) events(r *request) (any, error) {
	var in eventInput
	if err := decodeJSON(r.body, &in); err != nil {
		return nil, err
	}
	v, err := validate(r, &in, false)
	if err != nil {
		return nil, err
	}
	if err := statusError(h.b.Publish(r.ctx, v.msg)); err != nil {
		return nil, err
	}
	if len(v.info) == 0 {
		return struct{}{}, nil
	}
	chans := make(map[string]map[string]int, len(v.msg.Channels))
	for _, c := range v.msg.Channels {
		attrs, err := h.channelAttrs(r, c, v.info)
		if err != nil {
			return nil, err
		}
		chans[c] = attrs
	}
	return map[string]any{"channels": chans}, nil
}

// batchEvents serves POST /apps/{id}/batch_events. Every event is validated
// before any is published; publishing stops at the first failure (earlier
// events stay published). With info on any event the response is
// {"batch":[...]} aligned with the request.
func (h *Handler) batchEvents(r *request) (any, error) {
	var in struct {
		Batch []eventInput `json:"batch"`
	}
	if err := decodeJSON(r.body, &in); err != nil {
		return nil, err
	}
	if len(in.Batch) == 0 || len(in.Batch) > r.limits.MaxBatchEvents {
		return nil, errorf(http.StatusBadRequest, "batch must hold 1..%d events, got %d", r.limits.MaxBatchEvents, len(in.Batch))
	}
	vs := make([]validated, len(in.Batch))
	withInfo := false
	for i := range in.Batch {
		v, err := validate(r, &in.Batch[i], true)
		if err != nil {
			return nil, batchError(i, err)
		}
		vs[i], withInfo = v, withInfo || len(v.info) > 0
	}
	for i, v := range vs {
		if err := statusError(h.b.Publish(r.ctx, v.msg)); err != nil {
			return nil, batchError(i, err)
		}
	}
	if !withInfo {
		return struct{}{}, nil
	}
	out := make([]map[string]int, len(vs))
	for i, v := range vs {
		attrs, err := h.channelAttrs(r, v.msg.Channels[0], v.info)
		if err != nil {
			return nil, err
		}
		out[i] = attrs
	}
	return map[string]any{"batch": out}, nil
}

// batchError prefixes an API error with the index of the failing event.
func batchError(i int, err error) error {
	if ae, ok := err.(*apiError); ok {
		return errorf(ae.status, "batch event %d: %s", i, ae.msg)
	}
	return err
}

// channelAttrs returns the requested counts of one channel: user_count for
// presence channels only, subscription_count for any channel.
func (h *Handler) channelAttrs(r *request, name string, want map[string]bool) (map[string]int, error) {
	attrs := map[string]int{}
	if len(want) == 0 {
		return attrs, nil
	}
	ci, err := h.b.Channel(r.ctx, r.app.ID, name)
	if err != nil {
		return nil, backendError(err)
	}
	if want["user_count"] && pusher.KindOf(name) == pusher.KindPresence {
		attrs["user_count"] = ci.UserCount
	}
	if want["subscription_count"] {
		attrs["subscription_count"] = ci.SubscriptionCount
	}
	return attrs, nil
}
