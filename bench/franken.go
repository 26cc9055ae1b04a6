package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// startFrankenProcess runs `frankenphp run` on dir/Caddyfile and waits up
// to 60 s until the PHP page answers.
func startFrankenProcess(ctx context.Context, bin, dir string, port int) (*server, error) {
	cmd := exec.Command(bin, "run", "--config", filepath.Join(dir, "Caddyfile"), "--adapter", "caddyfile")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+dir, "XDG_DATA_HOME="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	s := &server{name: "frankenphp", cmd: cmd, logs: &tailBuffer{max: 8 << 10}, exit: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = s.logs, s.logs
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() { s.exit <- cmd.Wait() }()
	s.addr = fmt.Sprintf("127.0.0.1:%d", port)
	s.url = "http://" + s.addr
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if !s.alive() {
			return nil, fmt.Errorf("frankenphp exited early: %s", startupError(s.logs.String()))
		}
		if resp, err := client.Get(s.url + "/bench.php?k=0"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.Stop()
	return nil, fmt.Errorf("frankenphp did not answer within 60s:\n%s", s.logs)
}

// startupError picks Caddy's "Error: ..." line out of the logs and keeps
// its end, where the cause is; without one it returns the logs' tail.
func startupError(logs string) string {
	msg := logs
	for _, l := range strings.Split(logs, "\n") {
		if strings.HasPrefix(l, "Error:") {
			msg = l
		}
	}
	msg = strings.TrimSpace(msg)
	if len(msg) > 240 {
		msg = "…" + msg[len(msg)-240:]
	}
	return msg
}
