package redistest

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// clusterSize is the number of masters of a test Redis Cluster.
const clusterSize = 3

// slotCount is the number of hash slots of Redis Cluster.
const slotCount = 16384

// Cluster is a Redis Cluster of three masters without replicas, each a
// redis-server on loopback owning a third of the hash slots.
type Cluster struct {
	Nodes []*Server
}

// StartCluster starts three cluster-enabled redis-server processes,
// splits the 16384 slots between them, joins them with CLUSTER MEET and
// waits until every node reports cluster_state:ok. The nodes stop at test
// cleanup; their nodes.conf files live in a directory of t.TempDir(). It
// skips the test when redis-server is not installed.
func StartCluster(t testing.TB) *Cluster {
	t.Helper()
	dir := t.TempDir()
	c := &Cluster{}
	ports := freePorts(t, 2*clusterSize)
	ports, buses := ports[:clusterSize], ports[clusterSize:]
	for i, port := range ports {
		c.Nodes = append(c.Nodes, start(t, port,
			"--cluster-enabled", "yes",
			"--cluster-config-file", filepath.Join(dir, fmt.Sprintf("nodes-%d.conf", port)),
			"--cluster-port", strconv.Itoa(buses[i]), // the default, port+10000, may be taken or out of range
			"--cluster-node-timeout", "2000",
			"--dir", dir))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for i, n := range c.Nodes {
		lo, hi := i*slotCount/clusterSize, (i+1)*slotCount/clusterSize-1
		// A distinct config epoch per node, set before the nodes meet,
		// spares them the epoch collision resolution.
		run(t, ctx, n, "cluster", "set-config-epoch", i+1)
		run(t, ctx, n, "cluster", "addslotsrange", lo, hi)
	}
	for i, n := range c.Nodes[1:] {
		run(t, ctx, c.Nodes[0], "cluster", "meet", "127.0.0.1", n.Port, buses[i+1])
	}
	for _, n := range c.Nodes {
		waitClusterOK(t, ctx, n)
	}
	return c
}

// Addrs returns the host:port of every node (the seed nodes of a client).
func (c *Cluster) Addrs() []string {
	out := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		out[i] = n.Addr()
	}
	return out
}

// run sends one command to n and fails the test on an error.
func run(t testing.TB, ctx context.Context, n *Server, args ...any) {
	t.Helper()
	client := goredis.NewClient(&goredis.Options{Addr: n.Addr()})
	defer client.Close()
	if err := client.Do(ctx, args...).Err(); err != nil {
		t.Fatalf("redis %s %v: %v", n.Addr(), args, err)
	}
}

// waitClusterOK polls CLUSTER INFO on n until it reports the cluster up
// with every slot served and every node known, or ctx ends.
func waitClusterOK(t testing.TB, ctx context.Context, n *Server) {
	t.Helper()
	client := goredis.NewClient(&goredis.Options{Addr: n.Addr()})
	defer client.Close()
	want := []string{
		"cluster_state:ok",
		"cluster_slots_ok:" + strconv.Itoa(slotCount),
		"cluster_known_nodes:" + strconv.Itoa(clusterSize),
	}
	var info string
	for ctx.Err() == nil {
		info, _ = client.ClusterInfo(ctx).Result()
		if hasLines(info, want) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("redis cluster node %s not ready: %s", n.Addr(), info)
}

// hasLines reports whether every line of want is a line of info.
func hasLines(info string, want []string) bool {
	lines := map[string]bool{}
	for _, l := range strings.Split(info, "\n") {
		lines[strings.TrimSpace(l)] = true
	}
	for _, w := range want {
		if !lines[w] {
			return false
		}
	}
	return true
}
