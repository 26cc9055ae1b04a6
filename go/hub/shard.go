package hub

import (
	"errors"
	"hash/maphash"
	"sync"
	"time"

	"github.com/y-l-g/websocket/go/hub/pusher"
)

// ErrShardQueueFull is returned (wrapped) by the delivery path when a shard's
// fan-out queue has no room; Publish maps it to StatusShardQueueFull.
var ErrShardQueueFull = errors.New("hub: shard queue full")

// chanKey names a channel of an app.
type chanKey struct{ app, name string }

// channel is one occupied channel of one node. Its fields are guarded by the
// owning shard's mutex; a snapshot of subs taken under the lock stays valid
// and unchanged after it is released (see subscribers.go).
type channel struct {
	key  chanKey
	kind pusher.ChannelKind
	subs subscriberList

	lastCount    time.Time // last subscription_count event (throttling)
	countPending bool      // a trailing subscription_count is scheduled
	missNotified bool      // cache_miss webhook sent since the last cached event
}

// subscriber is one session in a channel. since is the shard sequence at
// subscription time: jobs queued before it (seq <= since) are skipped, so a
// subscriber never receives an event older than its subscription_succeeded
// (or a second copy of the cached event it was just replayed).
type subscriber struct {
	s     *Session
	since uint64
}

// count returns the number of local subscribers.
func (c *channel) count() int { return c.subs.n }

// cacheEntry is the last event of a cache channel.
type cacheEntry struct {
	event, data string
	frame       []byte
	expires     time.Time
}

// job is one encoded event to write to a channel's local subscribers.
type job struct {
	key    chanKey
	frame  []byte
	except string // socket id to skip
	seq    uint64 // shard sequence, assigned by enqueue
}

// shard owns a subset of the channels (by hash of app and name): a map under
// its own mutex, the cache entries of its cache channels, and a bounded
// queue drained by one fan-out goroutine.
type shard struct {
	mu    sync.Mutex
	chans map[chanKey]*channel
	cache map[chanKey]*cacheEntry
	queue chan job
	seq   uint64 // last sequence handed out by enqueue
}

func newShard(queueSize int) *shard {
	return &shard{
		chans: make(map[chanKey]*channel),
		cache: make(map[chanKey]*cacheEntry),
		queue: make(chan job, queueSize),
	}
}

// enqueue numbers j and hands it to the fan-out goroutine without
// blocking; a full queue returns ErrShardQueueFull. Callers hold sh.mu, so
// sequence order is queue order.
func (sh *shard) enqueue(j job) error {
	j.seq = sh.seq + 1
	select {
	case sh.queue <- j:
		sh.seq = j.seq
		return nil
	default:
		return ErrShardQueueFull
	}
}

// snapshot returns the current subscribers of k (nil when none).
func (sh *shard) snapshot(k chanKey) subSnapshot {
	sh.mu.Lock()
	var v subSnapshot
	if c := sh.chans[k]; c != nil {
		v = c.subs.snapshot()
	}
	sh.mu.Unlock()
	return v
}

// occupied reports whether k has local subscribers.
func (sh *shard) occupied(k chanKey) bool {
	sh.mu.Lock()
	_, ok := sh.chans[k]
	sh.mu.Unlock()
	return ok
}

// liveCache returns the cache entry of k unless it expired (expired entries
// are deleted). Callers hold sh.mu.
func (sh *shard) liveCache(k chanKey, now time.Time) *cacheEntry {
	e := sh.cache[k]
	if e != nil && !now.Before(e.expires) {
		delete(sh.cache, k)
		return nil
	}
	return e
}

// sweep deletes expired cache entries.
func (sh *shard) sweep(now time.Time) {
	sh.mu.Lock()
	for k, e := range sh.cache {
		if !now.Before(e.expires) {
			delete(sh.cache, k)
		}
	}
	sh.mu.Unlock()
}

// shardSeed keys the channel hash; fixed per process.
var shardSeed = maphash.MakeSeed()

// shardOf returns the shard owning channel name of app.
func (h *Hub) shardOf(app, name string) *shard {
	sum := maphash.String(shardSeed, name) ^ (maphash.String(shardSeed, app) * 0x9E3779B97F4A7C15)
	return h.shards[sum%uint64(len(h.shards))]
}

// runShard drains sh's queue until the hub closes.
func (h *Hub) runShard(sh *shard) {
	defer h.wg.Done()
	for {
		select {
		case j := <-sh.queue:
			h.fanOut(sh, j)
		case <-h.done:
			return
		}
	}
}

// fanOut writes j's frame to every local subscriber of its channel except
// j.except. The same bytes go to every subscriber; nothing is allocated per
// subscriber.
func (h *Hub) fanOut(sh *shard, j job) {
	v := sh.snapshot(j.key)
	sent, left := 0, v.n
	for _, chunk := range v.chunks {
		m := min(len(chunk), left)
		left -= m
		for i := 0; i < m; i++ {
			sub := &chunk[i]
			if sub.since >= j.seq || sub.s.socketID == j.except {
				continue
			}
			if err := sub.s.conn.WriteFrame(j.frame); err != nil {
				h.writeFailed(j.key.app, err)
				continue
			}
			sent++
		}
		if left == 0 {
			break
		}
	}
	if sent > 0 {
		h.metrics.MessagesSent(j.key.app, sent)
	}
}
