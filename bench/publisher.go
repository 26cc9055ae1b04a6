package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/y-l-g/websocket/bench/sign"
)

var errPublish = errors.New("publish failed")

// publisher sends signed POST /apps/{id}/events requests over keep-alive
// connections.
type publisher struct {
	client *http.Client
	base   string // http://host:port
	app    sign.App
	epoch  time.Time
	pad    string
	path   string
}

// newPublisher returns a publisher for the server at base whose messages
// carry about payload bytes of data (at least the seq and ts fields).
func newPublisher(base string, app sign.App, epoch time.Time, payload, conns int) *publisher {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, IdleConnTimeout: 30 * time.Second}
	pad := max(0, payload-len(`{"seq":1234567,"ts":123456789012,"pad":""}`))
	return &publisher{
		client: &http.Client{Transport: tr, Timeout: 30 * time.Second},
		base:   base, app: app, epoch: epoch,
		pad:  strings.Repeat("x", pad),
		path: "/apps/" + app.ID + "/events",
	}
}

// body builds the event body for channel ch and sequence seq, stamped
// with the current time since the epoch.
func (p *publisher) body(ch string, seq int64) []byte {
	b := make([]byte, 0, 96+len(p.pad)+len(ch))
	b = append(b, `{"name":"bench","channel":`...)
	b = strconv.AppendQuote(b, ch)
	b = append(b, `,"data":"{\"seq\":`...)
	b = strconv.AppendInt(b, seq, 10)
	b = append(b, `,\"ts\":`...)
	b = strconv.AppendInt(b, int64(time.Since(p.epoch)), 10)
	b = append(b, `,\"pad\":\"`...)
	b = append(b, p.pad...)
	return append(b, `\"}"}`...)
}

// publish sends one event and requires a 2xx answer.
func (p *publisher) publish(ctx context.Context, ch string, seq int64) error {
	return p.post(ctx, p.body(ch, seq))
}

// post sends a raw event body, signed.
func (p *publisher) post(ctx context.Context, body []byte) error {
	q := sign.Query(p.app, http.MethodPost, p.path, body, time.Now().Unix())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.base+p.path+"?"+q, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := p.client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %w", errPublish, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%w: HTTP %d %s", errPublish, resp.StatusCode, bytes.TrimSpace(msg))
	}
	return nil
}

// close drops the idle keep-alive connections.
func (p *publisher) close() { p.client.CloseIdleConnections() }
