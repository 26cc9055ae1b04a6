package main

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func TestParseEnvDefaultsAndLists(t *testing.T) {
	e, err := parseEnv([]string{"-scenarios", "fanout, idle", "-fanout-subs", "10,20", "-servers", "naive"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !e.scenarios["fanout"] || !e.scenarios["idle"] || e.scenarios["connect"] {
		t.Fatalf("scenarios %v", e.scenarios)
	}
	if len(e.fanoutSubs) != 2 || e.fanoutSubs[1] != 20 || len(e.servers) != 1 || e.servers[0] != "naive" {
		t.Fatalf("subs %v servers %v", e.fanoutSubs, e.servers)
	}
	if len(e.clusterSubs) != 2 || e.clusterSubs[0] != 1000 || e.clusterSubs[1] != 10000 {
		t.Fatalf("cluster subs default %v", e.clusterSubs)
	}
	if e.runs != 3 || e.fanoutWindow != 16 || e.nativeK != 20000 {
		t.Fatalf("defaults: runs %d window %d k %d", e.runs, e.fanoutWindow, e.nativeK)
	}
}

func TestParseEnvRejectsBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"-scenarios", "fanout,warp"},
		{"-servers", "reverb"},
		{"-fanout-subs", "10,x"},
		{"-cluster-subs", "0"},
		{"-cluster-subs", ""},
		{"-runs", "0"},
		{"-payload", "20000"},
		{"-fanout-window", "-1"},
		{"stray"},
	} {
		_, err := parseEnv(args, io.Discard)
		if !errors.Is(err, errUsage) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}

func TestTablesAndPlotRender(t *testing.T) {
	rs := []fanoutResult{
		{Run: 1, Server: "pogo", Subs: 100, PerSec: 2e5, ServerCPUPerDel: 900, P99us: 1500, Deliveries: 10, ToolCPU: 1e-6},
		{Run: 1, Server: "naive", Subs: 100, PerSec: 1e5, ServerCPUPerDel: 2000, P99us: 900, Deliveries: 10},
		{Run: 1, Server: "pogo", Subs: 1000, PerSec: 3e5, ServerCPUPerDel: 800, P99us: 4000, Error: "boom\nline"},
	}
	tb := fanoutTable("fanout", rs)
	var md strings.Builder
	tb.markdown(&md)
	for _, want := range []string{"| 100 | pogo | 1 | 200000 | 900 ns | 100 ns |", "deliveries/s 2.00x", "pogo at 1000: boom line"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	svg := plotSVG(rs)
	if !strings.HasPrefix(svg, "<svg") || strings.Count(svg, "<polyline") != 6 || !strings.Contains(svg, "naive") {
		t.Fatalf("plot:\n%s", svg)
	}
	if !strings.Contains(plotSVG(nil), "no data") {
		t.Fatal("an empty plot says so")
	}
}

func TestTargetsTableMarksMissingMeasurements(t *testing.T) {
	tb := targetsTable(&results{})
	var sb strings.Builder
	tb.text(&sb)
	if strings.Count(sb.String(), "not measured") != len(tb.rows) {
		t.Fatalf("every target is unmeasured without results:\n%s", sb.String())
	}
}

func TestClusterTableAndStartupError(t *testing.T) {
	e, err := parseEnv(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	clusterTable(e, &clusterOut{Reason: "not available: no Redis"}).markdown(&sb)
	if !strings.Contains(sb.String(), "not available: no Redis") {
		t.Fatalf("reason missing:\n%s", sb.String())
	}
	sb.Reset()
	runs := []clusterRun{
		{Run: 1, Subs: 1000, SinglePerSec: 100, ClusterPerSec: 70, Ratio: 0.7},
		{Run: 1, Subs: 10000, SinglePerSec: 200, ClusterPerSec: 100, Ratio: 0.5},
	}
	clusterTable(e, &clusterOut{Available: true, Runs: runs}).markdown(&sb)
	if !strings.Contains(sb.String(), "| 1000 | 1 | 100 | 70 | 70% |") || !strings.Contains(sb.String(), "| 10000 | 1 | 200 | 100 | 50% |") {
		t.Fatalf("rows missing:\n%s", sb.String())
	}
	sb.Reset()
	targetsTable(&results{Cluster: &clusterOut{Runs: runs}}).markdown(&sb)
	if !strings.Contains(sb.String(), "| cluster throughput vs single node, 1000 subscribers | >= 60% | 70% | yes |") ||
		!strings.Contains(sb.String(), "| cluster throughput vs single node, 10000 subscribers | >= 60% | 50% | **no** |") {
		t.Fatalf("targets:\n%s", sb.String())
	}
	logs := "{\"level\":\"info\"}\nError: loading config: redis_host \"x\": the Redis broker is not available in this build\n"
	if got := startupError(logs); !strings.HasPrefix(got, "Error:") || !strings.HasSuffix(got, "in this build") {
		t.Fatalf("startupError = %q", got)
	}
}
