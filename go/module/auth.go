package pogows

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
)

// authGate bounds and measures auth requests before handing them to the
// AuthDispatcher:
//
//   - a body larger than max_auth_body is refused with 413 (by
//     Content-Length, or while reading); the body is read completely before
//     a slot is taken, so slow uploads never hold a slot;
//   - at most max_concurrent_auth requests are dispatched at once; a
//     request that finds no free slot within auth_queue_timeout gets 503
//     with Retry-After: 1;
//   - a request the worker has not answered within auth_timeout gets 504.
//     PHP cannot be interrupted from Go, so the script runs on and its slot
//     stays taken until it returns: a stuck pool turns into prompt 503s,
//     never into clients that hang;
//   - latency and in-flight count are exported as metrics.
type authGate struct {
	d       AuthDispatcher
	slots   chan struct{}
	wait    time.Duration // auth_queue_timeout
	timeout time.Duration // auth_timeout
	maxBody int64
	log     *slog.Logger
}

// newAuthGateFromSettings returns nil when neither auth_script nor
// auth_worker is set (the auth paths then fall through to next).
func newAuthGateFromSettings(ctx context.Context, s *settings, log *slog.Logger) (*authGate, error) {
	if s.authScript == "" && s.authWorker == "" {
		return nil, nil
	}
	factory := authFactory()
	if factory == nil {
		return nil, ErrNoAuthDispatcher
	}
	d, err := factory(ctx, AuthSpec{
		Script: s.authScript, Worker: s.authWorker, NumWorkers: s.numWorkers,
		AuthPath: s.authPath, UserAuthPath: s.userAuthPath, Logger: log,
	})
	if err != nil {
		return nil, fmt.Errorf("pogo_websocket: setting up auth dispatch: %w", err)
	}
	g := newAuthGate(d, s.maxConcurrentAuth, s.authQueueTimeout, s.maxAuthBody, log)
	g.timeout = s.authTimeout
	return g, nil
}

// newAuthGate returns a gate with auth_timeout at its default.
func newAuthGate(d AuthDispatcher, concurrency int, wait time.Duration, maxBody int64, log *slog.Logger) *authGate {
	return &authGate{d: d, slots: make(chan struct{}, concurrency), wait: wait, timeout: DefaultAuthTimeout,
		maxBody: maxBody, log: log}
}

// serve runs one auth request through the gate.
func (g *authGate) serve(w http.ResponseWriter, r *http.Request, kind AuthKind) error {
	if r.ContentLength > g.maxBody {
		return g.tooLarge(w)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, g.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return g.tooLarge(w)
		}
		return caddyhttp.Error(http.StatusBadRequest, fmt.Errorf("reading auth request body: %w", err))
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.Header.Set("Content-Length", strconv.Itoa(len(body)))

	if !g.acquire(r.Context()) {
		globalMetrics.authRejection("busy")
		w.Header().Set("Retry-After", "1")
		http.Error(w, "auth workers busy, retry", http.StatusServiceUnavailable)
		return nil
	}
	res := g.dispatch(r, kind)
	t := time.NewTimer(g.timeout)
	defer t.Stop()
	select {
	case out := <-res:
		if out.err != nil {
			g.log.Error("pogo_websocket: auth dispatch failed", "kind", kind.String(), "error", out.err)
			return caddyhttp.Error(http.StatusBadGateway, out.err)
		}
		out.rec.copyTo(w)
	case <-t.C:
		globalMetrics.authRejection("timeout")
		g.log.Warn("pogo_websocket: auth worker did not answer in time", "kind", kind.String(), "timeout", g.timeout)
		http.Error(w, "auth worker did not answer in time", http.StatusGatewayTimeout)
	case <-r.Context().Done(): // the client left; the worker finishes on its own
	}
	return nil
}

// authResult is a finished dispatch: the buffered answer or the error.
type authResult struct {
	rec *authRecorder
	err error
}

// dispatch runs the request in the dispatcher on its own goroutine, which
// owns the slot taken by serve and gives it back when the dispatcher
// returns, however long that takes. The request is detached from the
// client's context (values kept) because it may outlive serve. The result
// channel is buffered: nobody need read it.
func (g *authGate) dispatch(r *http.Request, kind AuthKind) <-chan authResult {
	res := make(chan authResult, 1)
	r = r.Clone(context.WithoutCancel(r.Context()))
	done := globalMetrics.authStarted(kind)
	go func() {
		rec := newAuthRecorder()
		out := authResult{rec: rec}
		defer func() {
			if p := recover(); p != nil {
				out.err = fmt.Errorf("auth dispatcher panicked: %v", p)
			}
			done()
			<-g.slots
			res <- out
		}()
		out.err = g.d.ServeAuth(rec, r, kind)
	}()
	return res
}

func (g *authGate) tooLarge(w http.ResponseWriter) error {
	globalMetrics.authRejection("body_too_large")
	http.Error(w, "auth request body too large", http.StatusRequestEntityTooLarge)
	return nil
}

// acquire takes a slot, waiting at most g.wait or until ctx ends.
func (g *authGate) acquire(ctx context.Context) bool {
	select {
	case g.slots <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

// cleanup calls the dispatcher's Cleanup, if it has one.
func (g *authGate) cleanup() error {
	if c, ok := g.d.(interface{ Cleanup() error }); ok {
		return c.Cleanup()
	}
	return nil
}
