package pogows

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"

	"github.com/y-l-g/websocket/go/hub"
)

// AuthKind tells an AuthDispatcher which endpoint a request hit.
type AuthKind int

// Auth endpoints.
const (
	AuthChannel AuthKind = iota // auth_path: private/presence channel auth
	AuthUser                    // user_auth_path: pusher:signin user authentication
)

// String returns "channel" or "user".
func (k AuthKind) String() string {
	if k == AuthUser {
		return "user"
	}
	return "channel"
}

// AuthDispatcher runs an auth request in PHP (FrankenPHP worker) and writes
// the PHP response to w. The handler has already bounded the body
// (max_auth_body) and the concurrency (max_concurrent_auth) and measures
// the latency. It returns an error only when the request could not be
// dispatched at all (the handler then answers 502 if nothing was written).
type AuthDispatcher interface {
	ServeAuth(w http.ResponseWriter, r *http.Request, kind AuthKind) error
}

// AuthSpec is what a dispatcher factory needs to know.
type AuthSpec struct {
	// Script is auth_script: a PHP worker script the dispatcher must run
	// (and keep unreachable as a plain HTTP request). Empty with Worker.
	Script string
	// Worker is auth_worker: the name of a FrankenPHP worker declared by
	// the user. Empty with Script.
	Worker string
	// NumWorkers is num_workers: threads for Script.
	NumWorkers int
	// AuthPath and UserAuthPath are the configured endpoints.
	AuthPath, UserAuthPath string
	Logger                 *slog.Logger
}

// AuthDispatcherFactory builds a dispatcher when a handler is provisioned.
// If the returned dispatcher implements interface{ Cleanup() error } it is
// called when the handler is cleaned up.
type AuthDispatcherFactory func(ctx context.Context, spec AuthSpec) (AuthDispatcher, error)

// Publisher is what the native PHP functions need from a hub.
type Publisher interface {
	Publish(ctx context.Context, m hub.Message) hub.Status
}

// PublisherBinder makes p reachable under appID for the native PHP functions
// and returns a func that undoes exactly this binding. During a reload that
// changes the hub identity the new hub is bound before the old one is
// released, so the registry must let the latest binding win and must only
// remove a binding through its own release func.
type PublisherBinder func(appID string, p Publisher) (release func())

// ErrNoAuthDispatcher is returned at provision when auth_script or
// auth_worker is configured in a build without the PHP bridge.
var ErrNoAuthDispatcher = errors.New("pogo_websocket: auth_script/auth_worker need a FrankenPHP build with the PHP bridge")

var hooks struct {
	sync.RWMutex
	auth AuthDispatcherFactory
	bind PublisherBinder
}

// RegisterAuthDispatcherFactory installs the auth dispatcher factory (the
// PHP bridge calls it from init). A later call replaces the factory.
func RegisterAuthDispatcherFactory(f AuthDispatcherFactory) {
	hooks.Lock()
	defer hooks.Unlock()
	hooks.auth = f
}

// RegisterPublisherBinder installs the native registry binder (the PHP
// bridge calls it from init). A later call replaces the binder; hubs
// already bound keep their bindings.
func RegisterPublisherBinder(b PublisherBinder) {
	hooks.Lock()
	defer hooks.Unlock()
	hooks.bind = b
}

func authFactory() AuthDispatcherFactory {
	hooks.RLock()
	defer hooks.RUnlock()
	return hooks.auth
}

func publisherBinder() PublisherBinder {
	hooks.RLock()
	defer hooks.RUnlock()
	return hooks.bind
}
