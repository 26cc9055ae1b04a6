package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseOptions(t *testing.T) {
	o, err := parseOptions(nil, io.Discard)
	if err != nil || o.duration != 2*time.Minute || o.steady != 200 || o.presence > o.churn {
		t.Fatalf("defaults: %+v %v", o, err)
	}
	for _, args := range [][]string{{"-duration", "0"}, {"-steady", "0"}, {"-presence", "60", "-churn", "50"}, {"-publish", "0"}, {"-x"}} {
		if _, err := parseOptions(args, io.Discard); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
}

func TestBitset(t *testing.T) {
	var b bitset
	for _, n := range []int64{0, 5, 63, 64, 1000} {
		if b.testAndSet(n) {
			t.Fatalf("bit %d set before", n)
		}
		if !b.testAndSet(n) {
			t.Fatalf("bit %d not set", n)
		}
	}
	if b.testAndSet(999) || b.testAndSet(-1) {
		t.Fatal("unset bits reported as set")
	}
}

func TestJudge(t *testing.T) {
	r := &report{Connects: 1, Published: 1}
	r.Baseline.Goroutines, r.Final.Goroutines = 10, 10+tolGoroutines
	judge(r)
	if !r.Pass {
		t.Fatalf("within tolerance: %v", r.Problems)
	}
	r.Final.Goroutines, r.Final.OpenFDs, r.SteadyMissed = 20, 50, 2
	judge(r)
	if r.Pass || len(r.Problems) < 3 {
		t.Fatalf("leaks not reported: %v", r.Problems)
	}
}

// TestShortSoak runs a 5 s soak against a freshly built pogo-server.
func TestShortSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs pogo-server")
	}
	root, _ := filepath.Abs("../..")
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "pogo-server"), "./go/hub/cmd/pogo-server")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("cannot build pogo-server: %v\n%s", err, out)
	}
	var out bytes.Buffer
	o := options{duration: 5 * time.Second, steady: 10, churn: 5, publish: 20, presence: 2, bin: filepath.Join(dir, "pogo-server"), settle: 20 * time.Second}
	rep, err := run(context.Background(), o, &out)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Pass {
		t.Fatalf("soak failed:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "soak: PASS") {
		t.Fatalf("output:\n%s", out.String())
	}
	_ = os.Remove(filepath.Join(dir, "pogo-server"))
}
