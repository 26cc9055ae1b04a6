package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

var errNotReady = errors.New("server did not print POGO_LISTENING")

// serverSpec says how to start one server under test.
type serverSpec struct {
	Name    string   // "pogo", "naive" or "frankenphp"
	Path    string   // executable
	Args    []string // arguments before the common flags
	Franken bool     // a bin/frankenphp with the pogo_websocket module (see startFranken)
}

// start starts one server of spec with the common settings.
func (spec serverSpec) start(ctx context.Context) (*server, error) {
	if spec.Franken {
		s, dir, err := startFranken(ctx, spec.Path, "")
		if err != nil {
			return nil, err
		}
		s.dir = dir
		return s, nil
	}
	return startServer(ctx, spec, "-log-level", "warn")
}

// server is a running server process.
type server struct {
	name  string
	cmd   *exec.Cmd
	url   string // http://host:port
	addr  string // host:port
	debug string // http://host:port of pogo-server's -debug-addr listener, if any
	dir   string // temporary directory to remove after Stop, if any
	logs  *tailBuffer
	exit  chan error
}

// startServer runs spec with the common flags (-addr 127.0.0.1:0, the
// bench app, no connection limit) and waits up to 30 s for its ready line.
func startServer(ctx context.Context, spec serverSpec, extra ...string) (*server, error) {
	args := append(append([]string{}, spec.Args...),
		"-addr", "127.0.0.1:0", "-app-id", benchApp.ID, "-app-key", benchApp.Key,
		"-app-secret", benchApp.Secret, "-max-connections", "0")
	args = append(args, extra...)
	cmd := exec.Command(spec.Path, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	s := &server{name: spec.Name, cmd: cmd, logs: &tailBuffer{max: 8 << 10}, exit: make(chan error, 1)}
	cmd.Stderr = s.logs
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s (%s): %w", spec.Name, spec.Path, err)
	}
	ready := make(chan string, 1)
	debug := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "POGO_LISTENING "); ok {
				ready <- u
			}
			if u, ok := strings.CutPrefix(sc.Text(), "POGO_DEBUG "); ok {
				debug <- strings.TrimSpace(u)
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	go func() { s.exit <- cmd.Wait() }()
	select {
	case u := <-ready:
		s.url = strings.TrimSpace(u)
		s.addr = strings.TrimPrefix(s.url, "http://")
		select {
		case s.debug = <-debug: // printed before the ready line
		default:
		}
		return s, nil
	case err := <-s.exit:
		return nil, fmt.Errorf("%s exited before ready (%v): %w\n%s", spec.Name, err, errNotReady, s.logs)
	case <-time.After(30 * time.Second):
	case <-ctx.Done():
	}
	s.Stop()
	return nil, fmt.Errorf("%s: %w within 30s\n%s", spec.Name, errNotReady, s.logs)
}

// pid is the server's process id.
func (s *server) pid() int { return s.cmd.Process.Pid }

// alive reports whether the process still runs.
func (s *server) alive() bool {
	select {
	case err := <-s.exit:
		s.exit <- err
		return false
	default:
		return true
	}
}

// Stop sends SIGTERM, waits up to 15 s, then kills the process, and
// removes s.dir if set.
func (s *server) Stop() {
	if s == nil || s.cmd.Process == nil {
		return
	}
	if s.dir != "" {
		defer os.RemoveAll(s.dir)
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.exit:
		s.exit <- err
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		s.exit <- <-s.exit
	}
}

// tailBuffer keeps the last max bytes written to it (a server's stderr).
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append(t.b[:0], t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
