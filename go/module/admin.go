package pogows

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"github.com/caddyserver/caddy/v2"
)

// AdminAPI is the admin.api.pogo_websocket module. It serves
// GET /pogo_websocket/stats on Caddy's admin endpoint with a snapshot of
// every running hub:
//
//	{"hubs":[{"apps":{"pogo-app":{"connections":3,"channels":2,"subscriptions":4}}}]}
//
// Hubs are listed in a stable order (by identity). The module is loaded
// automatically with the admin endpoint; it has no configuration.
type AdminAPI struct{}

// CaddyModule returns the Caddy module information.
func (AdminAPI) CaddyModule() caddy.ModuleInfo {
	return caddy.ModuleInfo{
		ID:  "admin.api.pogo_websocket",
		New: func() caddy.Module { return new(AdminAPI) },
	}
}

// Routes returns the admin routes.
func (a *AdminAPI) Routes() []caddy.AdminRoute {
	return []caddy.AdminRoute{{Pattern: "/pogo_websocket/stats", Handler: caddy.AdminHandlerFunc(a.stats)}}
}

// AppStatsJSON is one app's entry in the stats response.
type AppStatsJSON struct {
	Connections   int `json:"connections"`
	Channels      int `json:"channels"`
	Subscriptions int `json:"subscriptions"`
}

// HubStatsJSON is one hub's entry in the stats response.
type HubStatsJSON struct {
	Apps map[string]AppStatsJSON `json:"apps"`
}

// StatsJSON is the stats response.
type StatsJSON struct {
	Hubs []HubStatsJSON `json:"hubs"`
}

func (a *AdminAPI) stats(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodGet {
		return caddy.APIError{HTTPStatus: http.StatusMethodNotAllowed, Err: fmt.Errorf("method %s not allowed", r.Method)}
	}
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(collectStats())
}

// collectStats snapshots every running hub.
func collectStats() StatsJSON {
	var insts []*instance
	instances.Range(func(_, v any) bool {
		if inst, ok := v.(*instance); ok && inst != nil && inst.hub != nil {
			insts = append(insts, inst)
		}
		return true
	})
	slices.SortFunc(insts, func(x, y *instance) int {
		switch {
		case x.key < y.key:
			return -1
		case x.key > y.key:
			return 1
		}
		return 0
	})
	out := StatsJSON{Hubs: []HubStatsJSON{}}
	for _, inst := range insts {
		hs := HubStatsJSON{Apps: map[string]AppStatsJSON{}}
		for id, s := range inst.stats() {
			hs.Apps[id] = AppStatsJSON{Connections: s.Connections, Channels: s.Channels, Subscriptions: s.Subscriptions}
		}
		out.Hubs = append(out.Hubs, hs)
	}
	return out
}

// Interface guards
var _ caddy.AdminRouter = (*AdminAPI)(nil)
