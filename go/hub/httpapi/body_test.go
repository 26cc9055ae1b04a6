package httpapi

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// countingReader counts the bytes the handler reads from a request body.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// An unauthenticated request is refused before its body is read, so
// anonymous clients cannot make the server buffer bodies.
func TestBodyNotReadBeforeSignature(t *testing.T) {
	a := newAPITest(t)
	body := strings.Repeat("x", 200<<10) // above the test handler's 64 KiB cap
	cases := map[string]*http.Request{
		"bad signature": signed(http.MethodPost, "/apps/3/events", vecKey, "wrong-secret", body, nil, nil),
		"no signature":  httptest.NewRequest(http.MethodPost, "/apps/3/events?auth_key="+vecKey, nil),
		"no body_md5":   signed(http.MethodPost, "/apps/3/events", vecKey, vecSecret, "", nil, nil),
	}
	for name, req := range cases {
		t.Run(name, func(t *testing.T) {
			cr := &countingReader{r: strings.NewReader(body)}
			req.Body = io.NopCloser(cr)
			req.ContentLength = int64(len(body))
			rec := httptest.NewRecorder()
			a.h.ServeHTTP(rec, req)
			if rec.Code != http.StatusUnauthorized {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if cr.n != 0 {
				t.Fatalf("read %d body bytes before authenticating", cr.n)
			}
		})
	}
	// Signed correctly, the same body is read (up to the cap) and refused as too large.
	req := signed(http.MethodPost, "/apps/3/events", vecKey, vecSecret, body, nil, nil)
	rec := httptest.NewRecorder()
	a.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("signed oversized body: %d %s", rec.Code, rec.Body)
	}
}
