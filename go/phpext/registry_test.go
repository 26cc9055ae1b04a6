package phpext

import (
	"sync"
	"testing"
)

// recorder is a Publisher that records calls and returns a fixed status.
type recorder struct {
	mu     sync.Mutex
	status int
	calls  []call
}

type call struct {
	channels            []string
	event, data, except string
}

func (r *recorder) Publish(channels []string, event, data, except string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, call{channels, event, data, except})
	return r.status
}

func TestRegisterNewestWinsAndReleaseFallsBack(t *testing.T) {
	old, cur := &recorder{status: 6}, &recorder{status: 0}
	relOld := Register("app-reload", old)
	relCur := Register("app-reload", cur)
	if got := Publish("app-reload", "c", "e", `{}`, ""); got != 0 || len(cur.calls) != 1 {
		t.Fatalf("newest registration must win: status %d, calls %d", got, len(cur.calls))
	}
	relOld() // the old config is cleaned up after the new one is provisioned
	relOld() // idempotent
	if got := Publish("app-reload", "c", "e", `{}`, ""); got != 0 || len(cur.calls) != 2 {
		t.Fatalf("after releasing the old registration: status %d, calls %d", got, len(cur.calls))
	}
	relCur()
	if got := Publish("app-reload", "c", "e", `{}`, ""); got != StatusHubMissing {
		t.Fatalf("released app must report hub missing, got %d", got)
	}
}

func TestReleaseNewestFallsBackToPrevious(t *testing.T) {
	a, b := &recorder{status: 0}, &recorder{status: 8}
	relA := Register("app-fallback", a)
	defer relA()
	relB := Register("app-fallback", b)
	relB()
	if got := Publish("app-fallback", "c", "e", `1`, ""); got != 0 || len(a.calls) != 1 {
		t.Fatalf("fallback to previous registration: status %d, calls %d", got, len(a.calls))
	}
}

func TestConcurrentRegisterAndPublish(t *testing.T) {
	r := &recorder{}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				Register("app-race", r)()
			}
		}()
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				if s := Publish("app-race", "c", "e", `{}`, ""); s != 0 && s != StatusHubMissing {
					t.Errorf("unexpected status %d", s)
				}
			}
		}()
	}
	wg.Wait()
}
