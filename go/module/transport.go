package pogows

import (
	"log/slog"
	"net/http"
)

// newWebSocketHandler returns the transport serving /app/{key} upgrades.
func newWebSocketHandler(inst *instance, s *settings, log *slog.Logger) (http.Handler, error) {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "websocket transport not wired yet", http.StatusNotImplemented)
	}), nil
}

// newAPIHandler returns the Pusher HTTP API handler for /apps/{id}/...
func newAPIHandler(inst *instance, s *settings, log *slog.Logger) (http.Handler, error) {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "http api not wired yet", http.StatusNotImplemented)
	}), nil
}
