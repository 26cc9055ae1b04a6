//go:build mage

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// phpVersion is the upstream version of the ZTS libphp built by setup.
const phpVersion = "8.2.32"

// buildTags are the FrankenPHP build tags (shared/FRANKENPHP.md §6.3).
const buildTags = "nowatcher,nobadger,nomysql,nopgx,nobrotli"

// root is the repository root (mage runs in the magefile's directory).
func root() string {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	return wd
}

// cacheDir is where setup keeps the ZTS libphp and other build products
// that must outlive a clean checkout: $POGO_CACHE, else ~/.cache/pogo-websocket.
func cacheDir() string {
	if d := os.Getenv("POGO_CACHE"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "pogo-websocket")
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".cache", "pogo-websocket")
}

// phpPrefix is the install prefix of the ZTS libphp.
func phpPrefix() string { return filepath.Join(cacheDir(), "php-"+phpVersion+"-zts") }

// bin returns the path of a built binary under bin/.
func bin(name string) string { return filepath.Join(root(), "bin", name) }

// run runs a command in dir with the process environment plus env,
// streaming its output, and returns an error naming the command on failure.
func run(dir string, env []string, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	cmd.Stdin = os.Stdin
	fmt.Printf("+ %s %s\n", name, strings.Join(args, " "))
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
	}
	return nil
}

// output runs a command and returns its trimmed standard output.
func output(name string, args ...string) (string, error) {
	out, err := exec.Command(name, args...).Output()
	return strings.TrimSpace(string(out)), err
}

// cgoEnv is the environment that links against the ZTS libphp (with an
// rpath so the binary never picks Debian's NTS /usr/lib/libphp.so).
func cgoEnv() ([]string, error) {
	pc := filepath.Join(phpPrefix(), "bin", "php-config")
	if _, err := os.Stat(pc); err != nil {
		return nil, fmt.Errorf("ZTS libphp missing at %s: run `go tool mage setup`", phpPrefix())
	}
	includes, err := output(pc, "--includes")
	if err != nil {
		return nil, fmt.Errorf("php-config --includes: %w", err)
	}
	ldflags, _ := output(pc, "--ldflags")
	libs, _ := output(pc, "--libs")
	lib := filepath.Join(phpPrefix(), "lib")
	return []string{
		"CGO_ENABLED=1",
		"CGO_CFLAGS=" + includes,
		"CGO_LDFLAGS=" + strings.Join([]string{"-L" + lib, "-Wl,-rpath," + lib, ldflags, libs}, " "),
	}, nil
}

// goModules are the workspace modules, relative to the root.
var goModules = []string{"go/hub", "go/module", "go/phpext"}

// exists reports whether path exists.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
