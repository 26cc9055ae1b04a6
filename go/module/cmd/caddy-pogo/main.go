// Command caddy-pogo is plain Caddy with the pogo_websocket module and no
// PHP: the standalone Pusher-compatible server. Build it with CGO_ENABLED=0
// and -tags nopogophp (go tool mage go:caddy).
package main

import (
	caddycmd "github.com/caddyserver/caddy/v2/cmd"

	_ "github.com/caddyserver/caddy/v2/modules/standard"
	_ "github.com/y-l-g/websocket/go/module"
)

func main() {
	caddycmd.Main()
}
