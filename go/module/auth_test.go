package pogows

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
)

// fakeDispatcher echoes the body and the kind, optionally blocking.
type fakeDispatcher struct {
	block   chan struct{}
	entered chan struct{}
	err     error
}

func (f *fakeDispatcher) ServeAuth(w http.ResponseWriter, r *http.Request, kind AuthKind) error {
	if f.entered != nil {
		f.entered <- struct{}{}
	}
	if f.block != nil {
		<-f.block
	}
	if f.err != nil {
		return f.err
	}
	body, _ := io.ReadAll(r.Body)
	_, _ = io.WriteString(w, kind.String()+":"+string(body))
	return nil
}

func TestAuthGateBodyLimit(t *testing.T) {
	g := newAuthGate(&fakeDispatcher{}, 2, time.Second, 10, slog.Default())
	// Within the limit: the dispatcher sees the whole body.
	w := httptest.NewRecorder()
	if err := g.serve(w, httptest.NewRequest("POST", "/pogo/auth", strings.NewReader("socket=1")), AuthChannel); err != nil {
		t.Fatal(err)
	}
	if w.Code != 200 || w.Body.String() != "channel:socket=1" {
		t.Fatalf("got %d %q", w.Code, w.Body)
	}
	// Declared too large.
	w = httptest.NewRecorder()
	_ = g.serve(w, httptest.NewRequest("POST", "/pogo/auth", strings.NewReader(strings.Repeat("x", 11))), AuthChannel)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("declared oversize: %d", w.Code)
	}
	// Undeclared (chunked) too large.
	r := httptest.NewRequest("POST", "/pogo/user-auth", io.MultiReader(strings.NewReader(strings.Repeat("y", 50))))
	r.ContentLength = -1
	w = httptest.NewRecorder()
	_ = g.serve(w, r, AuthUser)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("streamed oversize: %d", w.Code)
	}
}

func TestAuthGateConcurrencyLimit(t *testing.T) {
	d := &fakeDispatcher{block: make(chan struct{}), entered: make(chan struct{}, 1)}
	g := newAuthGate(d, 1, 50*time.Millisecond, 100, slog.Default())
	done := make(chan int)
	go func() {
		w := httptest.NewRecorder()
		_ = g.serve(w, httptest.NewRequest("POST", "/pogo/auth", nil), AuthChannel)
		done <- w.Code
	}()
	<-d.entered // the only slot is taken
	w := httptest.NewRecorder()
	_ = g.serve(w, httptest.NewRequest("POST", "/pogo/auth", nil), AuthChannel)
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
		t.Fatalf("busy: %d retry-after=%q", w.Code, w.Header().Get("Retry-After"))
	}
	close(d.block)
	if code := <-done; code != 200 {
		t.Fatalf("first request: %d", code)
	}
	d.entered = nil
	w = httptest.NewRecorder()
	_ = g.serve(w, httptest.NewRequest("POST", "/pogo/auth", nil), AuthChannel)
	if w.Code != 200 {
		t.Fatalf("slot not released: %d", w.Code)
	}
}

func TestAuthGateDispatchError(t *testing.T) {
	g := newAuthGate(&fakeDispatcher{err: errors.New("worker gone")}, 1, time.Second, 100, slog.Default())
	err := g.serve(httptest.NewRecorder(), httptest.NewRequest("POST", "/pogo/auth", nil), AuthChannel)
	var he caddyhttp.HandlerError
	if !errors.As(err, &he) || he.StatusCode != http.StatusBadGateway {
		t.Fatalf("err = %v", err)
	}
}
