//go:build !nopogophp

// Command frankenphp is FrankenPHP v1.12.2 with the pogo_websocket Caddy
// module and the pogo_websocket PHP extension compiled in: the binary that
// `go tool mage build` writes to bin/frankenphp. It is what
//
//	xcaddy build \
//	  --with github.com/dunglas/frankenphp@v1.12.2 \
//	  --with github.com/dunglas/frankenphp/caddy@v1.12.2 \
//	  --with github.com/y-l-g/websocket/go/module
//
// produces, without needing xcaddy. It must be linked against a ZTS libphp
// with the embed SAPI (see docs/building.md).
package main

import (
	caddycmd "github.com/caddyserver/caddy/v2/cmd"

	_ "github.com/caddyserver/caddy/v2/modules/standard"
	_ "github.com/dunglas/frankenphp/caddy"
	_ "github.com/y-l-g/websocket/go/module"
	_ "github.com/y-l-g/websocket/go/phpext"
)

func main() {
	caddycmd.Main()
}
