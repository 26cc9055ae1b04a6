package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// runHold is the "hold" subcommand, a helper process of the idle
// scenario: it opens -n subscribed connections, prints
// "HELD <ok> <failed> <first error>", keeps them (answering pings) until
// its stdin closes, then closes them. Several holders get past the
// per-process file descriptor limit.
func runHold(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("hold", flag.ContinueOnError)
	addr := fs.String("addr", "", "server host:port")
	key := fs.String("key", benchApp.Key, "app key")
	n := fs.Int("n", 1000, "connections")
	channels := fs.Int("channels", 100, "channels (connection i subscribes to channel i % channels)")
	offset := fs.Int("offset", 0, "first connection number (spreads source addresses)")
	sources := fs.Int("sources", 16, "127.0.0.x source addresses")
	conc := fs.Int("conc", 64, "concurrent handshakes")
	timeout := fs.Duration("timeout", 120*time.Second, "bound of the connecting phase")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *addr == "" || *n < 1 || *channels < 1 {
		return fmt.Errorf("%w: hold needs -addr, -n >= 1 and -channels >= 1", errUsage)
	}
	if _, err := raiseFDLimit(); err != nil {
		return err
	}
	p, err := newPool(1, time.Now(), 0)
	if err != nil {
		return err
	}
	defer p.Close()
	d := newDialer(*addr, *key, *sources)
	d.offset = *offset
	cctx, cancel := context.WithTimeout(ctx, *timeout)
	r := connectAll(cctx, d, p, *n, *channels, *conc, 10*time.Second)
	cancel()
	first := ""
	if r.firstErr != nil {
		first = strings.ReplaceAll(r.firstErr.Error(), "\n", " ")
	}
	fmt.Fprintf(stdout, "HELD %d %d %s\n", r.ok, r.failed, first)
	done := make(chan struct{})
	go func() { _, _ = io.Copy(io.Discard, stdin); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
	return nil
}

// holder is a running hold process.
type holder struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines *bufio.Scanner
}

// startHolder starts "bench hold" for n connections from offset.
func startHolder(e *env, addr string, n, offset int) (*holder, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "hold", "-addr", addr, "-n", fmt.Sprint(n), "-offset", fmt.Sprint(offset),
		"-sources", fmt.Sprint(e.sources), "-conc", fmt.Sprint(e.connectConc), "-timeout", e.connectMax.String())
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start holder: %w", err)
	}
	return &holder{cmd: cmd, stdin: in, lines: bufio.NewScanner(out)}, nil
}

// wait reads the HELD line: connections held, failed, first error.
func (h *holder) wait() (ok, failed int, msg string, err error) {
	if !h.lines.Scan() {
		return 0, 0, "", fmt.Errorf("holder exited without reporting")
	}
	line := h.lines.Text()
	var rest string
	if _, err := fmt.Sscanf(line, "HELD %d %d", &ok, &failed); err != nil {
		return 0, 0, "", fmt.Errorf("holder said %q", line)
	}
	if f := strings.SplitN(line, " ", 4); len(f) == 4 {
		rest = f[3]
	}
	return ok, failed, rest, nil
}

// stop closes the holder's stdin and waits for it (killing it after 30 s).
func (h *holder) stop() {
	_ = h.stdin.Close()
	done := make(chan struct{})
	go func() { _ = h.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = h.cmd.Process.Kill()
		<-done
	}
}
