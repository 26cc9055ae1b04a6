package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// Defaults of Options.
const (
	DefaultTimestampWindow = 600 * time.Second
	DefaultMaxBodyBytes    = 1 << 20 // 1 MiB
)

// Backend is what the API needs from the hub; *hub.Hub satisfies it.
type Backend interface {
	Apps() hub.AppProvider
	Publish(ctx context.Context, m hub.Message) hub.Status
	Channel(ctx context.Context, appID, name string) (hub.ChannelInfo, error)
	Channels(ctx context.Context, appID, prefix string) ([]hub.ChannelInfo, error)
	PresenceUsers(ctx context.Context, appID, channel string) ([]string, error)
	TerminateUser(ctx context.Context, appID, userID string) error
}

var _ Backend = (*hub.Hub)(nil)

// Options configure a Handler; zero fields take the defaults.
type Options struct {
	// TimestampWindow is the accepted distance between auth_timestamp and
	// the server clock, both ways. Default 600s.
	TimestampWindow time.Duration
	// MaxBodyBytes caps request bodies (413 above). Default 1 MiB.
	MaxBodyBytes int64
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Logger receives server-side failures; default slog.Default().
	Logger *slog.Logger
}

// Handler serves the Pusher HTTP API. It is safe for concurrent use.
type Handler struct {
	b    Backend
	opts Options
}

// New returns a Handler over b.
func New(b Backend, opts Options) *Handler {
	if opts.TimestampWindow <= 0 {
		opts.TimestampWindow = DefaultTimestampWindow
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Handler{b: b, opts: opts}
}

// apiError is an error with its HTTP status.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func errorf(status int, format string, args ...any) *apiError {
	return &apiError{status: status, msg: fmt.Sprintf(format, args...)}
}

// request is one authenticated API call.
type request struct {
	ctx    context.Context
	app    *hub.App
	limits pusher.Limits
	params map[string]string // query parameters, keys lowercased
	body   []byte
	route  route
}

// ServeHTTP routes, authenticates and answers one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt, err := parseRoute(r.URL.Path)
	if err == nil && r.Method != rt.method {
		w.Header().Set("Allow", rt.method)
		err = errorf(http.StatusMethodNotAllowed, "method %s not allowed, use %s", r.Method, rt.method)
	}
	var resp any
	if err == nil {
		resp, err = h.serve(r, rt)
	}
	if err != nil {
		h.writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// serve looks the app up, reads the body, checks the signature and runs the route.
func (h *Handler) serve(r *http.Request, rt route) (any, error) {
	app, ok := h.b.Apps().ByID(rt.appID)
	if !ok || app == nil {
		return nil, errorf(http.StatusNotFound, "unknown app %q", rt.appID)
	}
	// The signature covers the query (body_md5 included), so it is checked
	// before the body is read: an unauthenticated client cannot make the
	// server buffer a body at all.
	params, err := h.authenticate(r, app)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, h.opts.MaxBodyBytes+1))
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "reading body: %v", err)
	}
	if int64(len(body)) > h.opts.MaxBodyBytes {
		return nil, errorf(http.StatusRequestEntityTooLarge, "request body above %d bytes", h.opts.MaxBodyBytes)
	}
	if err := checkBodyMD5(params, body); err != nil {
		return nil, err
	}
	if app.Disabled {
		return nil, errorf(http.StatusForbidden, "app %q is disabled", app.ID)
	}
	req := &request{ctx: r.Context(), app: app, limits: app.Limits.WithDefaults(), params: params, body: body, route: rt}
	return rt.run(h, req)
}

// writeError answers err as {"error": "..."} with its status.
func (h *Handler) writeError(w http.ResponseWriter, err error) {
	var ae *apiError
	if !errors.As(err, &ae) {
		h.opts.Logger.Error("httpapi: internal error", "err", err)
		ae = errorf(http.StatusInternalServerError, "internal error")
	}
	if ae.status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	writeJSON(w, ae.status, map[string]string{"error": ae.msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"encoding response"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// backendError maps a query error of the hub to an API error.
func backendError(err error) error {
	switch {
	case errors.Is(err, hub.ErrUnknownApp):
		return errorf(http.StatusNotFound, "%v", err)
	case errors.Is(err, hub.ErrNotPresence):
		return errorf(http.StatusBadRequest, "%v", err)
	case errors.Is(err, hub.ErrClosed), errors.Is(err, hub.ErrBrokerQueueFull):
		return errorf(http.StatusServiceUnavailable, "%v", err)
	}
	return fmt.Errorf("httpapi: backend: %w", err)
}

// statusError maps a publish status to an API error; nil for StatusOK.
func statusError(s hub.Status) error {
	var code int
	switch s {
	case hub.StatusOK:
		return nil
	case hub.StatusHubMissing:
		code = http.StatusNotFound
	case hub.StatusChannelTooLong, hub.StatusEventTooLong, hub.StatusInvalidPayloadJSON, hub.StatusInvalidMultiJSON:
		code = http.StatusBadRequest
	case hub.StatusPayloadTooLarge:
		code = http.StatusRequestEntityTooLarge
	case hub.StatusBrokerQueueFull, hub.StatusShardQueueFull:
		code = http.StatusServiceUnavailable
	default: // StatusBrokerFailed and unknown values
		code = http.StatusInternalServerError
	}
	return errorf(code, "publish failed: %s (status %d)", s, int(s))
}

// splitInfo parses a comma-separated info parameter, allowing only allowed.
func splitInfo(s string, allowed ...string) (map[string]bool, error) {
	out := map[string]bool{}
	if s == "" {
		return out, nil
	}
	for _, a := range strings.Split(s, ",") {
		a = strings.TrimSpace(a)
		ok := false
		for _, x := range allowed {
			ok = ok || a == x
		}
		if !ok {
			return nil, errorf(http.StatusBadRequest, "unknown info attribute %q (allowed: %s)", a, strings.Join(allowed, ","))
		}
		out[a] = true
	}
	return out, nil
}
