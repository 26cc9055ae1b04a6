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
//     so later adds write into arrays no snapshot references. An array
//     created or copied since the last snapshot is private (no snapshot can
//     reference it) and is changed in place: a channel that nobody
//     publishes to (connection churn on a quiet channel) removes without
//     copying. Generations tell them apart: snapshot increments gen, and
//     each array remembers the gen it was made private in.
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

	gen       uint64   // number of snapshots taken
	sliceGen  uint64   // gen in which the chunks array was made private
	chunkGens []uint64 // gen in which each chunk was made private (parallel to chunks; never shared)
}

// subSnapshot is an immutable view for iteration without the lock.
type subSnapshot struct {
	chunks [][]subscriber
	n      int
}

// snapshot returns the current view; every array it references becomes
// shared (copy-on-write) from now on.
func (l *subscriberList) snapshot() subSnapshot {
	l.gen++
	return subSnapshot{l.chunks, l.n}
}

// ownSlice makes the chunks array private (copying it if a snapshot may
// reference it).
func (l *subscriberList) ownSlice() {
	if l.sliceGen != l.gen {
		l.chunks = slices.Clone(l.chunks)
		l.sliceGen = l.gen
	}
}

// ownChunk makes chunk ci private (copying it if a snapshot may reference
// it); the chunks array must be private already.
func (l *subscriberList) ownChunk(ci int) {
	if l.chunkGens[ci] != l.gen {
		l.chunks[ci] = slices.Clone(l.chunks[ci])
		l.chunkGens[ci] = l.gen
	}
}

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
		// Writing past the length of a shared array is safe: snapshots
		// only read their own length.
		l.chunks = append(l.chunks, make([]subscriber, first))
		l.chunkGens = append(l.chunkGens, l.gen)
	}
	if slot == len(l.chunks[ci]) { // grow the last chunk: fresh array
		grown := make([]subscriber, min(2*len(l.chunks[ci]), chunkSize))
		copy(grown, l.chunks[ci])
		l.ownSlice()
		l.chunks[ci] = grown
		l.chunkGens[ci] = l.gen
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
	l.ownSlice()
	l.ownChunk(li)
	moved := l.chunks[li][last%chunkSize]
	if i != last {
		if ci := i / chunkSize; ci != li {
			l.ownChunk(ci)
		}
		*l.at(i) = moved
		if l.pos != nil {
			l.pos[moved.s] = i
		}
	}
	l.chunks[li][last%chunkSize] = subscriber{}
	if last%chunkSize == 0 {
		l.chunks = l.chunks[:li]
		l.chunkGens = l.chunkGens[:li]
	}
	l.n--
	if l.pos != nil {
		delete(l.pos, s)
	}
	return true
}
