// Package scripts holds the tests of the project's shell scripts. The
// tests run scripts/setup.sh in conditions that must fail and check that it
// stops at once with a message naming the missing piece, without touching
// the machine (no apt, no build, no sources file change).
package scripts

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// run runs script with env (PATH and HOME default to the test's) as the
// given user (nil: the test's) and returns its exit code and stderr.
func run(t *testing.T, script string, env []string, cred *syscall.Credential) (int, string) {
	t.Helper()
	cmd := exec.Command("bash", script)
	cmd.Env = append([]string{"HOME=" + filepath.Dir(script), "PATH=" + os.Getenv("PATH")}, env...) // later entries win
	cmd.Dir = filepath.Dir(script)
	if cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, stderr.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), stderr.String()
	default:
		t.Fatalf("running %s: %v", script, err)
		return -1, ""
	}
}

// expectFailure checks exit code 1 and the "setup: FAILED: <want>" line.
func expectFailure(t *testing.T, code int, stderr, want string) {
	t.Helper()
	if code != 1 || !strings.Contains(stderr, "setup: FAILED: "+want) {
		t.Fatalf("exit %d, stderr %q; want exit 1 and %q", code, stderr, "setup: FAILED: "+want)
	}
}

func setupScript(t *testing.T) string {
	t.Helper()
	abs, err := filepath.Abs("setup.sh")
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// An unusable cache directory stops setup before any download or build.
func TestSetupFailsOnUnusableCache(t *testing.T) {
	code, stderr := run(t, setupScript(t), []string{"POGO_SKIP_APT=1", "POGO_CACHE=/proc/pogo-websocket-cache"}, nil)
	expectFailure(t, code, stderr, "cannot create cache directory /proc/pogo-websocket-cache")
}

// A failing apt-get (stand-ins: apt-get fails as without network, and
// dpkg-query reports every package missing) names apt and the mirror.
func TestSetupFailsWhenAptFails(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root (setup.sh would look for sudo first)")
	}
	shims := t.TempDir()
	for name, body := range map[string]string{
		"apt-get":    "#!/bin/sh\necho 'E: network unreachable' >&2\nexit 100\n",
		"dpkg-query": "#!/bin/sh\nexit 1\n",
		"python3":    "#!/bin/sh\nexit 99\n", // must not be reached: the sources file stays untouched
	} {
		if err := os.WriteFile(filepath.Join(shims, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	env := []string{"PATH=" + shims + ":" + os.Getenv("PATH"), "POGO_CACHE=" + t.TempDir()}
	code, stderr := run(t, setupScript(t), env, nil)
	expectFailure(t, code, stderr, "apt-get update failed: is deb.debian.org reachable?")
}

// Without root and without sudo, setup says so before doing anything.
func TestSetupFailsWithoutRootOrSudo(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to run the script as another user")
	}
	if _, err := exec.LookPath("sudo"); err == nil {
		t.Skip("sudo is installed: the script would use it")
	}
	// A world-readable copy in a directory the unprivileged user can reach
	// (t.TempDir's parent is private to root).
	dir, err := os.MkdirTemp("", "pogo-setup-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(setupScript(t))
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "setup.sh")
	if err := os.WriteFile(script, src, 0o755); err != nil {
		t.Fatal(err)
	}
	code, stderr := run(t, script, []string{"POGO_CACHE=" + dir + "/cache"}, &syscall.Credential{Uid: 65534, Gid: 65534})
	expectFailure(t, code, stderr, "not root and no sudo: run as root or install sudo")
}
