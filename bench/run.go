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

// runScenarios runs each selected scenario; servers alternate inside each
// run so that ratios come from the same conditions.
func runScenarios(ctx context.Context, e *env, specs []serverSpec, res *results, w io.Writer, emit func(any)) error {
	each := func(name string, fn func(run int, s *server) any) error {
		for run := 1; run <= e.runs && ctx.Err() == nil; run++ {
			for _, spec := range specs {
				srv, err := startServer(ctx, spec, "-log-level", "warn")
				if err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				v := fn(run, srv)
				if !srv.alive() {
					fmt.Fprintf(w, "! %s died during %s:\n%s\n", spec.Name, name, srv.logs)
				}
				srv.Stop()
				emit(v)
			}
		}
		return ctx.Err()
	}
	if e.scenarios["fanout"] {
		res.noteLoad("fanout")
		for _, n := range e.fanoutSubs {
			fp := fanoutParams{Subs: n, Channels: min(e.fanoutChans, n), Publishes: max(1, e.fanoutDeliv/n),
				Payload: e.fanoutPayload, Window: e.fanoutWindow, MaxTime: e.fanoutMax, Label: "flat", Batch: e.readerBatch}
			if err := each("fanout", func(run int, s *server) any {
				r := runFanout(ctx, e, s, fp)
				r.Run = run
				res.Fanout = append(res.Fanout, r)
				return r
			}); err != nil {
				return err
			}
		}
	}
	if e.scenarios["latency"] {
		res.noteLoad("latency")
		fp := fanoutParams{Subs: e.latencySubs, Channels: 1, Publishes: e.latencyRate * e.latencySeconds,
			Rate: float64(e.latencyRate), Payload: e.fanoutPayload, Window: e.fanoutWindow,
			MaxTime: time.Duration(e.latencySeconds)*time.Second + 30*time.Second, Label: "rate"}
		if err := each("latency", func(run int, s *server) any {
			r := runFanout(ctx, e, s, fp)
			r.Run = run
			r.Scenario = "latency"
			res.Latency = append(res.Latency, r)
			return r
		}); err != nil {
			return err
		}
	}
	if e.scenarios["connect"] {
		res.noteLoad("connect")
		if err := each("connect", func(run int, s *server) any {
			r := runConnect(ctx, e, s, nil)
			r.Run = run
			res.Connect = append(res.Connect, r)
			return r
		}); err != nil {
			return err
		}
	}
	if e.scenarios["idle"] {
		res.noteLoad("idle")
		if err := each("idle", func(run int, s *server) any {
			r := runIdle(ctx, e, s, nil)
			r.Run = run
			res.Idle = append(res.Idle, r)
			return r
		}); err != nil {
			return err
		}
	}
	if e.scenarios["native"] {
		res.noteLoad("native")
		for run := 1; run <= e.runs && ctx.Err() == nil; run++ {
			r := runNative(ctx, e)
			r.Run = run
			res.Native = append(res.Native, r)
			emit(r)
		}
	}
	if e.profile {
		for _, spec := range specs {
			if spec.Name == "pogo" {
				res.Profile = runProfiles(ctx, e, spec)
			}
		}
	}
	if e.scenarios["cluster"] {
		res.Cluster = runCluster()
		emit(res.Cluster)
	}
	return ctx.Err()
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
