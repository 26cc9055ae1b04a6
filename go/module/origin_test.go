package pogows

import (
	"net/http/httptest"
	"testing"
)

func TestOriginPolicy(t *testing.T) {
	p, err := newOriginPolicy([]string{"https://app.example.com", "https://*.example.org", "admin.example.net:8443"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		host, origin string
		want         bool
	}{
		{"ws.example.com", "", true},                              // no Origin: non-browser client
		{"ws.example.com", "https://ws.example.com", true},        // same host
		{"ws.example.com:443", "https://ws.example.com", true},    // default port ignored
		{"localhost:8080", "http://localhost:8080", true},         // same host and port
		{"localhost:8080", "http://localhost:5173", false},        // other port is another origin
		{"ws.example.com", "https://app.example.com", true},       // allowed exactly
		{"ws.example.com", "http://app.example.com", false},       // wrong scheme
		{"ws.example.com", "https://app.example.com:444", false},  // wrong port
		{"ws.example.com", "https://a.example.org", true},         // wildcard
		{"ws.example.com", "https://a.b.example.org", true},       // wildcard, deeper
		{"ws.example.com", "https://example.org", false},          // wildcard excludes apex
		{"ws.example.com", "https://evilexample.org", false},      // not a subdomain
		{"ws.example.com", "http://admin.example.net:8443", true}, // schemeless pattern
		{"ws.example.com", "https://evil.com", false},
		{"ws.example.com", "null", false},
		{"ws.example.com", "file://x", false},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "http://"+c.host+"/app/k", nil)
		if c.origin != "" {
			r.Header.Set("Origin", c.origin)
		}
		if got := p.allowed(r); got != c.want {
			t.Errorf("host %s origin %q: allowed=%v, want %v", c.host, c.origin, got, c.want)
		}
	}
	star, _ := newOriginPolicy([]string{"*"})
	r := httptest.NewRequest("GET", "http://x/app/k", nil)
	r.Header.Set("Origin", "https://anything.test")
	if !star.allowed(r) {
		t.Error("* should allow every origin")
	}
}

func TestOriginPatternErrors(t *testing.T) {
	for _, bad := range []string{"ftp://x.com", "https://x.com/path", "https://", "https://a.*.com", "https://*.*.com", "*.", "https://x.com?q"} {
		if _, err := newOriginPolicy([]string{bad}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
