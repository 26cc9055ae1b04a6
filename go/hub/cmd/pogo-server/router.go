package main

import (
	"net/http"
	"strings"
)

// wsPrefix is the path prefix of the WebSocket endpoint (/app/{key}).
const wsPrefix = "/app/"

// router is the public handler: a clean path under /app/ goes straight to
// the WebSocket handler, everything else through mux. The shortcut only
// skips work: http.ServeMux would pick the same handler for such a path
// (its "/app/" pattern, no redirect since the path is already clean), but
// its pattern matching allocates on every upgrade.
type router struct {
	ws  http.Handler
	mux *http.ServeMux
}

func (rt router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p := r.URL.Path; strings.HasPrefix(p, wsPrefix) && isCleanPath(p) {
		rt.ws.ServeHTTP(w, r)
		return
	}
	rt.mux.ServeHTTP(w, r)
}

// isCleanPath reports whether p, a rooted path, is unchanged by the
// cleaning http.ServeMux applies (path.Clean, keeping a trailing slash):
// no empty, "." or ".." segment.
func isCleanPath(p string) bool {
	if !strings.HasPrefix(p, "/") {
		return false
	}
	for seg := range strings.SplitSeq(p[1:], "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	return !strings.Contains(p, "//")
}
