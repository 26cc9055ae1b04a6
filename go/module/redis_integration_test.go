package pogows

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/y-l-g/websocket/go/hub/redis/redistest"
)

// Two sites whose hubs differ by num_shards are two Redis nodes in one
// process: a message published through one node's HTTP API reaches a
// client of the other node.
func TestIntegrationRedisTwoNodes(t *testing.T) {
	srv := redistest.Start(t)
	// Node a uses redis_host, node b the URL form (redis_url).
	a, b := loadTwoNodes(t, "redis_host "+srv.Addr(), "redis_url redis://"+srv.Addr()+"/0")
	if n := countInstances(); n != 2 {
		t.Fatalf("%d hubs, want 2", n)
	}
	assertCrossNodeDelivery(t, a, b)
	code, body := get(t, b.url("/x"))
	if code != 200 || !strings.Contains(body, "next") {
		t.Fatalf("fall through on node b: %d %q", code, body)
	}
}

// Two nodes on a real Redis Cluster of three masters: node a lists every
// node in redis_host, node b one seed node only (the client discovers
// the others).
func TestIntegrationRedisCluster(t *testing.T) {
	rc := redistest.StartCluster(t)
	a, b := loadTwoNodes(t, "redis_host "+strings.Join(rc.Addrs(), " ")+"\n\t\t\tredis_cluster",
		"redis_host "+rc.Addrs()[1]+"\n\t\t\tredis_cluster on")
	assertCrossNodeDelivery(t, a, b)
}

// Two nodes finding the master through a sentinel (redis_sentinel_master).
func TestIntegrationRedisSentinel(t *testing.T) {
	sentinel := redistest.StartSentinel(t, redistest.Start(t))
	lines := fmt.Sprintf("redis_host %s\n\t\t\tredis_sentinel_master %s", sentinel.Addr(), sentinel.MasterName)
	a, b := loadTwoNodes(t, lines, lines)
	assertCrossNodeDelivery(t, a, b)
}

// loadTwoNodes loads twoNodeConfig on free ports and returns the nodes.
func loadTwoNodes(t *testing.T, linesA, linesB string) (a, b *testServer) {
	t.Helper()
	a, b = &testServer{t: t, port: freePort(t)}, &testServer{t: t, port: freePort(t)}
	loadRetry(t, func() []byte {
		a.port, b.port = freePort(t), freePort(t)
		return adapt(t, twoNodeConfig(a.port, b.port, linesA, linesB))
	})
	return a, b
}

// assertCrossNodeDelivery subscribes a client of node a to "orders",
// publishes through node b's HTTP API until the event arrives, then asks
// both nodes whether the channel is occupied (a count kept in Redis).
func assertCrossNodeDelivery(t *testing.T, a, b *testServer) {
	t.Helper()
	c := a.mustDial("key1")
	c.send(`{"event":"pusher:subscribe","data":{"channel":"orders"}}`)
	if ev := c.read(); ev.Event != "pusher_internal:subscription_succeeded" {
		t.Fatalf("subscribe: %+v", ev)
	}
	// The subscription may take a moment to be known cluster-wide and the
	// node's Redis subscription to come up: publish until it arrives.
	got := make(chan wireEvent, 1)
	go func() { got <- c.read() }()
	eventually(t, "cross-node delivery", func() bool {
		if code := signedPost(t, b, "key1", "secret1", "/apps/app1/events",
			`{"name":"created","channel":"orders","data":"{}"}`); code != 200 && code != 500 && code != 503 {
			t.Fatalf("publish status %d", code)
		}
		select {
		case ev := <-got:
			if ev.Event != "created" {
				t.Fatalf("delivered %+v", ev)
			}
			return true
		default:
			return false
		}
	})
	for _, n := range []*testServer{a, b} {
		if code, body := signedGet(t, n, "key1", "secret1", "/apps/app1/channels/orders"); code != 200 || !strings.Contains(body, `"occupied":true`) {
			t.Fatalf("channel info on port %d: %d %s", n.port, code, body)
		}
	}
}

// A channel left on node A and joined on node B within the grace period:
// A's delayed channel_vacated is stale cluster-wide (Hub.StillCurrent) and
// must not reach the receiver after B's channel_occupied.
func TestIntegrationRedisWebhookGraceAcrossNodes(t *testing.T) {
	srv := redistest.Start(t)
	rc, hook := newReceiver(t, "whsecret")
	node := fmt.Sprintf("redis_host %s\n\t\t\twebhook_url %s\n\t\t\twebhook_secret whsecret\n\t\t\twebhook_grace 1s\n\t\t\twebhook_batch_window 20ms", srv.Addr(), hook.URL)
	a, b := loadTwoNodes(t, node, node)
	ca, cb := a.mustDial("key1"), b.mustDial("key1")
	ca.send(`{"event":"pusher:subscribe","data":{"channel":"room"}}`)
	ca.read()
	rc.waitNames(t, func(n string) bool { return n == "channel_occupied:room" })
	ca.send(`{"event":"pusher:unsubscribe","data":{"channel":"room"}}`)
	// Wait until the cluster sees the channel empty (A has sent, and holds,
	// its channel_vacated), then occupy it again on B.
	eventually(t, "room vacated cluster-wide", func() bool {
		_, body := signedGet(t, b, "key1", "secret1", "/apps/app1/channels/room")
		return strings.Contains(body, `"occupied":false`)
	})
	cb.send(`{"event":"pusher:subscribe","data":{"channel":"room"}}`)
	cb.read()
	both := "channel_occupied:room,channel_occupied:room"
	rc.waitNames(t, func(n string) bool { return n == both })
	time.Sleep(2 * time.Second) // let A's grace period expire (not an assertion on time)
	rc.mu.Lock()
	got := eventNames(rc.bodies)
	rc.mu.Unlock()
	if got != both {
		t.Fatalf("a stale channel_vacated was sent: %s", got)
	}
	cb.send(`{"event":"pusher:unsubscribe","data":{"channel":"room"}}`)
	rc.waitNames(t, func(n string) bool { return n == both+",channel_vacated:room" })
}

// twoNodeConfig is the Caddyfile of two sites on portA and portB, each a
// pogo_websocket node of app app1 (key key1, 4 and 8 shards) with its own
// extra option lines, followed by respond "next".
func twoNodeConfig(portA, portB int, linesA, linesB string) string {
	site := func(port, shards int, lines string) string {
		return fmt.Sprintf(`http://127.0.0.1:%d {
	bind 127.0.0.1
	route {
		pogo_websocket {
			app_id app1
			app_key key1
			app_secret secret1
			num_shards %d
			%s
		}
		respond "next"
	}
}
`, port, shards, lines)
	}
	return "{\n admin off\n persist_config off\n auto_https off\n}\n" + site(portA, 4, linesA) + site(portB, 8, linesB)
}
