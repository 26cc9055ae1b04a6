package pogows

import (
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
)

// scriptGuard refuses plain HTTP requests that would run the auth_script
// file as a regular PHP script (for example a script placed under the
// document root and requested as /websocket-worker.php or
// /websocket-worker.php/extra). The auth worker itself is registered under a
// name no path matches; this guard covers the classic execution path of
// php_server and php_fastcgi for every request the handler sees.
type scriptGuard struct {
	abs  string // absolute, cleaned auth_script path; "" disables the guard
	real string // abs with symlinks resolved (if it exists)
	cwd  string // working directory at provision: base of relative roots
}

func newScriptGuard(script string) scriptGuard {
	if script == "" {
		return scriptGuard{}
	}
	abs, err := filepath.Abs(script)
	if err != nil {
		return scriptGuard{}
	}
	cwd, err := os.Getwd()
	if err != nil {
		return scriptGuard{}
	}
	g := scriptGuard{abs: abs, real: abs, cwd: cwd}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		g.real = real
	}
	return g
}

// blocks reports whether r's path maps, under the site root, to the auth
// script, either as the whole path or as a PHP split-path prefix.
func (g scriptGuard) blocks(r *http.Request) bool {
	if g.abs == "" {
		return false
	}
	root, _ := caddyhttp.GetVar(r.Context(), "root").(string)
	absRoot := root
	if !filepath.IsAbs(root) {
		absRoot = filepath.Join(g.cwd, root)
	}
	p := path.Clean("/" + r.URL.Path)
	lower := strings.ToLower(p)
	for i := 0; i < len(lower); {
		j := strings.Index(lower[i:], ".php")
		if j < 0 {
			break
		}
		end := i + j + len(".php")
		if g.matches(filepath.Join(absRoot, filepath.FromSlash(p[:end]))) {
			return true
		}
		i = end
	}
	return false
}

func (g scriptGuard) matches(candidate string) bool {
	if strings.EqualFold(candidate, g.abs) || strings.EqualFold(candidate, g.real) {
		return true
	}
	real, err := filepath.EvalSymlinks(candidate)
	return err == nil && real == g.real
}
