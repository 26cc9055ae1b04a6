package redis

import (
	"testing"

	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/hub/redis/redistest"
)

// TestThroughSentinel: two nodes find the master through a sentinel
// (ClientOptions.SentinelMaster) and work as a cluster.
func TestThroughSentinel(t *testing.T) {
	master := redistest.Start(t)
	sentinel := redistest.StartSentinel(t, master)
	nodes := newCluster(t, 2, nodeOpts{redis: &ClientOptions{Addrs: []string{sentinel.Addr()}, SentinelMaster: sentinel.MasterName}}).nodes
	s0, c0 := nodes[0].open()
	nodes[0].subscribe(s0, c0, "presence-s", `{"user_id":"a"}`)
	s1, c1 := nodes[1].open()
	if n := presenceCount(t, nodes[1].subscribe(s1, c1, "presence-s", `{"user_id":"b"}`)); n != 2 {
		t.Fatalf("members %d", n)
	}
	if st := nodes[1].publish(ctx(t), "presence-s", "hi", "1", ""); st != hub.StatusOK {
		t.Fatal(st)
	}
	if _, ok := c0.Wait("hi", "presence-s", wait); !ok {
		t.Fatal("no delivery through the sentinel-discovered master")
	}
}
