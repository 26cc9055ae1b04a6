package naive

import (
	"encoding/json"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gobwas/ws"
	"github.com/gobwas/ws/wsutil"
)

// conn is one WebSocket client. Writes are serialised by mu.
type conn struct {
	net.Conn
	mu        sync.Mutex
	writeWait time.Duration
	channels  map[string]struct{} // owned by the read goroutine
}

// write sends one precompiled frame; an error closes the connection.
func (c *conn) write(frame []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = c.SetWriteDeadline(time.Now().Add(c.writeWait))
	if _, err := c.Conn.Write(frame); err != nil {
		_ = c.Conn.Close()
	}
}

// writeJSON sends v as one text frame.
func (c *conn) writeJSON(v any) {
	b, _ := json.Marshal(v)
	c.write(ws.MustCompileFrame(ws.NewTextFrame(b)))
}

// inbound is a client-to-server message.
type inbound struct {
	Event string `json:"event"`
	Data  struct {
		Channel string `json:"channel"`
	} `json:"data"`
}

// serveWS upgrades, greets, then reads until the client goes away.
func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("key") != s.opts.App.Key {
		http.Error(w, "unknown app key", http.StatusNotFound)
		return
	}
	if max := s.opts.MaxConnections; max > 0 && s.conns.Load() >= int64(max) {
		http.Error(w, "over capacity", http.StatusServiceUnavailable)
		return
	}
	nc, _, _, err := ws.UpgradeHTTP(r, w)
	if err != nil {
		return
	}
	s.conns.Add(1)
	defer s.conns.Add(-1)
	c := &conn{Conn: nc, writeWait: s.opts.WriteWait, channels: make(map[string]struct{})}
	defer s.drop(c)
	data, _ := json.Marshal(map[string]any{"socket_id": socketID(), "activity_timeout": 120})
	c.writeJSON(map[string]string{"event": "pusher:connection_established", "data": string(data)})
	for {
		msg, op, err := wsutil.ReadClientData(nc)
		if err != nil {
			return
		}
		if op == ws.OpText {
			s.handle(c, msg)
		}
	}
}

// handle answers one client message.
func (s *Server) handle(c *conn, msg []byte) {
	var in inbound
	if err := json.Unmarshal(msg, &in); err != nil {
		return
	}
	switch in.Event {
	case "pusher:ping":
		c.writeJSON(map[string]string{"event": "pusher:pong", "data": "{}"})
	case "pusher:subscribe":
		if in.Data.Channel == "" {
			return
		}
		c.channels[in.Data.Channel] = struct{}{}
		s.subscribe(c, in.Data.Channel)
		c.writeJSON(map[string]string{"event": "pusher_internal:subscription_succeeded", "channel": in.Data.Channel, "data": "{}"})
	case "pusher:unsubscribe":
		delete(c.channels, in.Data.Channel)
		s.unsubscribe(c, in.Data.Channel)
	}
}

// drop forgets a closed connection.
func (s *Server) drop(c *conn) {
	for ch := range c.channels {
		s.unsubscribe(c, ch)
	}
	_ = c.Conn.Close()
}
