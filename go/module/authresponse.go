package pogows

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// maxAuthResponse bounds what an auth worker may answer; pusher-js only
// needs {"auth": ..., "channel_data"|"user_data"|"shared_secret": ...}.
const maxAuthResponse = 64 << 10

// authRecorder buffers an auth worker's response so it can be checked
// before anything reaches the client.
type authRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
	over   bool
}

func newAuthRecorder() *authRecorder { return &authRecorder{header: http.Header{}} }

// Header returns the buffered response headers.
func (r *authRecorder) Header() http.Header { return r.header }

// WriteHeader records the first status code.
func (r *authRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}

// Write buffers up to maxAuthResponse bytes and drops the rest.
func (r *authRecorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	if r.body.Len()+len(p) > maxAuthResponse {
		r.over = true
		return len(p), nil
	}
	return r.body.Write(p)
}

// flush sends the buffered response to w, replacing a successful answer
// that pusher-js could not use (empty, not JSON, oversized: what a worker
// that exited or hit a fatal error produces) with 502, so a crashed auth
// worker surfaces as an error and never as a 200.
func (r *authRecorder) flush(w http.ResponseWriter) {
	status := r.status
	if status == 0 {
		status = http.StatusOK
	}
	if status >= 200 && status < 300 && (r.over || !json.Valid(r.body.Bytes()) || r.body.Len() == 0) {
		globalMetrics.authRejection("bad_response")
		http.Error(w, "auth worker returned no valid JSON response", http.StatusBadGateway)
		return
	}
	r.copyTo(w)
}

// copyTo sends the buffered response to w as it is (200 when no status was
// written).
func (r *authRecorder) copyTo(w http.ResponseWriter) {
	status := r.status
	if status == 0 {
		status = http.StatusOK
	}
	h := w.Header()
	for k, v := range r.header {
		h[k] = v
	}
	h.Set("Content-Length", strconv.Itoa(r.body.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(r.body.Bytes())
}
