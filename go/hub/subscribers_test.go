package hub

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

func snapshotSessions(v subSnapshot) []*Session {
	var out []*Session
	left := v.n
	for _, c := range v.chunks {
		m := min(len(c), left)
		for i := 0; i < m; i++ {
			out = append(out, c[i].s)
		}
		left -= m
	}
	return out
}

// view reads the list like snapshot does, without making its arrays
// shared (so that tests can check a list between real snapshots).
func (l *subscriberList) view() subSnapshot { return subSnapshot{l.chunks, l.n} }

// TestSubscriberListModel runs random adds and removes against a set model
// and checks that every snapshot ever taken still reads what it read then,
// with snapshots taken at every step (everything copy-on-write) or rarely
// (mostly in-place changes of private arrays).
func TestSubscriberListModel(t *testing.T) {
	for _, every := range []int{1, 5, 97} {
		testSubscriberListModel(t, every)
	}
}

func testSubscriberListModel(t *testing.T, snapEvery int) {
	rng := rand.New(rand.NewPCG(1, uint64(snapEvery)))
	pool := make([]*Session, 600)
	for i := range pool {
		pool[i] = &Session{socketID: string(rune('a' + i%26))}
	}
	var l subscriberList
	in := map[*Session]bool{}
	type snap struct {
		v    subSnapshot
		want []*Session
	}
	var snaps []snap
	for step := range 20000 {
		s := pool[rng.IntN(len(pool))]
		if in[s] {
			if !l.remove(s) {
				t.Fatalf("step %d: remove of a member failed", step)
			}
			delete(in, s)
		} else {
			if l.remove(s) {
				t.Fatalf("step %d: removed a non-member", step)
			}
			l.add(s, uint64(step))
			in[s] = true
		}
		got := snapshotSessions(l.view())
		if len(got) != len(in) || l.n != len(in) {
			t.Fatalf("step %d: %d entries, want %d", step, len(got), len(in))
		}
		for _, x := range got {
			if !in[x] {
				t.Fatalf("step %d: stray entry", step)
			}
		}
		if step%snapEvery == 0 {
			snaps = append(snaps, snap{l.snapshot(), got})
		}
		if l.pos != nil {
			for s, p := range l.pos {
				if l.at(p).s != s {
					t.Fatalf("step %d: index out of date", step)
				}
			}
		}
	}
	for i, sn := range snaps {
		if !slices.Equal(snapshotSessions(sn.v), sn.want) {
			t.Fatalf("snapshots every %d steps: snapshot %d changed after later updates", snapEvery, i)
		}
	}
}

// TestSubscriberListConcurrentReaders iterates snapshots while a writer
// mutates the list under a mutex; the race detector checks the invariant.
func TestSubscriberListConcurrentReaders(t *testing.T) {
	var mu sync.Mutex
	var l subscriberList
	pool := make([]*Session, 300)
	for i := range pool {
		pool[i] = &Session{}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				mu.Lock()
				v := l.snapshot()
				mu.Unlock()
				if n := len(snapshotSessions(v)); n != v.n {
					t.Errorf("snapshot read %d of %d", n, v.n)
					return
				}
			}
		}()
	}
	rng := rand.New(rand.NewPCG(3, 4))
	in := map[*Session]bool{}
	for range 20000 {
		s := pool[rng.IntN(len(pool))]
		mu.Lock()
		if in[s] {
			l.remove(s)
			delete(in, s)
		} else {
			l.add(s, 0)
			in[s] = true
		}
		mu.Unlock()
	}
	close(done)
	wg.Wait()
}
