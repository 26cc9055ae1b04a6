//go:build cgo && !nopogophp

package pogows

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	_ "unsafe" // go:linkname

	"github.com/dunglas/frankenphp"
	fcaddy "github.com/dunglas/frankenphp/caddy"
	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/phpext"
)

// nativeDeadline bounds how long a native publish may wait (it only ever
// waits on a broker that talks to the network, such as Redis): a PHP thread
// never waits longer than this.
const nativeDeadline = 250 * time.Millisecond

// The PHP bridge connects the module to FrankenPHP: it binds hubs to the
// native functions' registry and runs auth requests in FrankenPHP workers.
// It is compiled only into FrankenPHP builds (cgo, without nopogophp).
func init() {
	RegisterPublisherBinder(func(appID string, p Publisher) func() {
		return phpext.Register(appID, &nativePublisher{appID: appID, p: p})
	})
	RegisterAuthDispatcherFactory(newPHPAuthDispatcher)
}

// nativePublisher adapts a hub Publisher to phpext.Publisher. phpext has
// already copied the strings.
type nativePublisher struct {
	appID string
	p     Publisher
}

// Publish publishes with the native deadline and returns the hub status.
func (n *nativePublisher) Publish(channels []string, event, data, except string) int {
	ctx, cancel := context.WithTimeout(context.Background(), nativeDeadline)
	defer cancel()
	return int(n.p.Publish(ctx, hub.Message{
		AppID: n.appID, Channels: channels, Event: event, Data: data, ExceptSocketID: except,
	}))
}

// phpAuth dispatches auth requests to a FrankenPHP worker by name.
type phpAuth struct {
	name    string // worker name given to frankenphp.WithWorkerName
	file    string // absolute script path when the module owns the worker
	checked atomic.Bool
}

// FrankenPHP's Caddy app keeps extension-worker registrations in a package
// slice that every FrankenPHPApp.Start consumes and every FrankenPHPApp.Stop
// empties. A reload runs Provision(new), Start(new), Stop(old), Cleanup(old),
// so a registration made while provisioning config N is consumed by Start(N)
// and then wiped by Stop(N-1); a registration made by a config whose
// provisioning failed stays in the slice until the next Stop. Registering on
// every Provision therefore duplicates the worker (FrankenPHP refuses to
// start, shared/FRANKENPHP.md §2.6), and registering once loses it from the
// second reload on. The bridge registers exactly when the slice no longer
// holds its previous registration, which it reads through a linkname: the
// slice only ever grows by appends and is reset to nil, so it still holds
// the registration while it is at least as long as it was right after it.
//
//go:linkname frankenphpOptions github.com/dunglas/frankenphp/caddy.options
var frankenphpOptions []frankenphp.Option

//go:linkname frankenphpOptionsMU github.com/dunglas/frankenphp/caddy.optionsMU
var frankenphpOptionsMU sync.RWMutex

// authWorkers tracks the pending registration of each module-owned auth
// worker: the length of FrankenPHP's option slice right after it was added.
var authWorkers = struct {
	sync.Mutex
	pendingLen map[string]int // worker name -> len(options) after registering
}{pendingLen: map[string]int{}}

// optionsLen reads the length of FrankenPHP's pending option slice.
func optionsLen() int {
	frankenphpOptionsMU.RLock()
	defer frankenphpOptionsMU.RUnlock()
	return len(frankenphpOptions)
}

// ensureAuthWorker registers the worker unless its previous registration is
// still pending, so the next FrankenPHP start has it exactly once.
func ensureAuthWorker(name, file string, num int) {
	authWorkers.Lock()
	defer authWorkers.Unlock()
	if n, ok := authWorkers.pendingLen[name]; ok && optionsLen() >= n {
		return
	}
	fcaddy.RegisterWorkers(name, file, num)
	authWorkers.pendingLen[name] = optionsLen()
}

// newPHPAuthDispatcher builds the dispatcher for auth_script (a worker the
// module registers, named "m#pogo-auth:<abs path>" so it can never be reached
// by a plain HTTP request to the script's path) or auth_worker (a worker the
// user declared).
func newPHPAuthDispatcher(_ context.Context, spec AuthSpec) (AuthDispatcher, error) {
	if !frankenphp.Config().ZTS {
		return nil, fmt.Errorf("FrankenPHP is linked against a non-ZTS libphp: the auth worker pool needs ZTS (see docs/building.md)")
	}
	if spec.Worker != "" {
		return &phpAuth{name: spec.Worker}, nil
	}
	abs, err := filepath.Abs(spec.Script)
	if err != nil {
		return nil, fmt.Errorf("auth_script %q: %w", spec.Script, err)
	}
	name := "m#pogo-auth:" + abs
	num := spec.NumWorkers
	if num <= 0 {
		num = 2
	}
	ensureAuthWorker(name, abs, num)
	return &phpAuth{name: name, file: abs}, nil
}

// ServeAuth runs the request in the auth worker. REQUEST_URI stays the
// client's path (/pogo/auth, /pogo/user-auth), which is what the Laravel
// package's routes expect. The answer is buffered and checked: a worker that
// exited or crashed mid-request gives 502, never an empty 200.
func (a *phpAuth) ServeAuth(w http.ResponseWriter, r *http.Request, _ AuthKind) error {
	if a.file != "" && !a.checked.Load() {
		if !workerRunning(a.file) {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "auth worker is not running", http.StatusServiceUnavailable)
			return nil
		}
		a.checked.Store(true)
	}
	fr, err := frankenphp.NewRequestWithContext(r, frankenphp.WithWorkerName(a.name))
	if err != nil {
		return fmt.Errorf("preparing auth request: %w", err)
	}
	rec := newAuthRecorder()
	if err := frankenphp.ServeHTTP(rec, fr); err != nil {
		return err
	}
	rec.flush(w)
	return nil
}

// workerRunning reports whether a worker thread runs file. Without it,
// frankenphp.WithWorkerName would silently fall back to running the URL's
// script (shared/FRANKENPHP.md P3).
func workerRunning(file string) bool {
	for _, t := range frankenphp.DebugState().ThreadDebugStates {
		if strings.HasSuffix(t.Name, " - "+file) {
			return true
		}
	}
	return false
}
