package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestSubcommandsRejectBadFlags(t *testing.T) {
	ctx := context.Background()
	if err := runNaive(ctx, []string{"-app-id", "a"}, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "-app-secret") {
		t.Fatalf("naive-server without secret: %v", err)
	}
	if err := runNaive(ctx, []string{"-app-secret", "s", "-max-connections", "-1"}, io.Discard, io.Discard); err == nil {
		t.Fatal("naive-server accepted a negative connection limit")
	}
	if err := runHold(ctx, []string{"-n", "10"}, strings.NewReader(""), io.Discard); !errors.Is(err, errUsage) {
		t.Fatalf("hold without -addr: %v", err)
	}
	if err := runBench(ctx, []string{"-runs", "0"}, io.Discard, io.Discard); !errors.Is(err, errUsage) {
		t.Fatalf("bench -runs 0: %v", err)
	}
}

func TestHoldKeepsConnectionsUntilStdinCloses(t *testing.T) {
	ts := startNaive(t)
	var out strings.Builder
	err := runHold(context.Background(), []string{"-addr", strings.TrimPrefix(ts.URL, "http://"), "-n", "5", "-channels", "2"}, strings.NewReader(""), &out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "HELD 5 0") {
		t.Fatalf("holder said %q", out.String())
	}
}
