// Failures of a Redis cluster with real processes: a node killed with
// SIGKILL has its presence members expire (heartbeat 200 ms, node TTL 2 s
// here; 3 s and 15 s by default), and a Redis outage fails publishes with
// a 5xx while local clients stay connected, until Redis is back.

import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { connect, connected, subscribed, sdk, disconnectAll, uniq } from '../protocol/lib/clients.mjs';
import { record, eventually } from '../protocol/lib/wait.mjs';
import { startCluster, webhookReceiver } from './lib.mjs';

let cluster;
let hooks;

before(async () => {
  hooks = await webhookReceiver();
  cluster = await startCluster(3, { webhookUrl: hooks.url, heartbeat: '200ms', nodeTtl: '2s' });
});
after(async () => {
  disconnectAll();
  await cluster?.stop();
  await hooks?.close();
});
afterEach(() => disconnectAll());

/** Resolves with the HTTP status of an SDK request. */
async function status(request) {
  try {
    return (await request).status;
  } catch (err) {
    if (err.status) return err.status;
    throw err;
  }
}

test('a killed node: its members leave everywhere, with member_removed and webhooks', async () => {
  const name = uniq('presence-crash-');
  const [n0, , n2] = cluster.nodes;
  const watcher = connect(n0, { user: { id: 'watcher' } });
  await connected(watcher);
  const ch = await subscribed(watcher, name);
  const removed = record(ch, 'pusher:member_removed');
  const ghost = connect(n2, { user: { id: 'ghost' } });
  await connected(ghost);
  await subscribed(ghost, name);
  await eventually(() => ch.members.count === 2, 'two members');

  await n2.kill(); // no goodbye, no heartbeat
  const gone = await removed.waitFor(() => true, 20_000);
  assert.equal(gone.id, 'ghost');
  await eventually(() => hooks.named('member_removed', name).length === 1, 'member_removed webhook', 20_000);
  const users = await (await sdk(n0).get({ path: `/channels/${name}/users` })).json();
  assert.deepEqual(users.users.map((u) => u.id), ['watcher']);
});

test('Redis outage: publishes fail with 5xx, local clients stay, publishing resumes after restart', async () => {
  const name = uniq('outage-');
  const [n0, n1] = cluster.nodes;
  const a = connect(n0);
  await connected(a);
  const cha = await subscribed(a, name);
  const b = connect(n1);
  await connected(b);
  const chb = await subscribed(b, name);

  await cluster.redis.stop();
  await eventually(async () => (await status(sdk(n0).trigger(name, 'lost', {}))) >= 500, 'publish refused with 5xx');
  assert.equal(a.connection.state, 'connected', 'client of node 0 still connected');
  assert.equal(b.connection.state, 'connected', 'client of node 1 still connected');

  await cluster.redis.start();
  const gotA = record(cha, 'back');
  const gotB = record(chb, 'back');
  // At-most-once: publish until both nodes have resubscribed and delivered.
  await eventually(async () => {
    await status(sdk(n0).trigger(name, 'back', {}));
    return gotA.items.length > 0 && gotB.items.length > 0;
  }, 'delivery on both nodes after the restart', 20_000, 200);
  assert.equal(a.connection.state, 'connected');
});

test('a killed node: subscribers elsewhere get the cluster subscription_count without its sockets', async () => {
  // Every node of this cluster enables subscription_count, as a real
  // deployment's nodes share one configuration.
  const counted = await startCluster(2, { heartbeat: '200ms', nodeTtl: '2s', extra: ['-subscription-count'] });
  try {
    const [live, doomed] = counted.nodes;
    const name = uniq('counted-crash-');
    const watcher = connect(live);
    await connected(watcher);
    const ch = watcher.subscribe(name);
    const seen = record(ch, 'pusher:subscription_count');
    await subscribed(watcher, name);
    for (let i = 0; i < 2; i++) {
      const c = connect(doomed);
      await connected(c);
      await subscribed(c, name);
    }
    await seen.waitFor((d) => d.subscription_count === 3);
    const before = seen.items.length;

    await doomed.kill(); // no goodbye, no heartbeat
    await seen.waitFor((d, i) => i >= before && d.subscription_count === 1, 20_000);
    const info = await (await sdk(live).get({ path: `/channels/${name}`, params: { info: 'subscription_count' } })).json();
    assert.equal(info.subscription_count, 1);
  } finally {
    disconnectAll();
    await counted.stop();
  }
});
