package redistest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// Sentinel is a redis-server process in sentinel mode monitoring one
// master under the name MasterName.
type Sentinel struct {
	Port       int
	MasterName string
	cmd        *exec.Cmd
	done       chan struct{}
}

// StartSentinel starts a sentinel (quorum 1) watching master and stops it
// at test cleanup. It skips the test when redis-server is not installed.
func StartSentinel(t testing.TB, master *Server) *Sentinel {
	t.Helper()
	if _, err := exec.LookPath(Binary); err != nil {
		t.Skipf("redis-server not installed: %v", err)
	}
	s := &Sentinel{Port: freePort(t), MasterName: "pogomaster", done: make(chan struct{})}
	conf := filepath.Join(t.TempDir(), "sentinel.conf")
	body := fmt.Sprintf("port %d\nbind 127.0.0.1\nsentinel monitor %s 127.0.0.1 %d 1\n", s.Port, s.MasterName, master.Port)
	if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	s.cmd = exec.Command(Binary, conf, "--sentinel")
	dieWithParent(s.cmd)
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("redis sentinel: %v", err)
	}
	go func() { _ = s.cmd.Wait(); close(s.done) }()
	t.Cleanup(func() { _ = s.cmd.Process.Kill(); <-s.done })
	deadline := time.Now().Add(15 * time.Second)
	for !ping(s.Addr()) {
		if time.Now().After(deadline) {
			t.Fatalf("sentinel on %s did not answer", s.Addr())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return s
}

// Addr returns the sentinel's host:port.
func (s *Sentinel) Addr() string { return "127.0.0.1:" + strconv.Itoa(s.Port) }
