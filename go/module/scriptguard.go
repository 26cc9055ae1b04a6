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
	if g.abs == "" || !hasPHPSuffixFold(r.URL.Path) {
		return false
	}
	root, _ := caddyhttp.GetVar(r.Context(), "root").(string)
	absRoot := root
	if !filepath.IsAbs(root) {
		absRoot = filepath.Join(g.cwd, root)
	}
	p := path.Clean("/" + r.URL.Path)
	for i := 0; i+4 <= len(p); i++ {
		if isPHPAt(p, i) && g.matches(filepath.Join(absRoot, filepath.FromSlash(p[:i+4]))) {
			return true
		}
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

// hasPHPSuffixFold reports whether s contains ".php" in any letter case,
// without allocating (the common request never mentions PHP).
func hasPHPSuffixFold(s string) bool {
	for i := 0; i+4 <= len(s); i++ {
		if isPHPAt(s, i) {
			return true
		}
	}
	return false
}

// isPHPAt reports whether s[i:i+4] is ".php" in any ASCII letter case. Byte
// offsets are those of s itself (lower-casing non-ASCII text could shift
// them). No other Unicode letter case-folds to p or h.
func isPHPAt(s string, i int) bool {
	return s[i] == '.' && s[i+1]|0x20 == 'p' && s[i+2]|0x20 == 'h' && s[i+3]|0x20 == 'p'
}
