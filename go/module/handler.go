package pogows

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/caddyserver/caddy/v2"
	"github.com/caddyserver/caddy/v2/modules/caddyhttp"

	"github.com/y-l-g/websocket/go/hub/wsconn"
)

// errAuthScriptRequested is the (logged) reason of the 404 for a direct
// request of the auth script.
var errAuthScriptRequested = errors.New("pogo_websocket: the auth script is not reachable over HTTP")

// handlerState is what Provision builds and Cleanup releases.
type handlerState struct {
	s       *settings
	inst    *instance
	limiter *rateLimiter
	auth    *authGate // nil: auth paths fall through to next
	guard   scriptGuard
	ws      http.Handler
	api     http.Handler
	log     *slog.Logger
	cleanup sync.Once
}

// Provision resolves placeholders ({env.VAR}) and defaults, acquires the
// shared hub (created on first use, kept across reloads), registers the
// metrics and sets up auth dispatch.
func (h *Handler) Provision(ctx caddy.Context) error {
	log := ctx.Slogger()
	s, err := h.resolve(caddy.NewReplacer())
	if err != nil {
		return err
	}
	if err := globalMetrics.register(ctx.GetMetricsRegistry()); err != nil {
		return fmt.Errorf("pogo_websocket: registering metrics: %w", err)
	}
	st := &handlerState{s: s, log: log, limiter: newRateLimiter(s.handshakeRate, s.handshakeBurst),
		guard: newScriptGuard(s.authScript)}
	h.state = st
	if st.auth, err = newAuthGateFromSettings(ctx, s, log); err != nil {
		return err
	}
	if st.inst, err = acquireInstance(s, log); err != nil {
		return err
	}
	st.inst.apps.push(h, newAppSnapshot(s.apps, s.webhook, s.shutdownTimeout))
	if st.ws, err = newWebSocketHandler(st.inst, s, log); err != nil {
		return err
	}
	if st.api, err = newAPIHandler(st.inst, s, log); err != nil {
		return err
	}
	return nil
}

// Validate checks the configuration (Provision already resolved it).
func (h *Handler) Validate() error {
	if h.state == nil || h.state.s == nil {
		return h.check()
	}
	return nil
}

// Cleanup releases the handler's reference to the hub; the last release
// shuts the hub down (close 4200 to every client within shutdown_timeout).
// A reload provisions the new handler before cleaning up the old one, so a
// hub with an unchanged identity keeps running. Cleanup is idempotent.
func (h *Handler) Cleanup() error {
	st := h.state
	if st == nil {
		return nil
	}
	var err error
	st.cleanup.Do(func() {
		if st.auth != nil {
			err = st.auth.cleanup()
		}
		if st.inst != nil {
			st.inst.apps.pop(h)
			releaseInstance(st.inst)
		}
	})
	return err
}

// ServeHTTP routes the handler's own paths and passes every other request
// to next:
//
//   - /app/{key}: WebSocket upgrade (origin check -> 403, handshake rate
//     limit -> 429, then the transport); non-upgrade requests for a key
//     that is not configured go to next;
//   - /apps/{id}/...: the Pusher HTTP API, for configured app ids;
//
// Both may be preceded by a prefix (pusher-js wsPath, the server SDKs'
// path option): /ws/app/{key}, /api/apps/{id}/events.
//   - auth_path and user_auth_path: the auth dispatcher, when auth_script
//     or auth_worker is configured;
//   - a path that would run the auth_script file as a plain PHP script: 404.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request, next caddyhttp.Handler) error {
	st := h.state
	path := r.URL.Path
	if st.guard.blocks(r) {
		return caddyhttp.Error(http.StatusNotFound, errAuthScriptRequested)
	}
	if key, ok := wsconn.KeyFromPath(path); ok && (isUpgrade(r) || st.knownKey(key)) {
		return st.serveWebSocket(w, r)
	}
	if i := strings.Index(path, "/apps/"); i >= 0 {
		id, _, _ := strings.Cut(path[i+len("/apps/"):], "/")
		if _, known := st.inst.apps.ByID(id); known {
			st.api.ServeHTTP(w, r)
			return nil
		}
	}
	if st.auth != nil {
		switch path {
		case st.s.authPath:
			return st.auth.serve(w, r, AuthChannel)
		case st.s.userAuthPath:
			return st.auth.serve(w, r, AuthUser)
		}
	}
	return next.ServeHTTP(w, r)
}

func (st *handlerState) knownKey(key string) bool {
	_, ok := st.inst.apps.ByKey(key)
	return ok
}

// isUpgrade reports whether r asks for a WebSocket upgrade.
func isUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// serveWebSocket applies the pre-upgrade checks and hands r to the transport.
func (st *handlerState) serveWebSocket(w http.ResponseWriter, r *http.Request) error {
	if !st.s.origins.allowed(r) {
		globalMetrics.handshakeRejection("origin")
		st.log.Debug("pogo_websocket: origin rejected", "origin", r.Header.Get("Origin"), "host", r.Host)
		http.Error(w, "origin not allowed", http.StatusForbidden)
		return nil
	}
	if !st.limiter.allow(clientIP(r)) {
		globalMetrics.handshakeRejection("rate_limit")
		w.Header().Set("Retry-After", "1")
		http.Error(w, "too many handshakes", http.StatusTooManyRequests)
		return nil
	}
	st.ws.ServeHTTP(w, r)
	return nil
}
