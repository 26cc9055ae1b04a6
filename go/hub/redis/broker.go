package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"sync"
	"sync/atomic"

	goredis "github.com/redis/go-redis/v9"

	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/hub/pusher"
)

// Sentinel errors of Publish; all map to hub.StatusBrokerFailed (6).
var (
	// ErrUnavailable: the node is not subscribed to Redis (never connected
	// yet, or the connection broke and the node is reconnecting).
	ErrUnavailable = errors.New("redis: not connected")
	// ErrTimeout: the caller's deadline passed before Redis answered.
	ErrTimeout = errors.New("redis: publish timed out")
)

// maxBatch caps how many queued publishes one worker sends in one pipeline.
const maxBatch = 64

// Broker is the hub.Broker of a Node: Redis Pub/Sub on one channel per app
// (Prefix:app:<id>), received by every node through one pattern
// subscription. Delivery is at-most-once: a node that is disconnected
// while a message is published never sees it.
//
// Publish encodes the envelope and queues it for one of Workers
// goroutines (chosen by app and first channel, so one channel's messages
// keep their order); each worker pipelines up to 64 queued publishes on its
// own connection. Publish waits for Redis's answer or ctx, whichever comes
// first: it never blocks beyond ctx and never on a full queue.
type Broker struct {
	n       *Node
	workers []chan *pubJob
	stop    chan struct{}
	wg      sync.WaitGroup
	closed  atomic.Bool
	depth   atomic.Int64
}

type pubJob struct {
	ctx     context.Context
	e       *hub.Envelope
	payload []byte
	done    chan error // buffered: the worker never blocks on it
}

func newBroker(n *Node) *Broker {
	b := &Broker{n: n, stop: make(chan struct{})}
	per := max(n.cfg.QueueSize/n.cfg.Workers, 1)
	for range n.cfg.Workers {
		q := make(chan *pubJob, per)
		b.workers = append(b.workers, q)
		b.wg.Add(1)
		go b.runWorker(q)
	}
	return b
}

var pickSeed = maphash.MakeSeed()

// queueFor picks the worker of e: by app and first channel (or user for
// control commands).
func (b *Broker) queueFor(e *hub.Envelope) chan *pubJob {
	key := e.Message.AppID + "\x00" + e.Message.UserID
	if len(e.Message.Channels) > 0 {
		key = e.Message.AppID + "\x00" + e.Message.Channels[0]
	}
	return b.workers[maphash.String(pickSeed, key)%uint64(len(b.workers))]
}

// Publish implements hub.Broker. Errors: hub.ErrClosed after Close,
// ErrUnavailable while disconnected, hub.ErrBrokerQueueFull when the
// worker's queue is full, ErrTimeout (wrapping ctx's error) when ctx ends
// first, or Redis's error.
func (b *Broker) Publish(ctx context.Context, e *hub.Envelope) error {
	if b.closed.Load() {
		return hub.ErrClosed
	}
	m := b.n.cfg.Metrics
	if !b.n.connected.Load() {
		m.PublishFailed(FailUnavailable)
		return ErrUnavailable
	}
	payload, err := encodeEnvelope(e)
	if err != nil {
		m.PublishFailed(FailError)
		return fmt.Errorf("redis: encode: %w", err)
	}
	j := &pubJob{ctx: ctx, e: e, payload: payload, done: make(chan error, 1)}
	select {
	case b.queueFor(e) <- j:
		b.depth.Add(1)
	default:
		m.PublishFailed(FailQueueFull)
		return hub.ErrBrokerQueueFull
	}
	select {
	case err := <-j.done:
		if err != nil {
			m.PublishFailed(FailError)
			return fmt.Errorf("redis: publish: %w", err)
		}
		return nil
	case <-ctx.Done():
		m.PublishFailed(FailTimeout)
		return fmt.Errorf("%w: %w", ErrTimeout, ctx.Err())
	}
}

// QueueDepth returns the number of publishes waiting for a worker.
func (b *Broker) QueueDepth() int { return int(b.depth.Load()) }

// runWorker sends batches from q until Close, then fails what is left.
func (b *Broker) runWorker(q chan *pubJob) {
	defer b.wg.Done()
	batch := make([]*pubJob, 0, maxBatch)
	for {
		select {
		case j := <-q:
			batch = append(batch[:0], j)
		drain:
			for len(batch) < maxBatch {
				select {
				case j := <-q:
					batch = append(batch, j)
				default:
					break drain
				}
			}
			b.depth.Add(-int64(len(batch)))
			b.send(batch)
		case <-b.stop:
			for {
				select {
				case j := <-q:
					b.depth.Add(-1)
					j.done <- hub.ErrClosed
				default:
					return
				}
			}
		}
	}
}

// send pipelines the live jobs of batch: for cache channels the SET of
// the cached event first, then the PUBLISH. Each job gets the first error
// of its own commands.
func (b *Broker) send(batch []*pubJob) {
	ctx, cancel := context.WithTimeout(context.Background(), b.n.cmdTimeout)
	defer cancel()
	pipe := b.n.client.Pipeline()
	cmds := make([][]goredis.Cmder, len(batch))
	live := 0
	for i, j := range batch {
		if err := j.ctx.Err(); err != nil {
			j.done <- err // the caller gave up: do not publish behind its back
			batch[i] = nil
			continue
		}
		live++
		cmds[i] = b.queueCommands(ctx, pipe, j.e, j.payload)
	}
	if live == 0 {
		return
	}
	_, _ = pipe.Exec(ctx)
	for i, j := range batch {
		if j == nil {
			continue
		}
		var err error
		for _, c := range cmds[i] {
			if err = c.Err(); err != nil {
				break
			}
		}
		j.done <- err
	}
}

func (b *Broker) queueCommands(ctx context.Context, pipe goredis.Pipeliner, e *hub.Envelope, payload []byte) []goredis.Cmder {
	var out []goredis.Cmder
	if e.CacheTTL > 0 { // the hub sets it only for cacheable events
		cv, err := json.Marshal(cachedValue{Event: e.Message.Event, Data: e.Message.Data})
		if err == nil {
			for _, c := range e.Message.Channels {
				if pusher.IsCache(c) {
					out = append(out, pipe.Set(ctx, b.n.keys.cache(e.Message.AppID, c), cv, e.CacheTTL))
				}
			}
		}
	}
	return append(out, publishCmd(ctx, pipe, b.n.keys.appChannel(e.Message.AppID), payload))
}

// publishCmd queues PUBLISH channel payload on pipe. go-redis sends a
// keyless PUBLISH to any Redis Cluster master (round robin), and
// Redis Cluster relays it to the other masters over the cluster bus, so
// two publishes through different masters may reach a subscriber in either
// order. Routing it by the channel's hash slot sends every publish of one
// app through one master, whose relay keeps their order, as a single
// server does. On a single server or through Sentinel it changes nothing.
func publishCmd(ctx context.Context, pipe goredis.Pipeliner, channel string, payload []byte) goredis.Cmder {
	cmd := goredis.NewIntCmd(ctx, "publish", channel, payload)
	cmd.SetFirstKeyPos(1)
	_ = pipe.Process(ctx, cmd)
	return cmd
}

// Run implements hub.Broker: see subscribe.go.
func (b *Broker) Run(ctx context.Context, deliver func(*hub.Envelope)) error {
	return b.n.subscribe(ctx, deliver)
}

// Close implements hub.Broker: later publishes fail with hub.ErrClosed,
// queued ones too. The Redis client stays open until Node.Close.
func (b *Broker) Close() error {
	if b.closed.Swap(true) {
		return nil
	}
	close(b.stop)
	b.wg.Wait()
	return nil
}

var _ hub.Broker = (*Broker)(nil)
