package main

import (
	"errors"
	"io"
	"log/slog"
	"testing"

	"github.com/y-l-g/websocket/go/hub"
)

func TestRedisOptions(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	base := []string{"-app-secret", "s"}
	c, err := parseFlags(base, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var cfg hub.Config
	if node, err := c.redis.apply(&cfg, log); node != nil || err != nil || cfg.Broker != nil {
		t.Fatalf("no redis flags: %v %v", node, err)
	}
	for _, args := range [][]string{
		{"-redis-addr", "nohostport"},
		{"-redis-url", "http://x"},
		{"-redis-addr", "127.0.0.1:1", "-redis-db", "-1"},
		{"-redis-addr", "127.0.0.1:1", "-redis-heartbeat", "5s", "-redis-node-ttl", "1s"},
	} {
		c, err := parseFlags(append(base, args...), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.redis.apply(&hub.Config{}, log); !errors.Is(err, errUsage) {
			t.Errorf("%v: %v", args, err)
		}
	}
	c, err = parseFlags(append(base, "-redis-addr", "127.0.0.1:1", "-node-id", "n7"), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	node, err := c.redis.apply(&cfg, log)
	if err != nil || node == nil || cfg.NodeID != "n7" || cfg.Broker == nil || cfg.Presence == nil {
		t.Fatalf("redis flags: %v %+v", err, cfg)
	}
	closeRedis(node)
	closeRedis(nil)
}
