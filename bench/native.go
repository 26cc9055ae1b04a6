package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// nativeOut compares the two ways PHP code can publish through the same
// bin/frankenphp: the native pogo_websocket_publish() call, and a signed
// HTTP API request (what a publisher outside the process does). Each path
// publishes K events to its own channel, which has one subscriber.
type nativeOut struct {
	Scenario       string         `json:"scenario"`
	Run            int            `json:"run"`
	K              int            `json:"k"`
	NativeStatuses map[string]int `json:"native_statuses"`
	NativeWallNs   float64        `json:"native_php_ns_per_call"`
	NativeCPUNs    float64        `json:"native_server_cpu_ns_per_publish"`
	NativeReceived int64          `json:"native_received"`
	HTTPOK         int64          `json:"http_ok"`
	HTTPWallNs     float64        `json:"http_roundtrip_ns_per_publish"`
	HTTPCPUNs      float64        `json:"http_server_cpu_ns_per_publish"`
	HTTPReceived   int64          `json:"http_received"`
	WallRatio      float64        `json:"wall_ratio"`
	CPURatio       float64        `json:"server_cpu_ratio"`
	Error          string         `json:"error,omitempty"`
}

// nativeScript is the PHP page that loops pogo_websocket_publish.
const nativeScript = `<?php
// Load tool page: publishes k events natively and reports the PHP-side time.
header('Content-Type: application/json');
if (!function_exists('pogo_websocket_publish')) {
    echo json_encode(['error' => 'pogo_websocket_publish() is not defined in this build']);
    return;
}
$k = (int) ($_GET['k'] ?? 0);
$ch = (string) ($_GET['ch'] ?? 'native-0');
$pad = str_repeat('x', (int) ($_GET['pad'] ?? 0));
$statuses = [];
$t0 = hrtime(true);
for ($i = 1; $i <= $k; $i++) {
    $s = pogo_websocket_publish('bench', $ch, 'bench', '{"seq":' . $i . ',"ts":0,"pad":"' . $pad . '"}');
    $statuses[$s] = ($statuses[$s] ?? 0) + 1;
}
$elapsed = hrtime(true) - $t0;
echo json_encode(['k' => $k, 'elapsed_ns' => $elapsed, 'statuses' => (object) $statuses]);
`

// nativeCaddyfile configures bin/frankenphp for the scenario.
const nativeCaddyfile = `{
	admin off
	default_bind 127.0.0.1
	auto_https off
	frankenphp {
		num_threads 2
	}
	order pogo_websocket before php_server
}

http://127.0.0.1:{PORT} {
	pogo_websocket {
		app_id bench
		app_key bench-key
		app_secret bench-secret
		shard_queue_size 65536
		handshake_rate off
		max_connections off
		{EXTRA}
	}
	php_server {
		root {ROOT}
	}
}
`

// nativeReply is the PHP page's JSON answer.
type nativeReply struct {
	K         int            `json:"k"`
	ElapsedNs float64        `json:"elapsed_ns"`
	Statuses  map[string]int `json:"statuses"`
	Error     string         `json:"error"`
}

// runNative starts bin/frankenphp with the page and measures both paths.
func runNative(ctx context.Context, e *env) nativeOut {
	out := nativeOut{Scenario: "native", K: e.nativeK}
	srv, dir, err := startFranken(ctx, e.franken, "")
	if err != nil {
		out.Error = err.Error()
		return out
	}
	srv.dir = dir
	defer srv.Stop()
	if err := measureNative(ctx, e, srv, &out); err != nil {
		out.Error = err.Error()
		if !srv.alive() {
			out.Error += "\n" + srv.logs.String()
		}
	}
	return out
}

// measureNative runs the native path, then the HTTP path.
func measureNative(ctx context.Context, e *env, srv *server, out *nativeOut) error {
	epoch := time.Now()
	p, err := newPool(1, epoch, e.readerBatch)
	if err != nil {
		return err
	}
	defer p.Close()
	defer func() {
		p.Stop()
		for _, s := range p.subs() {
			n := s.track.received - s.track.dup
			if s.ch == 0 {
				out.NativeReceived = n
			} else {
				out.HTTPReceived = n
			}
		}
	}()
	d := newDialer(srv.addr, benchApp.Key, 1)
	for i, ch := range []string{"native-0", "native-1"} {
		w, err := d.connect(ctx, i, []string{ch}, 10*time.Second)
		if err != nil {
			return fmt.Errorf("subscriber: %w", err)
		}
		if err := p.readers[0].add(w, i); err != nil {
			return err
		}
	}
	pub := newPublisher(srv.url, benchApp, epoch, e.fanoutPayload, 1)
	defer pub.close()
	padLen := len(pub.pad)

	cpu0 := sampleCPU(srv.pid())
	reply, err := callNativePage(ctx, srv.url, e.nativeK, padLen)
	if err != nil {
		return err
	}
	cpu1 := sampleCPU(srv.pid())
	out.NativeStatuses = reply.Statuses
	out.NativeWallNs = reply.ElapsedNs / float64(e.nativeK)
	out.NativeCPUNs = float64(cpu1.since(cpu0).Nanoseconds()) / float64(e.nativeK)
	accepted := int64(reply.Statuses["0"])
	drain(p, accepted, e.drainIdle)

	if err := measureHTTP(ctx, e, srv, pub, out); err != nil {
		return err
	}
	drain(p, accepted+out.HTTPOK, e.drainIdle)
	if out.NativeWallNs > 0 {
		out.WallRatio = out.HTTPWallNs / out.NativeWallNs
	}
	if out.NativeCPUNs > 0 {
		out.CPURatio = out.HTTPCPUNs / out.NativeCPUNs
	}
	return nil
}

// measureHTTP sends K signed HTTP API publishes one after another.
func measureHTTP(ctx context.Context, e *env, srv *server, pub *publisher, out *nativeOut) error {
	cpu0 := sampleCPU(srv.pid())
	t0 := time.Now()
	for i := 1; i <= e.nativeK && ctx.Err() == nil; i++ {
		if err := pub.publish(ctx, "native-1", int64(i)); err != nil {
			return fmt.Errorf("HTTP API publish %d: %w", i, err)
		}
		out.HTTPOK++
	}
	wall := time.Since(t0)
	cpu1 := sampleCPU(srv.pid())
	out.HTTPWallNs = float64(wall.Nanoseconds()) / float64(e.nativeK)
	out.HTTPCPUNs = float64(cpu1.since(cpu0).Nanoseconds()) / float64(e.nativeK)
	return nil
}

// callNativePage runs the PHP loop once.
func callNativePage(ctx context.Context, base string, k, pad int) (*nativeReply, error) {
	url := fmt.Sprintf("%s/bench.php?k=%d&ch=native-0&pad=%d", base, k, pad)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := (&http.Client{Timeout: 120 * time.Second}).Do(req)
	if err != nil {
		return nil, fmt.Errorf("native page: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var r nativeReply
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("native page: HTTP %d: %.300s", resp.StatusCode, body)
	}
	if r.Error != "" {
		return nil, fmt.Errorf("native page: %s", r.Error)
	}
	return &r, nil
}

// startFranken writes the page and Caddyfile into a temporary directory
// and starts bin/frankenphp on a free loopback port; extra is added
// verbatim inside the pogo_websocket block. The caller removes the
// returned directory after stopping the server.
func startFranken(ctx context.Context, path, extra string) (*server, string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, "", err
	}
	if _, err := os.Stat(abs); err != nil {
		return nil, "", fmt.Errorf("%s is missing (build it with `go tool mage ext:build`): %w", path, err)
	}
	dir, err := os.MkdirTemp("", "pogo-bench-native-")
	if err != nil {
		return nil, "", err
	}
	port, err := freePort()
	if err == nil {
		err = writeNativeFiles(dir, port, extra)
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, "", err
	}
	srv, err := startFrankenProcess(ctx, abs, dir, port)
	if err != nil {
		os.RemoveAll(dir)
		return nil, "", err
	}
	return srv, dir, nil
}

// writeNativeFiles writes public/bench.php and the Caddyfile.
func writeNativeFiles(dir string, port int, extra string) error {
	pub := filepath.Join(dir, "public")
	if err := os.MkdirAll(pub, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(pub, "bench.php"), []byte(nativeScript), 0o644); err != nil {
		return err
	}
	cf := strings.NewReplacer("{PORT}", fmt.Sprint(port), "{ROOT}", pub, "{EXTRA}", extra).Replace(nativeCaddyfile)
	return os.WriteFile(filepath.Join(dir, "Caddyfile"), []byte(cf), 0o644)
}

// freePort returns a currently free loopback port.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
