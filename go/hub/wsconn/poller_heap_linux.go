//go:build linux

package wsconn

// deadlineHeap is a binary min-heap of parked connections ordered by their
// liveness deadline (rd.due). Each connection is in it at most once; its
// rd.slot is its index plus one (0: absent), so setting a new deadline or
// removing it is O(log n) without searching. It replaces one runtime timer
// per idle connection: the poller sleeps until the earliest deadline.
// Not safe for concurrent use (the poller's mutex guards it).
type deadlineHeap []*conn

// set puts c in the heap with deadline due, or moves it there.
func (h *deadlineHeap) set(c *conn, due int64) {
	c.rd.due = due
	if c.rd.slot == 0 {
		*h = append(*h, c)
		c.rd.slot = int32(len(*h))
		h.up(len(*h) - 1)
		return
	}
	i := int(c.rd.slot) - 1
	if !h.down(i) {
		h.up(i)
	}
}

// remove takes c out of the heap if it is there.
func (h *deadlineHeap) remove(c *conn) {
	if c.rd.slot == 0 {
		return
	}
	i, last := int(c.rd.slot)-1, len(*h)-1
	if i != last {
		h.swap(i, last)
	}
	(*h)[last] = nil
	*h = (*h)[:last]
	c.rd.slot = 0
	if i != last && !h.down(i) {
		h.up(i)
	}
	if cap(*h) > minHeapShrink && len(*h) < cap(*h)/4 { // shrink after a wave of disconnects
		*h = append(make(deadlineHeap, 0, cap(*h)/2), *h...)
	}
}

// minHeapShrink is the capacity under which the heap never shrinks.
const minHeapShrink = 1024

// popDue removes every connection whose deadline is at or before now and
// appends it to dst.
func (h *deadlineHeap) popDue(now int64, dst []*conn) []*conn {
	for len(*h) > 0 && (*h)[0].rd.due <= now {
		c := (*h)[0]
		h.remove(c)
		dst = append(dst, c)
	}
	return dst
}

// next returns the earliest deadline, or false when the heap is empty.
func (h deadlineHeap) next() (int64, bool) {
	if len(h) == 0 {
		return 0, false
	}
	return h[0].rd.due, true
}

func (h deadlineHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].rd.slot, h[j].rd.slot = int32(i+1), int32(j+1)
}

func (h deadlineHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if h[p].rd.due <= h[i].rd.due {
			return
		}
		h.swap(i, p)
		i = p
	}
}

// down sifts i towards the leaves and reports whether it moved.
func (h deadlineHeap) down(i int) bool {
	start := i
	for {
		l := 2*i + 1
		if l >= len(h) {
			break
		}
		m := l
		if r := l + 1; r < len(h) && h[r].rd.due < h[l].rd.due {
			m = r
		}
		if h[i].rd.due <= h[m].rd.due {
			break
		}
		h.swap(i, m)
		i = m
	}
	return i > start
}
