package hub

import (
	"context"
	"sync"
)

// LocalBroker is a Broker that delivers in the publisher's goroutine and can
// therefore report local delivery failures (a full shard queue) back to
// Publish. The hub binds its delivery function with BindLocal before it
// serves anything; Run is then not needed.
type LocalBroker interface {
	Broker
	BindLocal(deliver func(*Envelope) error)
}

// MemoryBroker is the single-node broker: Publish delivers synchronously to
// the bound hub and returns its error (wrapping ErrShardQueueFull when a
// shard queue is full). It is the default Config.Broker.
type MemoryBroker struct {
	mu      sync.RWMutex
	deliver func(*Envelope) error
	closed  bool
}

// NewMemoryBroker returns an unbound memory broker.
func NewMemoryBroker() *MemoryBroker { return &MemoryBroker{} }

// BindLocal implements LocalBroker.
func (b *MemoryBroker) BindLocal(deliver func(*Envelope) error) {
	b.mu.Lock()
	b.deliver = deliver
	b.mu.Unlock()
}

// Publish implements Broker. It returns ErrClosed after Close and when no
// hub is bound.
func (b *MemoryBroker) Publish(ctx context.Context, e *Envelope) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b.mu.RLock()
	d, closed := b.deliver, b.closed
	b.mu.RUnlock()
	if closed || d == nil {
		return ErrClosed
	}
	return d(e)
}

// Run implements Broker: it binds deliver when nothing is bound yet and
// waits for ctx to end.
func (b *MemoryBroker) Run(ctx context.Context, deliver func(*Envelope)) error {
	b.mu.Lock()
	if b.deliver == nil {
		b.deliver = func(e *Envelope) error { deliver(e); return nil }
	}
	b.mu.Unlock()
	<-ctx.Done()
	return nil
}

// Close implements Broker; later publishes fail with ErrClosed.
func (b *MemoryBroker) Close() error {
	b.mu.Lock()
	b.closed = true
	b.mu.Unlock()
	return nil
}

var _ LocalBroker = (*MemoryBroker)(nil)
