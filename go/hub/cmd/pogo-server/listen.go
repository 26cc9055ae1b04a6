package main

import (
	"context"
	"fmt"
	"net"
)

// listen opens the public listener; with reusePort it sets SO_REUSEPORT so
// that a replacement process can bind the same address before this one
// stops (zero-gap restart: start the new server, then SIGTERM the old).
func listen(addr string, reusePort bool) (net.Listener, error) {
	lc := net.ListenConfig{}
	if reusePort {
		lc.Control = reusePortControl
	}
	ln, err := lc.Listen(context.Background(), "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	return ln, nil
}
