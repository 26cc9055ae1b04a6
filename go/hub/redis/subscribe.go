package redis

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/y-l-g/websocket/go/hub"
)

// errSilent: the subscription connection stayed silent through pings.
var errSilent = errors.New("redis: subscription connection silent")

// subscribe runs the node's pattern subscription until ctx ends: it
// delivers every envelope of every app under the prefix (its own
// included), and after a failure logs it, marks the node disconnected
// (publishes fail fast with ErrUnavailable), waits an exponential,
// jittered back-off between BackoffMin and BackoffMax, and subscribes
// again. Messages published while disconnected are not replayed.
func (n *Node) subscribe(ctx context.Context, deliver func(*hub.Envelope)) error {
	backoff := n.cfg.BackoffMin
	for ctx.Err() == nil {
		ps := n.client.PSubscribe(ctx, n.keys.appPattern())
		unblock := context.AfterFunc(ctx, func() { _ = ps.Close() }) // reads ignore ctx
		_, err := ps.Receive(ctx)                                    // the subscription confirmation
		if err == nil {
			again := n.setConnected(true, nil)
			backoff = n.cfg.BackoffMin
			if again {
				n.wg.Add(1)
				go func() {
					defer n.wg.Done()
					n.afterReconnect(ctx)
				}()
			}
			err = n.receive(ctx, ps, deliver)
		}
		unblock()
		_ = ps.Close()
		if ctx.Err() != nil {
			break
		}
		n.setConnected(false, err)
		n.cfg.Metrics.Reconnect()
		wait := backoff/2 + rand.N(backoff/2+1)
		select {
		case <-time.After(wait):
		case <-ctx.Done():
		}
		backoff = min(2*backoff, n.cfg.BackoffMax)
	}
	if n.connected.Swap(false) {
		n.log.Info("redis: unsubscribed", "node", n.cfg.NodeID)
		n.cfg.Metrics.Connected(false)
	}
	return nil
}

// receive delivers messages until the connection fails. A silent
// connection is pinged every Heartbeat and abandoned after three silent
// periods (a half-open TCP connection never reports an error).
func (n *Node) receive(ctx context.Context, ps *goredis.PubSub, deliver func(*hub.Envelope)) error {
	last := time.Now()
	for {
		msg, err := ps.ReceiveTimeout(ctx, n.cfg.Heartbeat)
		if err != nil {
			var ne net.Error
			if !errors.As(err, &ne) || !ne.Timeout() {
				return err
			}
			if time.Since(last) > 3*n.cfg.Heartbeat {
				return errSilent
			}
			if err := ps.Ping(ctx); err != nil {
				return fmt.Errorf("redis: ping: %w", err)
			}
			continue
		}
		last = time.Now()
		m, ok := msg.(*goredis.Message)
		if !ok {
			continue // pong or subscription notice
		}
		e, err := decodeEnvelope([]byte(m.Payload))
		if err != nil {
			n.log.Warn("redis: dropping message", "channel", m.Channel, "err", err)
			continue
		}
		deliver(e)
	}
}

// setConnected records the subscriber state, with a log line and a
// metric on every change. It reports whether up follows an earlier
// successful subscription (a reconnect).
func (n *Node) setConnected(up bool, cause error) (again bool) {
	was := n.connected.Swap(up)
	if up {
		again = n.everUp.Swap(true)
		n.readyOnce.Do(func() { close(n.ready) })
	}
	switch {
	case up && !was:
		n.log.Info("redis: subscribed", "node", n.cfg.NodeID, "pattern", n.keys.appPattern())
		n.cfg.Metrics.Connected(true)
	case !up && was:
		n.log.Warn("redis: connection lost; publishing fails until it is back", "node", n.cfg.NodeID, "err", cause)
		n.cfg.Metrics.Connected(false)
	case !up && cause != nil:
		n.log.Debug("redis: reconnect failed", "node", n.cfg.NodeID, "err", cause)
	}
	return again
}
