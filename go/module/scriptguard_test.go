package pogows

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/caddyserver/caddy/v2/modules/caddyhttp"
)

func TestScriptGuard(t *testing.T) {
	dir := t.TempDir()
	pub := filepath.Join(dir, "public")
	if err := os.MkdirAll(pub, 0o755); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(pub, "websocket-worker.php")
	if err := os.WriteFile(script, []byte("<?php"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(pub, "alias.php")
	if err := os.Symlink(script, link); err != nil {
		t.Fatal(err)
	}
	g := newScriptGuard(script)
	cases := map[string]bool{
		"/websocket-worker.php":         true,
		"/websocket-worker.php/extra":   true,
		"/x/../websocket-worker.php":    true,
		"//websocket-worker.php":        true,
		"/alias.php":                    true, // symlink to the script
		"/index.php":                    false,
		"/websocket-worker.phpx":        true,  // split_path cuts at the first ".php", whatever follows
		"/public/websocket-worker.php":  false, // relative to the root, not the parent
		"/app/key":                      false,
		"/WebSocket-Worker.PHP":         true, // conservative: the same file on case-insensitive filesystems
		"/ȺȺȺȺ/../websocket-worker.php": true, // non-ASCII text before the script name
		"/websocket-worker.PHP/x":       true, // split_path matches .PHP case-insensitively
	}
	for p, want := range cases {
		r := httptest.NewRequest("GET", "http://x"+p, nil)
		vars := map[string]any{"root": pub}
		r = r.WithContext(context.WithValue(r.Context(), caddyhttp.VarsCtxKey, vars))
		if got := g.blocks(r); got != want {
			t.Errorf("%s: blocks=%v, want %v", p, got, want)
		}
	}
	if (scriptGuard{}).blocks(httptest.NewRequest("GET", "/websocket-worker.php", nil)) {
		t.Error("disabled guard blocked")
	}
}
