package pogows

import (
	"log/slog"
	"net/http"

	"github.com/y-l-g/websocket/go/hub/wsconn"
)

// newWebSocketHandler returns the transport serving /app/{key} upgrades
// with the handler's liveness settings.
func newWebSocketHandler(inst *instance, s *settings, log *slog.Logger) (http.Handler, error) {
	h, err := wsconn.NewHandler(wsconn.HubEngine(inst.hub), wsconn.Options{
		PingPeriod: s.pingPeriod,
		PongWait:   s.pongWait,
		WriteWait:  s.writeWait,
		Logger:     log,
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// newAPIHandler returns the Pusher HTTP API handler for /apps/{id}/...
func newAPIHandler(inst *instance, s *settings, log *slog.Logger) (http.Handler, error) {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "http api not wired yet", http.StatusNotImplemented)
	}), nil
}
