package redis

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/y-l-g/websocket/go/hub"
	"github.com/y-l-g/websocket/go/hub/hubtest"
	"github.com/y-l-g/websocket/go/hub/pusher"
	"github.com/y-l-g/websocket/go/hub/redis/redistest"
)

const (
	appID  = "app-1"
	appKey = "key-1"
	secret = "secret-1"
	wait   = 10 * time.Second // generous: a loaded 2-core box
)

// sink records webhook events.
type sink struct {
	mu     sync.Mutex
	events []hub.WebhookEvent
}

func (s *sink) Notify(_ *hub.App, e hub.WebhookEvent) {
	s.mu.Lock()
	s.events = append(s.events, e)
	s.mu.Unlock()
}

func (s *sink) named(name string) []hub.WebhookEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []hub.WebhookEvent
	for _, e := range s.events {
		if e.Name == name {
			out = append(out, e)
		}
	}
	return out
}

// hubNode is one hub of a test cluster.
type hubNode struct {
	t    testing.TB
	node *Node
	h    *hub.Hub
	app  *hub.App
	sink *sink
}

// testCluster is n hubs sharing one Redis deployment.
type testCluster struct {
	redis  *redistest.Server // the redis-server newCluster started; nil with nodeOpts.redis
	client ClientOptions     // how every node reaches Redis
	nodes  []*hubNode
}

// nodeOpts tunes startNode.
type nodeOpts struct {
	prefix    string
	heartbeat time.Duration
	ttl       time.Duration
	queue     int
	subCount  bool // App.SubscriptionCount
	// redis is the deployment newCluster's nodes use (a Redis Cluster, a
	// Sentinel); nil: newCluster starts a redis-server of its own.
	redis *ClientOptions
}

// newCluster starts n hubs on o.redis, or on a new redis-server.
func newCluster(t testing.TB, n int, o nodeOpts) *testCluster {
	t.Helper()
	c := &testCluster{}
	if o.redis != nil {
		c.client = *o.redis
	} else {
		c.redis = redistest.Start(t)
		c.client = ClientOptions{Addrs: []string{c.redis.Addr()}}
	}
	for range n {
		c.nodes = append(c.nodes, c.addNode(t, o))
	}
	return c
}

// addNode starts one more hub on the cluster's Redis.
func (c *testCluster) addNode(t testing.TB, o nodeOpts) *hubNode {
	t.Helper()
	return startNodeOn(t, c.client, o)
}

// startNode starts one hub with a Redis node on the server at addr and
// waits for its subscription.
func startNode(t testing.TB, addr string, o nodeOpts) *hubNode {
	t.Helper()
	return startNodeOn(t, ClientOptions{Addrs: []string{addr}}, o)
}

// startNodeOn is startNode reaching Redis with co (1s command timeout
// unless co sets one).
func startNodeOn(t testing.TB, co ClientOptions, o nodeOpts) *hubNode {
	t.Helper()
	co.CommandTimeout = or(co.CommandTimeout, time.Second)
	client, err := NewClient(co)
	if err != nil {
		t.Fatal(err)
	}
	return startNodeWith(t, client, o)
}

// startNodeWith is startNode over an existing client.
func startNodeWith(t testing.TB, client goredis.UniversalClient, o nodeOpts) *hubNode {
	t.Helper()
	app := &hub.App{ID: appID, Key: appKey, Secret: secret, ClientEvents: true, SubscriptionCount: o.subCount}
	apps, err := hub.NewStaticApps(app)
	if err != nil {
		t.Fatal(err)
	}
	node, err := New(Config{
		Client: client, Prefix: o.prefix, Heartbeat: o.heartbeat, NodeTTL: o.ttl, QueueSize: o.queue,
		BackoffMin: 20 * time.Millisecond, BackoffMax: 200 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	sk := &sink{}
	h, err := hub.New(hub.Config{Apps: apps, NodeID: node.NodeID(), Broker: node.Broker(), Presence: node.Presence(), Webhooks: sk, NumShards: 4})
	if err != nil {
		t.Fatal(err)
	}
	m := &hubNode{t: t, node: node, h: h, app: app, sink: sk}
	t.Cleanup(m.stop)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := node.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
	return m
}

// stop closes the hub and the node (idempotent).
func (m *hubNode) stop() {
	_ = m.h.Close()
	_ = m.node.Close()
}

// open opens a session whose conn closes it like a transport would.
func (m *hubNode) open() (*hub.Session, *hubtest.Conn) {
	m.t.Helper()
	c := hubtest.NewConn()
	s, err := m.h.Open(m.app, c, hub.ConnMeta{Protocol: "7", HasProtocol: true})
	if err != nil {
		m.t.Fatalf("Open: %v", err)
	}
	c.OnClose = func(pusher.Code, string) { go s.Close() }
	if _, ok := c.Wait(pusher.EventConnectionEstablished, "", wait); !ok {
		m.t.Fatal("no connection_established")
	}
	return s, c
}

func send(t testing.TB, s *hub.Session, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	s.Handle(b)
}

// subscribe subscribes with a valid signature and waits for success.
func (m *hubNode) subscribe(s *hub.Session, c *hubtest.Conn, channel, channelData string) hubtest.Event {
	m.t.Helper()
	auth := ""
	if pusher.KindOf(channel).NeedsAuth() {
		auth = m.app.Key + ":" + hub.Sign(m.app.Secret, hub.ChannelAuthString(s.SocketID(), channel, channelData))
	}
	send(m.t, s, map[string]any{"event": "pusher:subscribe", "data": map[string]string{
		"channel": channel, "auth": auth, "channel_data": channelData}})
	e, ok := c.Wait(pusher.InternalSubscriptionSucceeded, channel, wait)
	if !ok {
		m.t.Fatalf("no subscription_succeeded on %s; got %+v", channel, c.Events())
	}
	return e
}

// signin signs s in with userData.
func (m *hubNode) signin(s *hub.Session, c *hubtest.Conn, userData string) {
	m.t.Helper()
	auth := m.app.Key + ":" + hub.Sign(m.app.Secret, hub.UserAuthString(s.SocketID(), userData))
	send(m.t, s, map[string]any{"event": "pusher:signin", "data": map[string]string{"auth": auth, "user_data": userData}})
	if _, ok := c.Wait(pusher.EventSigninSuccess, "", wait); !ok {
		m.t.Fatalf("no signin_success: %+v", c.Events())
	}
}

func (m *hubNode) publish(ctx context.Context, ch, event, data, except string) hub.Status {
	return m.h.Publish(ctx, hub.Message{AppID: appID, Channels: []string{ch}, Event: event, Data: data, ExceptSocketID: except})
}

// presenceCount decodes subscription_succeeded's presence count.
func presenceCount(t testing.TB, e hubtest.Event) int {
	t.Helper()
	var d struct {
		Presence struct {
			Count int `json:"count"`
		} `json:"presence"`
	}
	if err := e.DataInto(&d); err != nil {
		t.Fatal(err)
	}
	return d.Presence.Count
}

// eventually polls cond every 10ms until it holds or wait passes.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), wait)
	t.Cleanup(cancel)
	return c
}
