package hub

import "context"

// Occupancy decides channel_occupied and channel_vacated.
//
// On a single node (a LocalBroker) the shard's channel map is the truth: the
// first local subscriber occupies, the last vacates. In a cluster (any other
// Broker) every subscription is also recorded in the PresenceStore under the
// pseudo-channel occupancyPrefix+name as a connection of one pseudo-user,
// so the store's first/last-connection answers are the cluster's first and
// last subscriber: the webhooks fire once per cluster, and Channel reports
// cluster-wide occupancy (subscription counts stay per node).

// occupancyPrefix starts the PresenceStore pseudo-channel of a channel's
// subscribers; '#' never starts a client channel other than
// #server-to-user-, so it cannot clash.
const occupancyPrefix = "#subs:"

// occupancyUser is the single pseudo-user of occupancy pseudo-channels.
const occupancyUser = "subscribers"

// clustered reports whether occupancy goes through the PresenceStore.
func (h *Hub) clustered() bool { return h.cluster }

// occupiedBy records s's subscription to name in the cluster's store and
// reports whether it is the cluster's first subscriber. A single-node hub
// records nothing and returns false: its shard map is the truth (join).
func (h *Hub) occupiedBy(s *Session, name string) bool {
	if !h.clustered() {
		return false
	}
	ctx, cancel := context.WithTimeout(h.ctx, internalPublishTimeout)
	defer cancel()
	first, err := h.presence.Join(ctx, s.app.ID, occupancyPrefix+name, s.socketID, Member{UserID: occupancyUser})
	if err != nil {
		h.log.Warn("hub: occupancy join failed", "app", s.app.ID, "channel", name, "err", err)
		return false
	}
	return first
}

// vacatedBy forgets s's subscription to name and reports whether the
// channel just became vacant. emptyLocal is the single-node answer.
func (h *Hub) vacatedBy(s *Session, name string, emptyLocal bool) bool {
	if !h.clustered() {
		return emptyLocal
	}
	ctx, cancel := context.WithTimeout(h.ctx, internalPublishTimeout)
	defer cancel()
	_, last, ok, err := h.presence.Leave(ctx, s.app.ID, occupancyPrefix+name, s.socketID)
	if err != nil {
		h.log.Warn("hub: occupancy leave failed", "app", s.app.ID, "channel", name, "err", err)
		return false
	}
	return ok && last
}

// clusterOccupied reports whether name has a subscriber on any node
// (clustered hubs only).
func (h *Hub) clusterOccupied(ctx context.Context, appID, name string) (bool, error) {
	ms, err := h.presence.Members(ctx, appID, occupancyPrefix+name)
	return len(ms) > 0, err
}
