// Package naive is the load tool's yardstick for "plain Go": a Pusher
// server written the obvious way on gobwas/ws. One goroutine reads each
// connection; a publish compiles its frame once and writes it to every
// subscriber in turn from the HTTP handler. It speaks just enough of the
// protocol for the load scenarios: connection_established, public
// subscribe/unsubscribe, pusher:ping, and a signed POST /apps/{id}/events.
// It has no presence, no auth, no client events, no slow-consumer policy
// beyond a write deadline.
package naive

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/y-l-g/websocket/bench/sign"
)

// Options configure a Server. The zero value of each field is noted.
type Options struct {
	App            sign.App      // the only app served (required)
	MaxConnections int           // 0 = unlimited
	WriteWait      time.Duration // deadline of each socket write; 0 = 5s
	Logger         *slog.Logger  // nil = discard
}

// Server is the naive reference server. It is an http.Handler serving
// /app/{key} (WebSocket) and /apps/{id}/events (HTTP API).
type Server struct {
	opts  Options
	conns atomic.Int64
	mu    sync.RWMutex
	chans map[string]map[*conn]struct{}
	mux   *http.ServeMux
}

// New returns a Server for opts.
func New(opts Options) (*Server, error) {
	if opts.App.ID == "" || opts.App.Key == "" || opts.App.Secret == "" {
		return nil, fmt.Errorf("naive: app id, key and secret are required")
	}
	if opts.MaxConnections < 0 {
		return nil, fmt.Errorf("naive: MaxConnections must not be negative")
	}
	if opts.WriteWait <= 0 {
		opts.WriteWait = 5 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{opts: opts, chans: make(map[string]map[*conn]struct{})}
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET /app/{key}", s.serveWS)
	s.mux.HandleFunc("POST /apps/{id}/events", s.servePublish)
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// subscribe adds c to channel ch.
func (s *Server) subscribe(c *conn, ch string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	set := s.chans[ch]
	if set == nil {
		set = make(map[*conn]struct{})
		s.chans[ch] = set
	}
	set[c] = struct{}{}
}

// unsubscribe removes c from channel ch.
func (s *Server) unsubscribe(c *conn, ch string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if set := s.chans[ch]; set != nil {
		delete(set, c)
		if len(set) == 0 {
			delete(s.chans, ch)
		}
	}
}

// subscribers returns a snapshot of channel ch's subscribers.
func (s *Server) subscribers(ch string) []*conn {
	s.mu.RLock()
	defer s.mu.RUnlock()
	set := s.chans[ch]
	out := make([]*conn, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	return out
}

// socketID returns a random id of the shape \d+\.\d+.
func socketID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%d.%d", binary.LittleEndian.Uint32(b[:4])%1e9, binary.LittleEndian.Uint32(b[4:])%1e9)
}
