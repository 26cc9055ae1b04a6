package pogows

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAuthRecorderFlush(t *testing.T) {
	cases := []struct {
		name       string
		status     int
		body       string
		wantStatus int
		wantBody   string
	}{
		{"json answer passes", 0, `{"auth":"k:s"}`, 200, `{"auth":"k:s"}`},
		{"403 passes untouched", 403, `forbidden`, 403, `forbidden`},
		{"500 passes untouched", 500, `<b>Fatal</b>`, 500, `<b>Fatal</b>`},
		{"worker exited: empty 200", 0, ``, 502, "auth worker returned no valid JSON response\n"},
		{"fatal error page with 200", 200, `<br /><b>Fatal error</b>`, 502, "auth worker returned no valid JSON response\n"},
		{"oversized", 200, `"` + strings.Repeat("x", maxAuthResponse) + `"`, 502, "auth worker returned no valid JSON response\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := newAuthRecorder()
			rec.Header().Set("Set-Cookie", "s=1")
			if tc.status != 0 {
				rec.WriteHeader(tc.status)
			}
			_, _ = rec.Write([]byte(tc.body))
			w := httptest.NewRecorder()
			rec.flush(w)
			if w.Code != tc.wantStatus || w.Body.String() != tc.wantBody {
				t.Fatalf("got %d %q, want %d %q", w.Code, w.Body.String(), tc.wantStatus, tc.wantBody)
			}
			if tc.wantStatus != http.StatusBadGateway && w.Header().Get("Set-Cookie") != "s=1" {
				t.Fatalf("headers not copied: %v", w.Header())
			}
		})
	}
}
