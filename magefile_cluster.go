//go:build mage

package main

import (
	"github.com/magefile/mage/mg"
)

// Cluster holds the multi-node targets (Redis broker and presence store, docs/scaling.md).
type Cluster mg.Namespace

// Test runs pusher-js clients across several real pogo-server nodes sharing a real redis-server (kills a node, restarts Redis).
func (Cluster) Test() error {
	mg.SerialDeps(System.Packages, System.Node, Go.Server)
	return run(root(), []string{"POGO_SERVER_BIN=" + bin("pogo-server")}, "node", "--test", "--test-concurrency=1", "test/cluster/")
}

// Bench runs the Redis cluster publish benchmark (three in-process nodes on one redis-server).
func (Cluster) Bench() error {
	return run(root(), nil, "go", "test", "-run=^$", "-bench=ClusterPublish", "-benchmem", "./go/hub/redis/")
}
