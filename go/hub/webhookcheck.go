package hub

import (
	"context"
	"slices"
)

// StillCurrent reports whether a webhook event that a sink held back (a
// grace period) still describes the cluster: channel_vacated only while
// the channel is unoccupied everywhere, member_removed only while the user
// is not a member of the channel on any node. Every other event, and any
// event when the state cannot be read (the error is returned too), counts
// as current.
//
// A per-node grace period cannot see that a channel vacated on one node
// was occupied again on another; without this check the receiver could get
// channel_occupied (sent at once by the other node) before the delayed
// channel_vacated, and end up believing the channel empty.
func (h *Hub) StillCurrent(ctx context.Context, appID string, e WebhookEvent) (bool, error) {
	switch e.Name {
	case WebhookChannelVacated:
		info, err := h.Channel(ctx, appID, e.Channel)
		if err != nil {
			return true, err
		}
		return !info.Occupied, nil
	case WebhookMemberRemoved:
		ids, err := h.PresenceUsers(ctx, appID, e.Channel)
		if err != nil {
			return true, err
		}
		return !slices.Contains(ids, e.UserID), nil
	}
	return true, nil
}
