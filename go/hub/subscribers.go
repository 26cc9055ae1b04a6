package hub

import "slices"

// Subscriber lists.
//
// A channel's subscribers live in chunks of at most chunkSize entries plus a
// count n, all guarded by the shard mutex. A reader (the fan-out) copies the
// chunk slice header and n under the lock and iterates without it, so the
// list must never change an entry a past snapshot can read:
//
//   - add writes only position n, which no earlier snapshot covers, into
//     spare room of the last chunk (or a new chunk): O(1) amortized, no copy;
//   - remove swaps the last entry into the hole; both chunks it touches and
//     the chunk slice are copied first (copy-on-write of at most two chunks),
//     so later adds write into arrays no snapshot references.
//
// Building a channel of N subscribers therefore costs O(N), and removing one
// O(N/chunkSize) pointer copies, instead of O(N) per change for a flat
// copy-on-write slice. Small channels stay small: the first chunk starts at
// firstChunkCap entries and doubles up to chunkSize.

const (
	chunkSize     = 128
	firstChunkCap = 2
	indexFrom     = 64 // build the position index once a channel reaches this size
)

// subscriberList is the mutable part of a channel (guarded by shard.mu).
type subscriberList struct {
	chunks [][]subscriber // len(chunk) is its capacity; entries past n are unused
	n      int
	pos    map[*Session]int // position of each session; nil below indexFrom
}

// subSnapshot is an immutable view for iteration without the lock.
type subSnapshot struct {
	chunks [][]subscriber
	n      int
}

func (l *subscriberList) snapshot() subSnapshot { return subSnapshot{l.chunks, l.n} }

func (l *subscriberList) at(p int) *subscriber { return &l.chunks[p/chunkSize][p%chunkSize] }

// add appends s as of shard sequence since.
func (l *subscriberList) add(s *Session, since uint64) {
	p := l.n
	ci, slot := p/chunkSize, p%chunkSize
	if ci == len(l.chunks) {
		first := chunkSize
		if ci == 0 {
			first = firstChunkCap
		}
		l.chunks = append(l.chunks, make([]subscriber, first))
	}
	if slot == len(l.chunks[ci]) { // grow the last chunk: fresh array, fresh chunk slice
		grown := make([]subscriber, min(2*len(l.chunks[ci]), chunkSize))
		copy(grown, l.chunks[ci])
		l.chunks = slices.Clone(l.chunks)
		l.chunks[ci] = grown
	}
	l.chunks[ci][slot] = subscriber{s: s, since: since}
	l.n++
	if l.pos != nil {
		l.pos[s] = p
	} else if l.n >= indexFrom {
		l.pos = make(map[*Session]int, l.n)
		for i := 0; i < l.n; i++ {
			l.pos[l.at(i).s] = i
		}
	}
}

// find returns s's position or -1.
func (l *subscriberList) find(s *Session) int {
	if l.pos != nil {
		if p, ok := l.pos[s]; ok {
			return p
		}
		return -1
	}
	for p := 0; p < l.n; p++ {
		if l.at(p).s == s {
			return p
		}
	}
	return -1
}

// remove deletes s and reports whether it was there.
func (l *subscriberList) remove(s *Session) bool {
	i := l.find(s)
	if i < 0 {
		return false
	}
	last := l.n - 1
	li := last / chunkSize
	l.chunks = slices.Clone(l.chunks)
	l.chunks[li] = slices.Clone(l.chunks[li])
	moved := l.chunks[li][last%chunkSize]
	if i != last {
		if ci := i / chunkSize; ci != li {
			l.chunks[ci] = slices.Clone(l.chunks[ci])
		}
		*l.at(i) = moved
		if l.pos != nil {
			l.pos[moved.s] = i
		}
	}
	l.chunks[li][last%chunkSize] = subscriber{}
	if last%chunkSize == 0 {
		l.chunks = l.chunks[:li]
	}
	l.n--
	if l.pos != nil {
		delete(l.pos, s)
	}
	return true
}
