package pogows

import (
	"log/slog"
	"net/http"

	"github.com/y-l-g/websocket/go/hub/httpapi"
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
// (signed requests, ±600 s timestamp window, 1 MiB body cap).
func newAPIHandler(inst *instance, _ *settings, log *slog.Logger) (http.Handler, error) {
	return httpapi.New(inst.hub, httpapi.Options{Logger: log}), nil
}
