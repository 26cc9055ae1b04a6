package pogows

import (
	"context"
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

// A worker that does not answer within auth_timeout gives 504; its slot
// stays taken until the dispatcher returns, then serves the next request.
func TestAuthGateTimeout(t *testing.T) {
	d := &fakeDispatcher{block: make(chan struct{}), entered: make(chan struct{}, 1)}
	g := newAuthGate(d, 1, 50*time.Millisecond, 100, slog.Default())
	g.timeout = 100 * time.Millisecond
	w := httptest.NewRecorder()
	start := time.Now()
	_ = g.serve(w, httptest.NewRequest("POST", "/pogo/auth", strings.NewReader("a")), AuthChannel)
	if w.Code != http.StatusGatewayTimeout {
		t.Fatalf("stuck worker: %d %q", w.Code, w.Body)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("504 after %s", el)
	}
	<-d.entered
	w = httptest.NewRecorder()
	_ = g.serve(w, httptest.NewRequest("POST", "/pogo/auth", nil), AuthChannel)
	if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("slot of the stuck request should still be taken: %d", w.Code)
	}
	d.entered = nil
	close(d.block) // the script returns at last: its slot comes back
	deadline := time.Now().Add(5 * time.Second)
	for {
		w = httptest.NewRecorder()
		_ = g.serve(w, httptest.NewRequest("POST", "/pogo/auth", strings.NewReader("b")), AuthChannel)
		if w.Code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("slot never released: %d", w.Code)
		}
	}
	if w.Body.String() != "channel:b" {
		t.Fatalf("body after release: %q", w.Body)
	}
}

// A client that goes away while its request runs releases serve at once;
// the dispatcher sees a request whose context is not cancelled.
func TestAuthGateClientGone(t *testing.T) {
	d := &fakeDispatcher{block: make(chan struct{}), entered: make(chan struct{}, 1)}
	g := newAuthGate(d, 1, time.Second, 100, slog.Default())
	ctx, cancel := context.WithCancel(context.Background())
	r := httptest.NewRequest("POST", "/pogo/auth", nil).WithContext(ctx)
	served := make(chan struct{})
	go func() { _ = g.serve(httptest.NewRecorder(), r, AuthChannel); close(served) }()
	<-d.entered
	cancel()
	select {
	case <-served:
	case <-time.After(5 * time.Second):
		t.Fatal("serve still waits for a worker whose client left")
	}
	close(d.block)
}

// A panicking dispatcher becomes a 502 and gives its slot back.
func TestAuthGateDispatcherPanic(t *testing.T) {
	g := newAuthGate(panicDispatcher{}, 1, time.Second, 100, slog.Default())
	for range 2 { // the second call needs the slot back
		err := g.serve(httptest.NewRecorder(), httptest.NewRequest("POST", "/pogo/auth", nil), AuthChannel)
		var he caddyhttp.HandlerError
		if !errors.As(err, &he) || he.StatusCode != http.StatusBadGateway {
			t.Fatalf("err = %v", err)
		}
	}
}

type panicDispatcher struct{}

func (panicDispatcher) ServeAuth(http.ResponseWriter, *http.Request, AuthKind) error { panic("boom") }
