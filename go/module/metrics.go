package pogows

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// Metrics are the Prometheus collectors of Pogo WebSocket. One process-wide
// set exists (globalMetrics), so counters survive config reloads; it is
// registered into each config's Caddy metrics registry (the admin /metrics
// endpoint). Metrics implements hub.Metrics. All methods are safe for
// concurrent use.
type Metrics struct {
	connections       *prometheus.GaugeVec
	opened            *prometheus.CounterVec
	closed            *prometheus.CounterVec
	received          *prometheus.CounterVec
	sent              *prometheus.CounterVec
	publishes         *prometheus.CounterVec
	drops             *prometheus.CounterVec
	handshakeRejected *prometheus.CounterVec
	authDuration      *prometheus.HistogramVec
	authInFlight      prometheus.Gauge
	authRejected      *prometheus.CounterVec
	webhookDeliveries *prometheus.CounterVec
	webhookFailures   *prometheus.CounterVec
	webhookDrops      *prometheus.CounterVec
	brokerQueue       prometheus.GaugeFunc
	redis             redisCollectors

	depthMu sync.Mutex
	depths  map[any]func() int
}

// newMetrics builds an unregistered set of collectors.
func newMetrics() *Metrics {
	m := &Metrics{depths: map[any]func() int{}}
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "pogo", Name: name, Help: help}, labels)
	}
	m.connections = prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: "pogo", Name: "connections",
		Help: "Open WebSocket connections."}, []string{"app"})
	m.opened = counter("connections_opened_total", "WebSocket connections opened.", "app")
	m.closed = counter("connections_closed_total", "WebSocket connections closed, by close code.", "app", "code")
	m.received = counter("messages_received_total", "Messages received from clients.", "app")
	m.sent = counter("messages_sent_total", "Messages written to clients.", "app")
	m.publishes = counter("publishes_total", "Publishes by outcome status.", "app", "status")
	m.drops = counter("drops_total", "Messages or connections dropped, by reason.", "app", "reason")
	m.handshakeRejected = counter("handshake_rejections_total", "WebSocket handshakes rejected before upgrading, by reason.", "reason")
	m.authDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: "pogo", Name: "auth_duration_seconds",
		Help: "Latency of auth requests served by the auth worker.", Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 10)},
		[]string{"kind"})
	m.authInFlight = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "pogo", Name: "auth_in_flight",
		Help: "Auth requests being served by the auth worker."})
	m.authRejected = counter("auth_rejections_total", "Auth requests answered without the worker's response (413, 503, 504, 502), by reason.", "reason")
	m.webhookDeliveries = counter("webhook_deliveries_total", "Webhook deliveries by final result (ok, failed).", "app", "result")
	m.webhookFailures = counter("webhook_failed_attempts_total", "Failed webhook POST attempts (each retry counts).", "app")
	m.webhookDrops = counter("webhook_drops_total", "Webhook events dropped, by reason.", "app", "reason")
	m.brokerQueue = prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "pogo", Name: "broker_queue_depth",
		Help: "Messages waiting in broker outgoing queues."}, m.brokerDepth)
	m.redis = newRedisCollectors()
	return m
}

var globalMetrics = newMetrics()

func (m *Metrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.connections, m.opened, m.closed, m.received, m.sent, m.publishes,
		m.drops, m.handshakeRejected, m.authDuration, m.authInFlight, m.authRejected,
		m.webhookDeliveries, m.webhookFailures, m.webhookDrops, m.brokerQueue,
		m.redis.connected, m.redis.reconnects, m.redis.publishFailures, m.redis.expired}
}

// register adds the collectors to reg; collectors already registered there
// (several handlers in one config) are skipped.
func (m *Metrics) register(reg prometheus.Registerer) error {
	if reg == nil {
		return nil
	}
	for _, c := range m.collectors() {
		if err := reg.Register(c); err != nil {
			var are prometheus.AlreadyRegisteredError
			if !errors.As(err, &are) {
				return err
			}
		}
	}
	return nil
}

// ConnectionOpened implements hub.Metrics.
func (m *Metrics) ConnectionOpened(appID string) {
	m.connections.WithLabelValues(appID).Inc()
	m.opened.WithLabelValues(appID).Inc()
}

// ConnectionClosed implements hub.Metrics.
func (m *Metrics) ConnectionClosed(appID string, code pusher.Code) {
	m.connections.WithLabelValues(appID).Dec()
	m.closed.WithLabelValues(appID, strconv.Itoa(int(code))).Inc()
}

// MessageReceived implements hub.Metrics.
func (m *Metrics) MessageReceived(appID string) { m.received.WithLabelValues(appID).Inc() }

// MessagesSent implements hub.Metrics.
func (m *Metrics) MessagesSent(appID string, n int) { m.sent.WithLabelValues(appID).Add(float64(n)) }

// Published implements hub.Metrics; the status label is the seed's meaning
// in snake case (ok, hub_missing, ..., shard_queue_full).
func (m *Metrics) Published(appID string, s hub.Status) {
	m.publishes.WithLabelValues(appID, statusLabel(s)).Inc()
}

var statusReplacer = strings.NewReplacer(" ", "_", "-", "_")

func statusLabel(s hub.Status) string {
	if s == hub.StatusOK {
		return "ok"
	}
	return strings.ToLower(statusReplacer.Replace(s.String()))
}

// Dropped implements hub.Metrics.
func (m *Metrics) Dropped(appID, reason string) { m.drops.WithLabelValues(appID, reason).Inc() }

func (m *Metrics) handshakeRejection(reason string) {
	m.handshakeRejected.WithLabelValues(reason).Inc()
}

func (m *Metrics) authRejection(reason string) { m.authRejected.WithLabelValues(reason).Inc() }

// authStarted counts an auth request in flight and returns the func that
// records its latency when it ends.
func (m *Metrics) authStarted(kind AuthKind) func() {
	m.authInFlight.Inc()
	start := time.Now()
	return func() {
		m.authInFlight.Dec()
		m.authDuration.WithLabelValues(kind.String()).Observe(time.Since(start).Seconds())
	}
}

func (m *Metrics) webhookDelivered(appID, result string) {
	m.webhookDeliveries.WithLabelValues(appID, result).Inc()
}

func (m *Metrics) webhookFailedAttempt(appID string) { m.webhookFailures.WithLabelValues(appID).Inc() }

func (m *Metrics) webhookDropped(appID, reason string) {
	m.webhookDrops.WithLabelValues(appID, reason).Inc()
}

// trackQueue adds a broker queue depth source under owner; untrackQueue removes it.
func (m *Metrics) trackQueue(owner any, depth func() int) {
	m.depthMu.Lock()
	defer m.depthMu.Unlock()
	m.depths[owner] = depth
}

func (m *Metrics) untrackQueue(owner any) {
	m.depthMu.Lock()
	defer m.depthMu.Unlock()
	delete(m.depths, owner)
}

func (m *Metrics) brokerDepth() float64 {
	m.depthMu.Lock()
	defer m.depthMu.Unlock()
	total := 0
	for _, f := range m.depths {
		total += f()
	}
	return float64(total)
}

var _ hub.Metrics = (*Metrics)(nil)
