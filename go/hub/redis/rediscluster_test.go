package redis

import (
	"context"
	"testing"

	goredis "github.com/redis/go-redis/v9"

	"github.com/y-l-g/websocket/go/hub/redis/redistest"
)

// TestRedisCluster runs every multiNode scenario on one real Redis Cluster
// of three masters, each scenario under a key prefix of its own, the hubs
// reaching it as go-redis cluster clients seeded with the three nodes
// (ClientOptions.Cluster). It then checks what makes the scenarios
// meaningful there: one app's keys share one hash slot, and the
// scenarios' keys ended up on every master.
func TestRedisCluster(t *testing.T) {
	rc := redistest.StartCluster(t)
	co := ClientOptions{Cluster: true, Addrs: rc.Addrs()}
	for _, sc := range multiNode {
		t.Run(sc.name, func(t *testing.T) {
			sc.run(t, nodeOpts{prefix: "rc-" + sc.name, redis: &co})
		})
	}
	admin := goredis.NewClusterClient(&goredis.ClusterOptions{Addrs: rc.Addrs()})
	defer admin.Close()
	t.Run("AppKeysShareOneSlot", func(t *testing.T) {
		k := keys{prefix: "rc"}
		all := append(k.channelKeys(appID, "presence-room"), k.chans(appID), k.cache(appID, "cache-news"))
		want := admin.ClusterKeySlot(ctx(t), all[0]).Val()
		for _, key := range all {
			if got, err := admin.ClusterKeySlot(ctx(t), key).Result(); err != nil || got != want {
				t.Fatalf("%q is in slot %d (%v), %q in slot %d", key, got, err, all[0], want)
			}
		}
	})
	t.Run("KeysOnEveryMaster", func(t *testing.T) {
		err := admin.ForEachMaster(ctx(t), func(c context.Context, m *goredis.Client) error {
			if n, err := m.DBSize(c).Result(); err != nil || n == 0 {
				t.Errorf("master %s holds %d keys (%v): the scenarios did not cross nodes", m.Options().Addr, n, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
