package pogows

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/y-l-g/websocket/go/hub"
)

// webhookSink implements hub.WebhookSink: it takes events from the hub
// without ever blocking (a bounded queue; overflow is dropped and counted),
// holds them for the grace period and the batch window (webhookBuffer),
// then signs and POSTs one Pusher-format body per app batch to each
// webhook URL, retrying with exponential back-off for at most retryFor.
type webhookSink struct {
	current func() webhookSettings // grace, window, retryFor, timeout: read live
	targets func(appID string) (webhookTarget, bool)
	metrics *Metrics
	log     *slog.Logger
	client  *http.Client

	in   chan notified
	jobs chan *deliveryJob
	stop chan struct{}
	done chan struct{} // closed when run has flushed and closed jobs

	ctx     context.Context // cancelled to abort deliveries in flight
	cancel  context.CancelFunc
	senders sync.WaitGroup
	once    sync.Once

	now                     func() time.Time
	backoffBase, backoffMax time.Duration

	// stillCurrent, set before start, checks a delayed event against the
	// cluster (Hub.StillCurrent); nil accepts everything.
	stillCurrent func(ctx context.Context, appID string, e hub.WebhookEvent) (bool, error)
}

// stillCurrentTimeout bounds one StillCurrent check (a Redis round trip).
const stillCurrentTimeout = 2 * time.Second

type notified struct {
	target webhookTarget
	event  hub.WebhookEvent
}

// webhookSenders is the number of concurrent deliveries per sink.
const webhookSenders = 2

// newWebhookSink returns a sink (call start). queueSize is fixed; current
// returns the live timing settings (a reload may change them); targets
// returns the current webhook configuration of an app (ok=false or no
// URLs: the event is ignored).
func newWebhookSink(queueSize int, current func() webhookSettings, targets func(string) (webhookTarget, bool), m *Metrics, log *slog.Logger) *webhookSink {
	ctx, cancel := context.WithCancel(context.Background())
	s := &webhookSink{
		current: current, targets: targets, metrics: m, log: log,
		client: &http.Client{},
		in:     make(chan notified, queueSize),
		jobs:   make(chan *deliveryJob, queueSize/10+16),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
		ctx:    ctx, cancel: cancel,
		now:         time.Now,
		backoffBase: time.Second, backoffMax: time.Minute,
	}
	return s
}

// start launches the sink's goroutines.
func (s *webhookSink) start() {
	go s.run()
	for range webhookSenders {
		s.senders.Add(1)
		go func() {
			defer s.senders.Done()
			for job := range s.jobs {
				s.deliver(job)
			}
		}()
	}
}

// Notify queues e for app. It never blocks.
func (s *webhookSink) Notify(app *hub.App, e hub.WebhookEvent) {
	t, ok := s.targets(app.ID)
	if !ok || len(t.urls) == 0 {
		return
	}
	select {
	case s.in <- notified{t, e}:
	default:
		s.metrics.webhookDropped(app.ID, "queue_full")
	}
}

// run owns the buffer: it moves events in, and ready batches out.
func (s *webhookSink) run() {
	defer close(s.done)
	defer close(s.jobs)
	cfg := s.current()
	buf := newWebhookBuffer(cfg.grace, cfg.batchWindow)
	buf.stillCurrent = s.checkCurrent
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		var wake <-chan time.Time
		if next, ok := buf.next(); ok {
			timer.Reset(max(next.Sub(s.now()), 0))
			wake = timer.C
		}
		select {
		case n := <-s.in:
			cfg = s.current()
			buf.grace, buf.window = cfg.grace, cfg.batchWindow
			if !buf.add(s.now(), n.target, n.event) {
				s.metrics.webhookDropped(n.target.appID, "cancelled")
			}
		case <-wake:
		case <-s.stop:
			s.drainInput(buf)
			for _, rb := range buf.flush(s.now()) {
				s.dispatch(rb)
			}
			return
		}
		for _, rb := range buf.take(s.now()) {
			s.dispatch(rb)
		}
	}
}

func (s *webhookSink) drainInput(buf *webhookBuffer) {
	for {
		select {
		case n := <-s.in:
			buf.add(s.now(), n.target, n.event)
		default:
			return
		}
	}
}

// checkCurrent asks stillCurrent about a delayed event; an error keeps the
// event (it is logged) and a stale event is dropped and counted.
func (s *webhookSink) checkCurrent(t webhookTarget, e hub.WebhookEvent) bool {
	if s.stillCurrent == nil {
		return true
	}
	ctx, cancel := context.WithTimeout(s.ctx, stillCurrentTimeout)
	defer cancel()
	ok, err := s.stillCurrent(ctx, t.appID, e)
	if err != nil {
		s.log.Warn("pogo_websocket: checking a delayed webhook", "app", t.appID, "event", e.Name, "error", err)
	}
	if !ok {
		s.metrics.webhookDropped(t.appID, "undone")
	}
	return ok
}

// dispatch encodes and signs a batch once and queues one job per URL.
func (s *webhookSink) dispatch(rb readyBatch) {
	body, err := encodeWebhookBody(s.now(), rb.events)
	if err != nil {
		s.log.Error("pogo_websocket: encoding webhook", "app", rb.target.appID, "error", err)
		return
	}
	sig := signWebhook(rb.target.secret, body)
	for _, u := range rb.target.urls {
		job := &deliveryJob{appID: rb.target.appID, key: rb.target.key, url: u, body: body, signature: sig, created: s.now()}
		select {
		case s.jobs <- job:
		default:
			s.metrics.webhookDropped(rb.target.appID, "delivery_queue_full")
		}
	}
}

// Close flushes held events (ignoring grace and window), then waits for
// deliveries until ctx ends, after which retries are abandoned.
func (s *webhookSink) Close(ctx context.Context) {
	s.once.Do(func() {
		close(s.stop)
		<-s.done
		finished := make(chan struct{})
		go func() { s.senders.Wait(); close(finished) }()
		select {
		case <-finished:
		case <-ctx.Done():
			s.cancel()
			<-finished
		}
		s.cancel()
	})
}

var _ hub.WebhookSink = (*webhookSink)(nil)
