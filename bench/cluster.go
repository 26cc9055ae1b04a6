package main

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"syscall"
	"time"
)

// clusterRun is one comparison: the same fanout against one node (memory
// broker) and against several nodes sharing a Redis server.
type clusterRun struct {
	Run           int     `json:"run"`
	Nodes         int     `json:"nodes"`
	Subs          int     `json:"subscribers"`
	SinglePerSec  float64 `json:"single_deliveries_per_sec"`
	ClusterPerSec float64 `json:"cluster_deliveries_per_sec"`
	Ratio         float64 `json:"ratio"`
	SingleCPUNs   float64 `json:"single_cpu_ns_per_delivery"`
	ClusterCPUNs  float64 `json:"cluster_cpu_ns_per_delivery"` // every node + redis-server
	SingleLost    int64   `json:"single_lost"`
	ClusterLost   int64   `json:"cluster_lost"`
	Error         string  `json:"error,omitempty"`
}

// clusterOut reports the cluster scenario.
type clusterOut struct {
	Scenario  string       `json:"scenario"`
	Available bool         `json:"available"`
	Reason    string       `json:"reason,omitempty"`
	Runs      []clusterRun `json:"runs,omitempty"`
}

// runCluster compares bin/frankenphp nodes sharing a private redis-server
// (subscribers spread over the nodes, publishes through the first) with
// one node. When redis-server or the build's Redis support is missing it
// says so and measures nothing.
func runCluster(ctx context.Context, e *env) *clusterOut {
	out := &clusterOut{Scenario: "cluster"}
	redisBin, err := exec.LookPath("redis-server")
	if err != nil {
		out.Reason = "not available: redis-server is not installed"
		return out
	}
	redis, err := startRedis(ctx, redisBin)
	if err != nil {
		out.Reason = "not available: " + err.Error()
		return out
	}
	defer redis.Stop()
	for _, subs := range e.clusterSubs {
		if reason := clusterAt(ctx, e, redis, subs, out); reason != "" {
			out.Reason = reason
			break
		}
	}
	out.Available = len(out.Runs) > 0
	return out
}

// clusterAt runs the comparison e.runs times at one subscriber count and
// appends the runs to out; it returns why it could not measure, if so.
func clusterAt(ctx context.Context, e *env, redis *server, subs int, out *clusterOut) string {
	fp := fanoutParams{Subs: subs, Channels: 1, Publishes: max(1, e.fanoutDeliv/subs),
		Payload: e.fanoutPayload, Window: e.fanoutWindow, MaxTime: e.fanoutMax, Label: "flat", Batch: e.readerBatch}
	for run := 1; run <= e.runs && ctx.Err() == nil; run++ {
		r := clusterRun{Run: run, Nodes: e.clusterNodes, Subs: subs}
		cluster, err := fanoutOnFranken(ctx, e, e.clusterNodes, "redis_host "+redis.addr, []int{redis.pid()}, fp)
		if err != nil {
			return "not available: " + err.Error()
		}
		single, err := fanoutOnFranken(ctx, e, 1, "", nil, fp)
		if err != nil {
			return "single node: " + err.Error()
		}
		r.SinglePerSec, r.ClusterPerSec = single.PerSec, cluster.PerSec
		r.SingleCPUNs, r.ClusterCPUNs = single.ServerCPUPerDel, cluster.ServerCPUPerDel
		r.SingleLost, r.ClusterLost = single.Lost, cluster.Lost
		if single.PerSec > 0 {
			r.Ratio = cluster.PerSec / single.PerSec
		}
		r.Error = joinErrors(single.Error, cluster.Error)
		out.Runs = append(out.Runs, r)
	}
	return ""
}

// fanoutOnFranken starts n bin/frankenphp nodes with extra inside their
// pogo_websocket block, runs the fanout over them and stops them.
func fanoutOnFranken(ctx context.Context, e *env, n int, extra string, extraPIDs []int, fp fanoutParams) (fanoutResult, error) {
	var nodes []*server
	defer func() {
		for _, s := range nodes {
			s.Stop()
		}
	}()
	for range n {
		s, dir, err := startFranken(ctx, e.franken, extra)
		if err != nil {
			return fanoutResult{}, err
		}
		s.dir = dir
		nodes = append(nodes, s)
	}
	return runFanoutNodes(ctx, e, nodes, extraPIDs, fp), nil
}

// startRedis runs a private, non-persistent redis-server on a free
// loopback port and waits up to 10 s until it accepts connections.
func startRedis(ctx context.Context, bin string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	s := &server{name: "redis", cmd: cmd, logs: &tailBuffer{max: 4 << 10}, exit: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = s.logs, s.logs
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start redis-server: %w", err)
	}
	go func() { s.exit <- cmd.Wait() }()
	s.addr = fmt.Sprintf("127.0.0.1:%d", port)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline) && ctx.Err() == nil; {
		if c, err := net.DialTimeout("tcp", s.addr, time.Second); err == nil {
			_ = c.Close()
			return s, nil
		}
		if !s.alive() {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.Stop()
	return nil, fmt.Errorf("redis-server did not start:\n%s", s.logs)
}

// joinErrors joins the non-empty messages.
func joinErrors(msgs ...string) string {
	out := ""
	for _, m := range msgs {
		if m == "" {
			continue
		}
		if out != "" {
			out += "; "
		}
		out += m
	}
	return out
}
