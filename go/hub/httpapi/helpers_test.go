package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// The official signing vector (shared/PROTOCOL.md §A.11).
const (
	vecKey    = "278d425bdf160c739803"
	vecSecret = "7ad3773142a6692b25b8"
	vecTime   = 1353088179
	vecBody   = `{"name":"foo","channels":["project-3"],"data":"{\"some\":\"data\"}"}`
	vecMD5    = "ec365a775a4cd0599faeb73354201b6f"
	vecSig    = "da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c"
)

// fakeBackend records publishes and answers queries from fixed data.
type fakeBackend struct {
	apps       hub.AppProvider
	mu         sync.Mutex
	published  []hub.Message
	status     hub.Status
	chans      map[string]hub.ChannelInfo
	users      map[string][]string
	terminated []string
	queryErr   error
}

func newFakeBackend(t *testing.T) *fakeBackend {
	t.Helper()
	apps, err := hub.NewStaticApps(
		&hub.App{ID: "3", Key: vecKey, Secret: vecSecret},
		&hub.App{ID: "off", Key: "off-key", Secret: "off-secret", Disabled: true},
		&hub.App{ID: "small", Key: "small-key", Secret: "small-secret", Limits: pusher.Limits{MaxPayloadBytes: 16}},
	)
	if err != nil {
		t.Fatal(err)
	}
	return &fakeBackend{apps: apps, chans: map[string]hub.ChannelInfo{}, users: map[string][]string{}}
}

func (f *fakeBackend) Apps() hub.AppProvider { return f.apps }

func (f *fakeBackend) Publish(_ context.Context, m hub.Message) hub.Status {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.status == hub.StatusOK {
		f.published = append(f.published, m)
	}
	return f.status
}

func (f *fakeBackend) Channel(_ context.Context, _, name string) (hub.ChannelInfo, error) {
	ci, ok := f.chans[name]
	if !ok {
		ci = hub.ChannelInfo{Name: name}
	}
	return ci, f.queryErr
}

func (f *fakeBackend) Channels(_ context.Context, _, prefix string) ([]hub.ChannelInfo, error) {
	var out []hub.ChannelInfo
	for n, c := range f.chans {
		if c.Occupied && strings.HasPrefix(n, prefix) {
			out = append(out, c)
		}
	}
	return out, f.queryErr
}

func (f *fakeBackend) PresenceUsers(_ context.Context, _, channel string) ([]string, error) {
	return f.users[channel], f.queryErr
}

func (f *fakeBackend) TerminateUser(_ context.Context, _, userID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.terminated = append(f.terminated, userID)
	return f.queryErr
}

// apiTest bundles a handler with a fixed clock at vecTime.
type apiTest struct {
	t *testing.T
	b *fakeBackend
	h http.Handler
}

func newAPITest(t *testing.T) *apiTest {
	b := newFakeBackend(t)
	h := New(b, Options{Now: func() time.Time { return time.Unix(vecTime, 0) }, MaxBodyBytes: 64 << 10})
	return &apiTest{t: t, b: b, h: h}
}

// signed builds a request signed for app (key, secret) at vecTime; extra
// query parameters are signed too. mutate may alter params after signing.
func signed(method, path, key, secret, body string, extra map[string]string, mutate func(map[string]string)) *http.Request {
	params := map[string]string{"auth_key": key, "auth_timestamp": fmt.Sprint(vecTime), "auth_version": "1.0"}
	if body != "" {
		params["body_md5"] = BodyMD5([]byte(body))
	}
	for k, v := range extra {
		params[k] = v
	}
	params["auth_signature"] = Sign(secret, method, path, params)
	if mutate != nil {
		mutate(params)
	}
	q := url.Values{}
	for k, v := range params {
		q.Set(k, v)
	}
	return httptest.NewRequest(method, path+"?"+q.Encode(), strings.NewReader(body))
}

// do serves req and returns the status and decoded JSON body.
func (a *apiTest) do(req *http.Request) (int, map[string]any) {
	a.t.Helper()
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		a.t.Fatalf("response is not JSON: %q", rec.Body.String())
	}
	if rec.Code != http.StatusOK {
		if _, ok := out["error"].(string); !ok {
			a.t.Fatalf("error response without error member: %q", rec.Body.String())
		}
	}
	return rec.Code, out
}

// post signs body for app 3 and posts it to path (under /apps/3).
func (a *apiTest) post(path, body string) (int, map[string]any) {
	a.t.Helper()
	return a.do(signed(http.MethodPost, "/apps/3"+path, vecKey, vecSecret, body, nil, nil))
}

// get signs a GET for app 3 with extra parameters.
func (a *apiTest) get(path string, extra map[string]string) (int, map[string]any) {
	a.t.Helper()
	return a.do(signed(http.MethodGet, "/apps/3"+path, vecKey, vecSecret, "", extra, nil))
}

func channelList(n int) string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("c%d", i)
	}
	b, _ := json.Marshal(names)
	return string(b)
}

func batchBody(n int, extra string) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(`{"name":"e","data":"{}","channel":"c%d"%s}`, i, extra)
	}
	return `{"batch":[` + strings.Join(items, ",") + `]}`
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

func upper(s string) string { return strings.ToUpper(s) }
