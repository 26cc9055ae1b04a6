package pogows

import (
	"github.com/prometheus/client_golang/prometheus"

	pogoredis "github.com/y-l-g/websocket/go/hub/redis"
)

// redisCollectors observe the Redis nodes of the process.
type redisCollectors struct {
	connected       prometheus.Gauge
	reconnects      prometheus.Counter
	publishFailures *prometheus.CounterVec
	expired         prometheus.Counter
}

func newRedisCollectors() redisCollectors {
	return redisCollectors{
		connected: prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "pogo", Name: "redis_connected",
			Help: "Redis nodes whose Pub/Sub subscription is up."}),
		reconnects: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "pogo", Name: "redis_reconnects_total",
			Help: "Attempts to re-establish the Redis subscription."}),
		publishFailures: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "pogo", Name: "redis_publish_failures_total",
			Help: "Publishes the Redis broker could not send, by reason."}, []string{"reason"}),
		expired: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "pogo", Name: "redis_expired_connections_total",
			Help: "Connections removed on behalf of dead nodes."}),
	}
}

// redisMetrics adapts Metrics to pogoredis.Metrics.
type redisMetrics struct{ m *Metrics }

// Connected implements pogoredis.Metrics.
func (r redisMetrics) Connected(up bool) {
	if up {
		r.m.redis.connected.Inc()
	} else {
		r.m.redis.connected.Dec()
	}
}

// Reconnect implements pogoredis.Metrics.
func (r redisMetrics) Reconnect() { r.m.redis.reconnects.Inc() }

// PublishFailed implements pogoredis.Metrics.
func (r redisMetrics) PublishFailed(reason string) {
	r.m.redis.publishFailures.WithLabelValues(reason).Inc()
}

// Expired implements pogoredis.Metrics.
func (r redisMetrics) Expired(n int) { r.m.redis.expired.Add(float64(n)) }

var _ pogoredis.Metrics = redisMetrics{}
