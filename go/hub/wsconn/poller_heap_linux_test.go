//go:build linux

package wsconn

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDeadlineHeapMatchesModel drives the heap with random sets, removals
// and pops and compares it with a plain map of deadlines.
func TestDeadlineHeapMatchesModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	conns := make([]*conn, 64)
	for i := range conns {
		conns[i] = &conn{}
	}
	var h deadlineHeap
	model := map[*conn]int64{}
	now := int64(0)
	for step := range 20000 {
		c := conns[rng.IntN(len(conns))]
		switch op := rng.IntN(10); {
		case op < 5:
			due := now + rng.Int64N(1000)
			h.set(c, due)
			model[c] = due
		case op < 7:
			h.remove(c)
			delete(model, c)
		default:
			now += rng.Int64N(100)
			var want []*conn
			for m, due := range model {
				if due <= now {
					want = append(want, m)
					delete(model, m)
				}
			}
			got := h.popDue(now, nil)
			if len(got) != len(want) {
				t.Fatalf("step %d: popped %d, want %d", step, len(got), len(want))
			}
			for i := 1; i < len(got); i++ {
				if got[i-1].rd.due > got[i].rd.due {
					t.Fatalf("step %d: popped out of order", step)
				}
			}
			for _, g := range got {
				if !slices.Contains(want, g) {
					t.Fatalf("step %d: popped a conn that is not due", step)
				}
			}
		}
		checkHeap(t, h, model)
	}
}

// checkHeap verifies the heap property, the slots and the contents.
func checkHeap(t *testing.T, h deadlineHeap, model map[*conn]int64) {
	t.Helper()
	if len(h) != len(model) {
		t.Fatalf("heap holds %d, model %d", len(h), len(model))
	}
	for i, c := range h {
		if int(c.rd.slot) != i+1 {
			t.Fatalf("slot %d at index %d", c.rd.slot, i)
		}
		if due, ok := model[c]; !ok || due != c.rd.due {
			t.Fatalf("index %d: due %d, model %d (%v)", i, c.rd.due, due, ok)
		}
		if i > 0 && h[(i-1)/2].rd.due > c.rd.due {
			t.Fatalf("heap property broken at %d", i)
		}
	}
	if due, ok := h.next(); ok != (len(h) > 0) || ok && due != h[0].rd.due {
		t.Fatal("next disagrees with the root")
	}
}

// After most connections left, the heap gives its memory back and stays
// consistent.
func TestDeadlineHeapShrinks(t *testing.T) {
	conns := make([]*conn, 4*minHeapShrink)
	var h deadlineHeap
	model := map[*conn]int64{}
	for i := range conns {
		conns[i] = &conn{}
		due := int64(len(conns) - i)
		h.set(conns[i], due)
		model[conns[i]] = due
	}
	grown := cap(h)
	for _, c := range conns[:len(conns)-10] {
		h.remove(c)
		delete(model, c)
	}
	if cap(h) >= grown/2 {
		t.Fatalf("capacity %d after removals, was %d", cap(h), grown)
	}
	checkHeap(t, h, model)
}
