package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"time"
)

// results holds every run of every scenario.
type results struct {
	Started time.Time
	Args    []string
	Fanout  []fanoutResult
	Latency []fanoutResult
	Connect []connectOut
	Idle    []idleOut
	Native  []nativeOut
	Cluster *clusterOut
	Profile *profileOut
	Load    []string // "scenario: 1-minute load average" before each scenario
}

// noteLoad records the 1-minute load average before a scenario: on a
// shared machine it explains noisy rates and latencies.
func (r *results) noteLoad(scenario string) {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		r.Load = append(r.Load, scenario+" "+f[0])
	}
}

// runBench is the default command: run the chosen scenarios and report.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	e, err := parseEnv(args, stderr)
	if err != nil {
		return err
	}
	limit, err := raiseFDLimit()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "# pogo bench: fd limit %d, %d runs each, servers %v\n", limit, e.runs, e.servers)
	if e.cpuProf != "" {
		f, err := os.Create(e.cpuProf)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	specs, err := resolveServers(e)
	if err != nil {
		return err
	}
	res := &results{Started: time.Now().UTC(), Args: args}
	emit := func(v any) {
		b, _ := json.Marshal(v)
		fmt.Fprintln(stdout, string(b))
	}
	if err := runScenarios(ctx, e, specs, res, stdout, emit); err != nil {
		return err
	}
	printSummary(stdout, e, res)
	if e.out != "" {
		if err := writeReport(e, res); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "# wrote %s\n", e.out)
	}
	return nil
}

// runner runs the scenarios of one invocation.
type runner struct {
	ctx   context.Context
	e     *env
	specs []serverSpec
	res   *results
	w     io.Writer
	emit  func(any)
}

// runScenarios runs each selected scenario in the order of allScenarios;
// servers alternate inside each run so that ratios come from the same
// conditions. Profiles (extra pogo runs) come last.
func runScenarios(ctx context.Context, e *env, specs []serverSpec, res *results, w io.Writer, emit func(any)) error {
	r := &runner{ctx: ctx, e: e, specs: specs, res: res, w: w, emit: emit}
	steps := map[string]func() error{
		"fanout": r.fanout, "latency": r.latency, "connect": r.connect,
		"idle": r.idle, "native": r.native, "cluster": r.cluster,
	}
	for _, name := range allScenarios {
		if !e.scenarios[name] {
			continue
		}
		res.noteLoad(name)
		if err := steps[name](); err != nil {
			return err
		}
	}
	if e.profile {
		for _, spec := range specs {
			if spec.Name == "pogo" {
				res.Profile = runProfiles(ctx, e, spec)
			}
		}
	}
	return ctx.Err()
}

// each runs fn e.runs times against a fresh server of every spec and
// emits each result.
func (r *runner) each(name string, fn func(run int, s *server) any) error {
	for run := 1; run <= r.e.runs && r.ctx.Err() == nil; run++ {
		for _, spec := range r.specs {
			srv, err := spec.start(r.ctx)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			v := fn(run, srv)
			if !srv.alive() {
				fmt.Fprintf(r.w, "! %s died during %s:\n%s\n", spec.Name, name, srv.logs)
			}
			srv.Stop()
			r.emit(v)
		}
	}
	return r.ctx.Err()
}

func (r *runner) fanout() error {
	e := r.e
	for _, n := range e.fanoutSubs {
		fp := fanoutParams{Subs: n, Channels: min(e.fanoutChans, n), Publishes: max(1, e.fanoutDeliv/n),
			Payload: e.fanoutPayload, Window: e.fanoutWindow, MaxTime: e.fanoutMax, Label: "flat", Batch: e.readerBatch}
		if err := r.each("fanout", func(run int, s *server) any {
			out := runFanout(r.ctx, e, s, fp)
			out.Run = run
			r.res.Fanout = append(r.res.Fanout, out)
			return out
		}); err != nil {
			return err
		}
	}
	return nil
}

// latencyParams is the fixed-rate fanout of the latency scenario.
func latencyParams(e *env) fanoutParams {
	return fanoutParams{Subs: e.latencySubs, Channels: 1, Publishes: e.latencyRate * e.latencySeconds,
		Rate: float64(e.latencyRate), Payload: e.fanoutPayload, Window: e.fanoutWindow,
		MaxTime: time.Duration(e.latencySeconds)*time.Second + 30*time.Second, Label: "rate"}
}

func (r *runner) latency() error {
	e := r.e
	fp := latencyParams(e)
	return r.each("latency", func(run int, s *server) any {
		out := runFanout(r.ctx, e, s, fp)
		out.Run, out.Scenario = run, "latency"
		r.res.Latency = append(r.res.Latency, out)
		return out
	})
}

func (r *runner) connect() error {
	return r.each("connect", func(run int, s *server) any {
		out := runConnect(r.ctx, r.e, s, nil)
		out.Run = run
		r.res.Connect = append(r.res.Connect, out)
		return out
	})
}

func (r *runner) idle() error {
	return r.each("idle", func(run int, s *server) any {
		out := runIdle(r.ctx, r.e, s, nil)
		out.Run = run
		r.res.Idle = append(r.res.Idle, out)
		return out
	})
}

// native runs against bin/frankenphp only (no naive counterpart).
func (r *runner) native() error {
	for run := 1; run <= r.e.runs && r.ctx.Err() == nil; run++ {
		out := runNative(r.ctx, r.e)
		out.Run = run
		r.res.Native = append(r.res.Native, out)
		r.emit(out)
	}
	return r.ctx.Err()
}

func (r *runner) cluster() error {
	r.res.Cluster = runCluster(r.ctx, r.e)
	r.emit(r.res.Cluster)
	return nil
}

// resolveServers finds (or builds) the executables of the servers.
func resolveServers(e *env) ([]serverSpec, error) {
	var specs []serverSpec
	for _, name := range e.servers {
		switch name {
		case "pogo":
			path, err := pogoBinary(e.pogoPath)
			if err != nil {
				return nil, err
			}
			specs = append(specs, serverSpec{Name: "pogo", Path: path})
		case "naive":
			self, err := os.Executable()
			if err != nil {
				return nil, err
			}
			specs = append(specs, serverSpec{Name: "naive", Path: self, Args: []string{"naive-server"}})
		case "frankenphp":
			specs = append(specs, serverSpec{Name: "frankenphp", Path: e.franken, Franken: true})
		}
	}
	return specs, nil
}

// pogoBinary returns path when it exists, otherwise builds pogo-server
// into it with the go tool (from the repository root).
func pogoBinary(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(abs); err == nil {
		return abs, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	cmd := exec.Command("go", "build", "-o", abs, "./go/hub/cmd/pogo-server")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s is missing and building it failed (run from the repository root): %w", path, err)
	}
	return abs, nil
}
