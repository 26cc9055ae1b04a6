package pogows

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// recordingFactory installs a fake auth dispatcher factory for one test.
func recordingFactory(t *testing.T) (*atomic.Int32, *atomic.Pointer[AuthSpec]) {
	var cleanups atomic.Int32
	var spec atomic.Pointer[AuthSpec]
	RegisterAuthDispatcherFactory(func(_ context.Context, s AuthSpec) (AuthDispatcher, error) {
		spec.Store(&s)
		return &cleanupDispatcher{fakeDispatcher: &fakeDispatcher{}, cleanups: &cleanups}, nil
	})
	t.Cleanup(func() { RegisterAuthDispatcherFactory(nil) })
	return &cleanups, &spec
}

type cleanupDispatcher struct {
	*fakeDispatcher
	cleanups *atomic.Int32
}

func (c *cleanupDispatcher) Cleanup() error { c.cleanups.Add(1); return nil }

func post(t *testing.T, url, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "application/x-www-form-urlencoded", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestIntegrationAuthDispatch(t *testing.T) {
	cleanups, spec := recordingFactory(t)
	ts := startCaddy(t, `pogo_websocket {
			app_id app1
			app_secret secret1
			auth_worker pogo-auth
			user_auth_path /custom/user-auth
			max_auth_body 64
		}`)
	if s := spec.Load(); s == nil || s.Worker != "pogo-auth" || s.AuthPath != "/pogo/auth" || s.UserAuthPath != "/custom/user-auth" {
		t.Fatalf("spec: %+v", s)
	}
	if code, body := post(t, ts.url("/pogo/auth"), "socket_id=1.2&channel_name=private-a"); code != 200 ||
		body != "channel:socket_id=1.2&channel_name=private-a" {
		t.Fatalf("channel auth: %d %q", code, body)
	}
	if code, body := post(t, ts.url("/custom/user-auth"), "socket_id=1.2"); code != 200 || body != "user:socket_id=1.2" {
		t.Fatalf("user auth: %d %q", code, body)
	}
	if code, _ := post(t, ts.url("/pogo/auth"), strings.Repeat("x", 65)); code != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized auth body: %d", code)
	}
	if code, body := post(t, ts.url("/pogo/user-auth"), ""); code != 200 || body != "next" {
		t.Fatalf("default user path should fall through when renamed: %d %q", code, body)
	}
	ts.load(basicApp)
	if cleanups.Load() != 1 {
		t.Fatalf("dispatcher cleanups after reload: %d", cleanups.Load())
	}
}

func TestIntegrationAuthScriptNotReachable(t *testing.T) {
	recordingFactory(t)
	dir := t.TempDir()
	script := dir + "/auth-worker.php"
	ts := startCaddy(t, `root * `+dir+`
		pogo_websocket {
			app_id app1
			app_secret secret1
			auth_script `+script+`
		}`)
	for _, p := range []string{"/auth-worker.php", "/auth-worker.php/x", "/./auth-worker.php"} {
		if code, _ := get(t, ts.url(p)); code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, code)
		}
	}
	if code, body := get(t, ts.url("/index.php")); code != 200 || body != "next" {
		t.Fatalf("other scripts: %d %q", code, body)
	}
}
