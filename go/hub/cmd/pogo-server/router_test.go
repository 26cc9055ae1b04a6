package main

import (
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"testing"
)

// servemuxClean is the path cleaning of net/http's ServeMux (cleanPath).
func servemuxClean(p string) string {
	if p == "" {
		return "/"
	}
	if p[0] != '/' {
		p = "/" + p
	}
	np := path.Clean(p)
	if p[len(p)-1] == '/' && np != "/" {
		np += "/"
	}
	return np
}

func checkCleanPath(t *testing.T, p string) {
	if got, want := isCleanPath(p), strings.HasPrefix(p, "/") && servemuxClean(p) == p; got != want {
		t.Fatalf("isCleanPath(%q) = %v, ServeMux leaves it unchanged: %v", p, got, want)
	}
}

func TestIsCleanPath(t *testing.T) {
	for _, p := range []string{
		"/app/key", "/app/", "/app/key/", "/app//key", "/app/./key", "/app/../key", "/app/key/.",
		"/app/key/..", "/app/.key", "/app/..key", "/app/k..", "app/key", "", "/", "//", "/app/a/b",
	} {
		checkCleanPath(t, p)
	}
}

func FuzzIsCleanPath(f *testing.F) {
	for _, p := range []string{"/app/key", "/app/../x", "/app//x/"} {
		f.Add(p)
	}
	f.Fuzz(checkCleanPath)
}

// TestRouterMatchesServeMux: the router sends a request to the same handler
// as the bare ServeMux, with the same redirects.
func TestRouterMatchesServeMux(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc(wsPrefix, func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ws")) })
	mux.HandleFunc("/apps/", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("api")) })
	rt := router{ws: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ws")) }), mux: mux}
	for _, target := range []string{
		"/app/key?protocol=7", "/app/", "/app", "/app//key", "/app/../apps/x", "/app/./key", "/apps/x/events",
		"/other", "/%61pp/key",
	} {
		a, b := httptest.NewRecorder(), httptest.NewRecorder()
		rt.ServeHTTP(a, httptest.NewRequest(http.MethodGet, target, nil))
		mux.ServeHTTP(b, httptest.NewRequest(http.MethodGet, target, nil))
		if a.Code != b.Code || a.Body.String() != b.Body.String() || a.Header().Get("Location") != b.Header().Get("Location") {
			t.Fatalf("%s: router %d %q %q, ServeMux %d %q %q", target, a.Code, a.Body, a.Header().Get("Location"),
				b.Code, b.Body, b.Header().Get("Location"))
		}
	}
}
