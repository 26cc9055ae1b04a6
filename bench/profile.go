package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// profileOut holds the top lines of the pogo profiles taken in extra,
// unmeasured runs.
type profileOut struct {
	FanoutCPU  string // CPU profile during a flat-out fanout
	FanoutAt   int    // its subscriber count
	Connect    string // CPU profile during the connect scenario
	LatencyCPU string // CPU profile during the fixed-rate latency scenario
	IdleHeap   string // in-use heap with the idle connections held
	IdleStats  string // pogo-server's /debug/stats at the same moment
	IdleN      int
	Errors     []string
}

// runProfiles starts pogo with -debug-addr for extra runs: a fanout at
// the largest subscriber count, the latency and the connect scenario, each with a CPU
// profile, and the idle scenario with a heap profile once the
// connections are held.
func runProfiles(ctx context.Context, e *env, spec serverSpec) *profileOut {
	out := &profileOut{}
	dir, err := os.MkdirTemp("", "pogo-bench-prof-")
	if err != nil {
		out.Errors = append(out.Errors, err.Error())
		return out
	}
	defer os.RemoveAll(dir)
	if e.scenarios["fanout"] && len(e.fanoutSubs) > 0 {
		n := e.fanoutSubs[len(e.fanoutSubs)-1]
		out.FanoutAt = n
		fp := fanoutParams{Subs: n, Channels: min(e.fanoutChans, n), Publishes: max(1, e.fanoutDeliv/n),
			Payload: e.fanoutPayload, Window: e.fanoutWindow, MaxTime: e.fanoutMax, Label: "flat", Batch: e.readerBatch}
		out.FanoutCPU = withProfile(ctx, spec, dir, "cpu", "profile?seconds=5", "", func(srv *server, take func()) {
			fp.OnPublish = take
			runFanout(ctx, e, srv, fp)
		}, &out.Errors)
	}
	if e.scenarios["latency"] {
		fp := latencyParams(e)
		out.LatencyCPU = withProfile(ctx, spec, dir, "latency", "profile?seconds=3", "", func(srv *server, take func()) {
			fp.OnPublish = take
			runFanout(ctx, e, srv, fp)
		}, &out.Errors)
	}
	if e.scenarios["connect"] {
		out.Connect = withProfile(ctx, spec, dir, "connect", "profile?seconds=2", "", func(srv *server, take func()) {
			runConnect(ctx, e, srv, take)
		}, &out.Errors)
	}
	if e.scenarios["idle"] {
		out.IdleN = e.idleN
		out.IdleHeap = withProfile(ctx, spec, dir, "heap", "heap?gc=1", "-sample_index=inuse_space", func(srv *server, take func()) {
			runIdle(ctx, e, srv, func() {
				take()
				file := filepath.Join(dir, "stats.json")
				if err := fetch(ctx, srv.debug+"/debug/stats", file); err == nil {
					b, _ := os.ReadFile(file)
					out.IdleStats = strings.TrimSpace(string(b))
				}
			})
		}, &out.Errors)
	}
	return out
}

// withProfile starts a pogo with a debug listener and runs body; take
// (called by body at the right moment) fetches the profile endpoint in
// the background. It returns the `go tool pprof -top` lines.
func withProfile(ctx context.Context, spec serverSpec, dir, name, endpoint, opt string, body func(*server, func()), errs *[]string) string {
	srv, err := startServer(ctx, spec, "-log-level", "warn", "-debug-addr", "127.0.0.1:0")
	if err != nil {
		*errs = append(*errs, err.Error())
		return ""
	}
	defer srv.Stop()
	if srv.debug == "" {
		*errs = append(*errs, "pogo-server printed no POGO_DEBUG line (no -debug-addr support?)")
		return ""
	}
	file := filepath.Join(dir, name+".pb.gz")
	done := make(chan error, 1)
	started := false
	body(srv, func() {
		started = true
		go func() { done <- fetch(ctx, srv.debug+"/debug/pprof/"+endpoint, file) }()
	})
	if !started {
		*errs = append(*errs, name+" profile: the scenario never reached the profiling point")
		return ""
	}
	if err := <-done; err != nil {
		*errs = append(*errs, name+" profile: "+err.Error())
		return ""
	}
	return pprofTop(file, opt)
}

// fetch saves url's body to file.
func fetch(ctx context.Context, url, file string) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: HTTP %d", url, resp.StatusCode)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(f, resp.Body)
	return err
}

// pprofTop returns the first lines of `go tool pprof -top` for file.
func pprofTop(file, opt string) string {
	args := []string{"tool", "pprof", "-top", "-nodecount=20"}
	if opt != "" {
		args = append(args, opt)
	}
	b, err := exec.Command("go", append(args, file)...).CombinedOutput()
	if err != nil {
		return fmt.Sprintf("go tool pprof failed: %v\n%s", err, b)
	}
	var keep []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "File:") || strings.HasPrefix(l, "Build ID:") || strings.HasPrefix(l, "Time:") {
			continue
		}
		keep = append(keep, l)
	}
	return strings.TrimSpace(strings.Join(keep, "\n"))
}
