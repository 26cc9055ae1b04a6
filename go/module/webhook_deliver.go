package pogows

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/y-l-g/websocket/go/hub"
)

// deliveryJob is one signed body for one URL.
type deliveryJob struct {
	appID, key, url string
	body            []byte
	signature       string
	created         time.Time
}

// webhookBody is the Pusher webhook envelope.
type webhookBody struct {
	TimeMS int64              `json:"time_ms"`
	Events []hub.WebhookEvent `json:"events"`
}

func encodeWebhookBody(now time.Time, events []hub.WebhookEvent) ([]byte, error) {
	return json.Marshal(webhookBody{TimeMS: now.UnixMilli(), Events: events})
}

// signWebhook returns the hex HMAC-SHA256 of body keyed with secret
// (X-Pusher-Signature).
func signWebhook(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// errWebhookStatus is returned for a non-2xx answer.
type errWebhookStatus int

func (e errWebhookStatus) Error() string {
	return fmt.Sprintf("webhook receiver answered HTTP %d", int(e))
}

// deliver POSTs job until a 2xx answer, retrying with exponential back-off
// (backoffBase doubling up to backoffMax) while the next attempt would
// still start within retryFor of the job's creation.
func (s *webhookSink) deliver(job *deliveryJob) {
	deadline := job.created.Add(s.current().retryFor)
	backoff := s.backoffBase
	for attempt := 1; ; attempt++ {
		err := s.post(job)
		if err == nil {
			s.metrics.webhookDelivered(job.appID, "ok")
			return
		}
		s.metrics.webhookFailedAttempt(job.appID)
		if s.ctx.Err() != nil || s.now().Add(backoff).After(deadline) {
			s.metrics.webhookDelivered(job.appID, "failed")
			s.log.Warn("pogo_websocket: webhook delivery abandoned",
				"app", job.appID, "url", job.url, "attempts", attempt, "error", err)
			return
		}
		t := time.NewTimer(backoff)
		select {
		case <-t.C:
		case <-s.ctx.Done():
			t.Stop()
		}
		backoff = min(backoff*2, s.backoffMax)
	}
}

func (s *webhookSink) post(job *deliveryJob) error {
	ctx, cancel := context.WithTimeout(s.ctx, s.current().timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, job.url, bytes.NewReader(job.body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Pusher-Key", job.key)
	req.Header.Set("X-Pusher-Signature", job.signature)
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64*1024))
	_ = resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return errWebhookStatus(resp.StatusCode)
	}
	return nil
}
