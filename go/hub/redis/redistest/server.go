// Package redistest starts real redis-server processes for tests, on
// loopback ports, without persistence. Tests needing Redis call Start,
// which skips the test when redis-server is not installed.
package redistest

import (
	"bufio"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Binary is the redis-server executable looked up in PATH.
var Binary = "redis-server"

// Server is one redis-server process. Stop and Start may be called to
// simulate an outage; the port stays the same.
type Server struct {
	t    testing.TB
	Port int
	args []string // extra redis-server arguments (cluster mode)
	cmd  *exec.Cmd
	done chan struct{}
}

// Start launches redis-server on a free loopback port and stops it at
// test cleanup. It skips the test when the binary is missing.
func Start(t testing.TB) *Server {
	t.Helper()
	return start(t, freePort(t))
}

// start is Start on a given port with extra redis-server arguments.
func start(t testing.TB, port int, args ...string) *Server {
	t.Helper()
	if _, err := exec.LookPath(Binary); err != nil {
		t.Skipf("redis-server not installed: %v", err)
	}
	s := &Server{t: t, Port: port, args: args}
	s.Start()
	t.Cleanup(s.Stop)
	return s
}

// Addr returns host:port.
func (s *Server) Addr() string { return "127.0.0.1:" + strconv.Itoa(s.Port) }

// Start (re)starts the process on s.Port and waits until it answers.
func (s *Server) Start() {
	s.t.Helper()
	args := append([]string{"--port", strconv.Itoa(s.Port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--protected-mode", "no"}, s.args...)
	s.cmd = exec.Command(Binary, args...)
	dieWithParent(s.cmd)
	stdout, _ := s.cmd.StdoutPipe()
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("redis-server: %v", err)
	}
	s.done = make(chan struct{})
	go func(done chan struct{}, cmd *exec.Cmd) {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
		}
		_ = cmd.Wait()
		close(done)
	}(s.done, s.cmd)
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if ping(s.Addr()) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatalf("redis-server on %s did not answer", s.Addr())
}

// Stop kills the process (an abrupt outage) and waits for it. Idempotent.
func (s *Server) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	<-s.done
	s.cmd = nil
}

// ping sends PING over a raw connection and reports a PONG.
func ping(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := fmt.Fprint(c, "PING\r\n"); err != nil {
		return false
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && strings.HasPrefix(line, "+PONG")
}

// freePort asks the kernel for a free loopback port.
func freePort(t testing.TB) int {
	t.Helper()
	return freePorts(t, 1)[0]
}

// freePorts returns n distinct free loopback ports (all held until every
// one is chosen, so none is handed out twice).
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	out := make([]int, n)
	for i := range out {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		out[i] = l.Addr().(*net.TCPAddr).Port
	}
	return out
}
