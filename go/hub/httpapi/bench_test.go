package httpapi

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkSignedPublish measures routing, signature and body_md5
// verification, JSON decoding and validation of one POST /events
// (the backend is a fake that only records the message).
func BenchmarkSignedPublish(b *testing.B) {
	t := &testing.T{}
	a := newAPITest(t)
	body := `{"name":"order.shipped","data":"{\"id\":12345,\"status\":\"shipped\"}","channels":["private-orders.1","orders"]}`
	proto := signed(http.MethodPost, "/apps/3/events", vecKey, vecSecret, body, nil, nil)
	target := proto.URL.String()
	b.ReportAllocs()
	for range b.N {
		req := httptest.NewRequest(http.MethodPost, target, stringsReader(body))
		rec := httptest.NewRecorder()
		a.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if len(a.b.published) > 1024 {
			a.b.published = a.b.published[:0]
		}
	}
}
