package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/y-l-g/websocket/bench/sign"
)

var errUsage = errors.New("usage")

// benchApp is the app every server under test is started with.
var benchApp = sign.App{ID: "bench", Key: "bench-key", Secret: "bench-secret"}

// env is the parsed command line: what to run and how hard.
type env struct {
	scenarios map[string]bool
	servers   []string
	pogoPath  string
	franken   string
	runs      int
	out       string
	cpuProf   string
	profile   bool

	fanoutSubs    []int
	fanoutChans   int
	fanoutDeliv   int
	fanoutPayload int
	fanoutWindow  int
	fanoutMax     time.Duration

	latencySubs, latencyRate int
	latencySeconds           int

	connectN, connectConc int
	connectMax            time.Duration

	idleN, idlePerProc int
	idleHold           time.Duration

	nativeK int

	clusterNodes int
	clusterSubs  []int

	readers, sources, pubConns int
	readerBatch                time.Duration
	drainIdle                  time.Duration
}

// allScenarios in the order they run.
var allScenarios = []string{"fanout", "latency", "connect", "idle", "native", "cluster"}

// parseEnv parses the bench flags; errors wrap errUsage.
func parseEnv(args []string, stderr io.Writer) (*env, error) {
	e := &env{}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scn := fs.String("scenarios", strings.Join(allScenarios, ","), "comma-separated scenarios to run")
	srv := fs.String("servers", "pogo,naive", "servers to compare: pogo (bin/pogo-server), naive, frankenphp (bin/frankenphp with the module)")
	fs.StringVar(&e.pogoPath, "pogo", "bin/pogo-server", "pogo-server binary (built with go build when missing)")
	fs.StringVar(&e.franken, "frankenphp", "bin/frankenphp", "FrankenPHP binary with the module and extension (native scenario)")
	fs.IntVar(&e.runs, "runs", 3, "runs per measurement; tables show the median")
	fs.StringVar(&e.out, "out", "", "write a Markdown report here (and an SVG plot next to it)")
	fs.StringVar(&e.cpuProf, "cpuprofile", "", "write the load tool's own CPU profile here")
	fs.BoolVar(&e.profile, "profile", true, "after the measured runs, profile pogo (fanout CPU, idle heap) through its -debug-addr and report the top lines")
	subs := fs.String("fanout-subs", "100,1000,10000", "fanout subscriber counts")
	fs.IntVar(&e.fanoutChans, "fanout-channels", 1, "fanout channels (subscribers spread evenly)")
	fs.IntVar(&e.fanoutDeliv, "fanout-deliveries", 1_000_000, "fanout: deliveries per run (publishes = this / subscribers)")
	fs.IntVar(&e.fanoutPayload, "payload", 100, "data size of each event in bytes")
	fs.IntVar(&e.fanoutWindow, "fanout-window", 16, "fanout flat out: publishes in flight per channel (0 = no limit: publish as fast as the server answers)")
	fs.DurationVar(&e.fanoutMax, "fanout-max", 60*time.Second, "bound of one publishing phase")
	fs.IntVar(&e.latencySubs, "latency-subs", 1000, "latency: subscribers")
	fs.IntVar(&e.latencyRate, "latency-rate", 100, "latency: publishes per second")
	fs.IntVar(&e.latencySeconds, "latency-seconds", 5, "latency: seconds of publishing")
	fs.IntVar(&e.connectN, "connect-n", 10000, "connect: handshakes per run")
	fs.IntVar(&e.connectConc, "connect-conc", 64, "concurrent handshakes (every scenario)")
	fs.DurationVar(&e.connectMax, "connect-max", 120*time.Second, "bound of one connecting phase")
	fs.IntVar(&e.idleN, "idle-n", 10000, "idle: subscribed connections held")
	fs.IntVar(&e.idlePerProc, "idle-per-proc", 15000, "idle: connections per holder process (fd limit)")
	fs.DurationVar(&e.idleHold, "idle-hold", 10*time.Second, "idle: how long the connections are held")
	fs.IntVar(&e.nativeK, "native-k", 20000, "native: publishes per path")
	fs.IntVar(&e.clusterNodes, "cluster-nodes", 2, "cluster: bin/frankenphp nodes sharing one redis-server")
	csubs := fs.String("cluster-subs", "1000,10000", "cluster: subscriber counts, each spread over the nodes")
	fs.IntVar(&e.readers, "readers", 2, "epoll reader goroutines")
	fs.IntVar(&e.sources, "sources", 16, "127.0.0.x source addresses to dial from")
	fs.IntVar(&e.pubConns, "pub-conns", 4, "publisher HTTP connections (and publishing workers)")
	fs.DurationVar(&e.readerBatch, "reader-batch", time.Millisecond, "flat-out fanout and native: reader pause letting reads gather frames (0 = none)")
	fs.DurationVar(&e.drainIdle, "drain-idle", 3*time.Second, "stop waiting for deliveries after this long without one")
	if err := fs.Parse(args); err != nil {
		return nil, fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	if err := e.finish(*scn, *srv, *subs); err != nil {
		return e, err
	}
	cs, err := counts("-cluster-subs", *csubs)
	e.clusterSubs = cs
	return e, err
}

// counts parses a comma-separated list of positive counts.
func counts(flag, list string) ([]int, error) {
	var out []int
	for _, s := range splitList(list) {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%w: %s: bad count %q", errUsage, flag, s)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: %s: no count", errUsage, flag)
	}
	return out, nil
}

// finish validates the flags and fills the derived fields.
func (e *env) finish(scn, srv, subs string) error {
	e.scenarios = map[string]bool{}
	for _, s := range splitList(scn) {
		if !contains(allScenarios, s) {
			return fmt.Errorf("%w: unknown scenario %q (have %s)", errUsage, s, strings.Join(allScenarios, ", "))
		}
		e.scenarios[s] = true
	}
	for _, s := range splitList(srv) {
		if s != "pogo" && s != "naive" && s != "frankenphp" {
			return fmt.Errorf("%w: unknown server %q (pogo, naive, frankenphp)", errUsage, s)
		}
		e.servers = append(e.servers, s)
	}
	fs, err := counts("-fanout-subs", subs)
	if err != nil {
		return err
	}
	e.fanoutSubs = fs
	positive := map[string]int{
		"-runs": e.runs, "-fanout-channels": e.fanoutChans, "-fanout-deliveries": e.fanoutDeliv,
		"-latency-subs": e.latencySubs, "-latency-rate": e.latencyRate,
		"-latency-seconds": e.latencySeconds, "-connect-n": e.connectN, "-connect-conc": e.connectConc,
		"-idle-n": e.idleN, "-idle-per-proc": e.idlePerProc, "-native-k": e.nativeK,
		"-cluster-nodes": e.clusterNodes, "-readers": e.readers, "-sources": e.sources, "-pub-conns": e.pubConns,
	}
	for name, v := range positive {
		if v < 1 {
			return fmt.Errorf("%w: %s must be at least 1", errUsage, name)
		}
	}
	if e.fanoutWindow < 0 {
		return fmt.Errorf("%w: -fanout-window must not be negative", errUsage)
	}
	if e.fanoutPayload < 0 || e.fanoutPayload > 10_000 {
		return fmt.Errorf("%w: -payload must be within 0..10000 bytes (Pusher's 10 KB limit)", errUsage)
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
