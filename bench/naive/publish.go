package naive

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/gobwas/ws"

	"github.com/y-l-g/websocket/bench/sign"
)

// maxBody bounds a publish request body.
const maxBody = 1 << 20

// event is the body of POST /apps/{id}/events.
type event struct {
	Name     string   `json:"name"`
	Data     string   `json:"data"`
	Channel  string   `json:"channel"`
	Channels []string `json:"channels"`
}

// outbound is a channel event as sent to subscribers.
type outbound struct {
	Event   string `json:"event"`
	Channel string `json:"channel"`
	Data    string `json:"data"`
}

// servePublish verifies the signature, then writes the event to every
// subscriber of each channel before answering {}.
func (s *Server) servePublish(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("id") != s.opts.App.ID {
		http.Error(w, "unknown app", http.StatusNotFound)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		http.Error(w, "body too large or unreadable", http.StatusRequestEntityTooLarge)
		return
	}
	if !sign.Verify(s.opts.App, r.Method, r.URL.Path, r.URL.Query(), body) {
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	}
	var ev event
	if err := json.Unmarshal(body, &ev); err != nil || ev.Name == "" {
		http.Error(w, "invalid event", http.StatusBadRequest)
		return
	}
	if ev.Channel != "" {
		ev.Channels = append(ev.Channels, ev.Channel)
	}
	for _, ch := range ev.Channels {
		payload, _ := json.Marshal(outbound{Event: ev.Name, Channel: ch, Data: ev.Data})
		frame := ws.MustCompileFrame(ws.NewTextFrame(payload))
		for _, c := range s.subscribers(ch) {
			c.write(frame)
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, "{}")
}
