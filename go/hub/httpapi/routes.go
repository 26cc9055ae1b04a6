package httpapi

import (
	"net/http"
	"strings"
)

// route is a parsed API path.
type route struct {
	method  string
	appID   string
	channel string // channels/{channel}[/users]
	userID  string // users/{user_id}/terminate_connections
	run     func(h *Handler, r *request) (any, error)
}

// parseRoute finds /apps/{id}/... in path (any prefix before it is
// allowed) and returns the matching route, or a 404 error.
func parseRoute(path string) (route, error) {
	i := strings.Index(path, "/apps/")
	if i < 0 {
		return route{}, errorf(http.StatusNotFound, "not found: %s", path)
	}
	id, tail, _ := strings.Cut(path[i+len("/apps/"):], "/")
	if id == "" {
		return route{}, errorf(http.StatusNotFound, "not found: %s", path)
	}
	rt := route{appID: id}
	parts := strings.Split(tail, "/")
	switch {
	case tail == "events":
		rt.method, rt.run = http.MethodPost, (*Handler).events
	case tail == "batch_events":
		rt.method, rt.run = http.MethodPost, (*Handler).batchEvents
	case tail == "channels":
		rt.method, rt.run = http.MethodGet, (*Handler).channels
	case len(parts) == 2 && parts[0] == "channels" && parts[1] != "":
		rt.method, rt.run, rt.channel = http.MethodGet, (*Handler).channel, parts[1]
	case len(parts) == 3 && parts[0] == "channels" && parts[1] != "" && parts[2] == "users":
		rt.method, rt.run, rt.channel = http.MethodGet, (*Handler).users, parts[1]
	case len(parts) == 3 && parts[0] == "users" && parts[1] != "" && parts[2] == "terminate_connections":
		rt.method, rt.run, rt.userID = http.MethodPost, (*Handler).terminate, parts[1]
	default:
		return route{}, errorf(http.StatusNotFound, "not found: %s", path)
	}
	return rt, nil
}
