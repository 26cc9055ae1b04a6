package main

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The app the soak starts pogo-server with.
const (
	appID     = "soak"
	appKey    = "soak-key"
	appSecret = "soak-secret-0123456789"
)

// server is a running pogo-server.
type server struct {
	cmd      *exec.Cmd
	addr     string // host:port of the public listener
	debugURL string
	http     *http.Client
	exited   chan struct{}
}

// stats is the part of /debug/stats the soak reads.
type stats struct {
	Goroutines int   `json:"goroutines"`
	HeapAlloc  int64 `json:"heap_alloc_bytes"`
	HeapInuse  int64 `json:"heap_inuse_bytes"`
	RSS        int64 `json:"rss_bytes"`
	OpenFDs    int   `json:"open_fds"`
	Hub        struct {
		Open   int64            `json:"open"`
		Opened int64            `json:"opened"`
		Sent   int64            `json:"sent"`
		Closes map[string]int64 `json:"closes"`
		Drops  map[string]int64 `json:"drops"`
	} `json:"hub"`
}

// buildServer builds pogo-server into dir and returns its path.
func buildServer(ctx context.Context, dir string) (string, error) {
	out := filepath.Join(dir, "pogo-server")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "./go/hub/cmd/pogo-server")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build pogo-server (run from the repository root): %w", err)
	}
	return out, nil
}

// startServer runs bin on free loopback ports and waits for its two address lines.
func startServer(bin string) (*server, error) {
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-debug-addr", "127.0.0.1:0",
		"-app-id", appID, "-app-key", appKey, "-app-secret", appSecret, "-log-level", "error")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s := &server{cmd: cmd, http: &http.Client{Timeout: 10 * time.Second}, exited: make(chan struct{})}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	go func() { _ = cmd.Wait(); close(s.exited) }()
	timeout := time.After(30 * time.Second)
	for s.addr == "" || s.debugURL == "" {
		select {
		case l, ok := <-lines:
			if !ok {
				return nil, fmt.Errorf("pogo-server exited before listening")
			}
			if v, ok := strings.CutPrefix(l, "POGO_LISTENING http://"); ok {
				s.addr = v
			}
			if v, ok := strings.CutPrefix(l, "POGO_DEBUG "); ok {
				s.debugURL = v
			}
		case <-timeout:
			_ = cmd.Process.Kill()
			return nil, fmt.Errorf("pogo-server did not print its addresses within 30s")
		}
	}
	go func() {
		for range lines { // keep draining stdout
		}
	}()
	return s, nil
}

// stop sends SIGTERM and waits (SIGKILL after 20 s).
func (s *server) stop() {
	_ = s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// stats reads /debug/stats, after a GC when gc is set.
func (s *server) stats(gc bool) (stats, error) {
	var st stats
	s.http.CloseIdleConnections() // our own keep-alive connections must not count as leaks
	u := s.debugURL + "/debug/stats"
	if gc {
		u += "?gc=1"
	}
	resp, err := s.http.Get(u)
	if err != nil {
		return st, fmt.Errorf("debug stats: %w", err)
	}
	defer resp.Body.Close()
	return st, json.NewDecoder(resp.Body).Decode(&st)
}

// publish sends one signed POST /apps/{id}/events and returns the status.
func (s *server) publish(ctx context.Context, channel, event, data string) (int, error) {
	body, _ := json.Marshal(map[string]string{"name": event, "channel": channel, "data": data})
	path := "/apps/" + appID + "/events"
	params := map[string]string{
		"auth_key": appKey, "auth_timestamp": strconv.FormatInt(time.Now().Unix(), 10), "auth_version": "1.0",
		"body_md5": md5hex(body),
	}
	params["auth_signature"] = signAPI("POST", path, params)
	q := url.Values{}
	for k, v := range params {
		q.Set(k, v)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+s.addr+path+"?"+q.Encode(), strings.NewReader(string(body)))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.http.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}

func md5hex(b []byte) string {
	sum := md5.Sum(b)
	return hex.EncodeToString(sum[:])
}

// signAPI is the Pusher HTTP API signature (shared/PROTOCOL.md §A.11).
func signAPI(method, path string, params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + params[k]
	}
	return hmacHex(method + "\n" + path + "\n" + strings.Join(parts, "&"))
}

func hmacHex(msg string) string {
	m := hmac.New(sha256.New, []byte(appSecret))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}
