// Three real pogo-server nodes sharing one real redis-server, with
// pusher-js clients spread across them: everything a single node does
// must hold for the cluster.

import { describe, test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { connect, connected, subscribed, signedIn, sdk, disconnectAll, uniq } from '../protocol/lib/clients.mjs';
import { record, eventually, sleep } from '../protocol/lib/wait.mjs';
import { startCluster, startNode, webhookReceiver } from './lib.mjs';

let cluster;
let hooks;

before(async () => {
  hooks = await webhookReceiver();
  cluster = await startCluster(3, { webhookUrl: hooks.url, extra: ['-subscription-count=true'] });
});
after(async () => {
  disconnectAll();
  await cluster?.stop();
  await hooks?.close();
});
afterEach(() => disconnectAll());

const node = (i) => cluster.nodes[i];

/** A connected pusher-js client on node i, subscribed to channel. */
async function member(i, channel, identity = {}) {
  const p = connect(node(i), identity);
  await connected(p);
  const ch = await subscribed(p, channel);
  return { p, ch };
}

async function apiGet(i, path, params = {}) {
  const res = await sdk(node(i)).get({ path, params });
  return res.json();
}

describe('cluster of three nodes', () => {
  test('a publish on one node reaches every node exactly once; socket_id exclusion crosses nodes', async () => {
    const name = uniq('room-');
    const clients = [];
    for (let i = 0; i < 6; i++) clients.push(await member(i % 3, name));
    const recs = clients.map(({ ch }) => ({ news: record(ch, 'news'), other: record(ch, 'other'), marker: record(ch, 'marker') }));
    for (let k = 0; k < 5; k++) await sdk(node(k % 3)).trigger(name, 'news', { k });
    const except = clients[5].p.connection.socket_id; // on node 2
    await sdk(node(0)).trigger(name, 'other', { x: 1 }, { socket_id: except });
    await sdk(node(1)).trigger(name, 'marker', {});
    for (const [i, r] of recs.entries()) {
      await r.marker.waitFor(() => true);
      assert.equal(r.news.items.length, 5, `client ${i} news`);
      assert.deepEqual(r.news.items.map((d) => d.k).sort(), [0, 1, 2, 3, 4]);
      assert.equal(r.other.items.length, i === 5 ? 0 : 1, `client ${i} 'other' (toOthers)`);
    }
  });

  test('client events cross nodes and skip the sender', async () => {
    const name = uniq('private-chat-');
    const a = await member(0, name);
    const b = await member(2, name);
    const got = record(b.ch, 'client-typing');
    const self = record(a.ch, 'client-typing');
    a.ch.trigger('client-typing', { who: 'a' });
    assert.deepEqual(await got.waitFor(() => true), { who: 'a' });
    const marker = record(a.ch, 'marker');
    await sdk(node(1)).trigger(name, 'marker', {});
    await marker.waitFor(() => true);
    assert.equal(self.items.length, 0);
  });

  test('presence: members, multi-tab on different nodes, member events and webhooks once per cluster', async () => {
    const name = uniq('presence-room-');
    const ann = { user: { id: 'ann', user_info: { name: 'Ann' } } };
    const bob = { user: { id: 'bob' } };
    const ann1 = await member(0, name, ann);
    const b = await member(1, name, bob);
    assert.equal(b.ch.members.count, 2);
    const removed = record(b.ch, 'pusher:member_removed');
    const ann2 = await member(2, name, ann); // second tab, third node
    assert.equal(ann2.ch.members.count, 2);
    assert.deepEqual(ann2.ch.members.get('ann').info, { name: 'Ann' });
    const users = await apiGet(1, `/channels/${name}/users`);
    assert.deepEqual(users.users.map((u) => u.id).sort(), ['ann', 'bob']);

    ann1.p.disconnect(); // ann still has a tab on node 2
    await eventually(async () => (await apiGet(2, `/channels/${name}`, { info: 'subscription_count' })).subscription_count === 2,
      'cluster-wide subscription_count 2');
    const marker = record(b.ch, 'marker');
    await sdk(node(0)).trigger(name, 'marker', {});
    await marker.waitFor(() => true);
    assert.equal(removed.items.length, 0, 'no member_removed while another tab is open');

    ann2.p.disconnect();
    const gone = await removed.waitFor(() => true);
    assert.equal(gone.id, 'ann');
    await eventually(() => hooks.named('member_removed', name).length === 1, 'member_removed webhook');
    await sleep(500); // settle: a duplicate from another node would arrive meanwhile
    assert.equal(hooks.named('member_added', name).length, 2, 'member_added once per user');
    assert.equal(hooks.named('member_removed', name).length, 1);
  });

  test('occupancy: channel_occupied/channel_vacated once per cluster; HTTP API answers for the cluster', async () => {
    const name = uniq('news-');
    const subs = [await member(0, name), await member(1, name), await member(2, name)];
    const info = await apiGet(1, `/channels/${name}`, { info: 'subscription_count' });
    assert.equal(info.occupied, true);
    assert.equal(info.subscription_count, 3);
    const list = await apiGet(2, '/channels', { filter_by_prefix: name });
    assert.deepEqual(Object.keys(list.channels), [name]);
    subs[0].p.disconnect();
    subs[1].p.disconnect();
    await eventually(async () => (await apiGet(0, `/channels/${name}`, { info: 'subscription_count' })).subscription_count === 1,
      'count 1');
    assert.equal(hooks.named('channel_vacated', name).length, 0, 'not vacated while node 2 holds a subscriber');
    subs[2].p.disconnect();
    await eventually(() => hooks.named('channel_vacated', name).length === 1, 'channel_vacated');
    await sleep(500); // settle
    assert.equal(hooks.named('channel_occupied', name).length, 1);
    assert.equal(hooks.named('channel_vacated', name).length, 1);
    assert.equal((await apiGet(0, `/channels/${name}`)).occupied, false);
  });

  test('cache channels: a node started after the publish replays the event from Redis', async () => {
    const name = uniq('cache-headline-');
    await sdk(node(0)).trigger(name, 'headline', { v: 1 });
    const late = await startNode(cluster.redis, { nodeId: 'late', webhookUrl: hooks.url });
    try {
      const p = connect(late);
      await connected(p);
      const ch = p.subscribe(name);
      const got = record(ch, 'headline');
      assert.deepEqual(await got.waitFor(() => true), { v: 1 });
      const info = await (await sdk(late).get({ path: `/channels/${name}`, params: { info: 'cache' } })).json();
      assert.ok(info.cache && info.cache.ttl > 0, JSON.stringify(info));
    } finally {
      disconnectAll();
      await late.stop();
    }
  });

  test('subscription_count events carry the cluster-wide count to every node', async () => {
    const name = uniq('counted-');
    const a = await member(0, name);
    const counts = record(a.ch, 'pusher:subscription_count');
    const b = await member(2, name);
    await counts.waitFor((d) => d.subscription_count === 2);
    // b may get its event in the same read as subscription_succeeded:
    // pusher-js keeps the last count on the channel.
    await eventually(() => b.ch.subscriptionCount === 2, 'count 2 on node 2');
    b.p.disconnect();
    await counts.waitFor((d) => d.subscription_count === 1);
  });

  test('watchlists: online and offline of users signed in on other nodes', async () => {
    const early = { user: { id: uniq('early-') } };
    const late = { user: { id: uniq('late-') } };
    const e = connect(node(1), early);
    await connected(e);
    await signedIn(e);
    const events = [];
    const w = connect(node(0), { user: { id: uniq('w-'), watchlist: [early.user.id, late.user.id] } });
    w.user.watchlist.bind('online', (ev) => events.push(['online', ...ev.user_ids]));
    w.user.watchlist.bind('offline', (ev) => events.push(['offline', ...ev.user_ids]));
    await connected(w);
    await signedIn(w);
    const l = connect(node(2), late);
    await connected(l);
    await signedIn(l);
    l.disconnect();
    await eventually(() => events.length >= 3, 'three watchlist events');
    assert.deepEqual(events, [['online', early.user.id], ['online', late.user.id], ['offline', late.user.id]]);
  });

  test('terminate_connections on one node closes the user on every node', async () => {
    const eve = { user: { id: uniq('eve-') } };
    const tabs = [];
    for (const i of [1, 2]) {
      const p = connect(node(i), eve);
      await connected(p);
      await signedIn(p);
      tabs.push(p);
    }
    const other = connect(node(1), { user: { id: uniq('sam-') } });
    await connected(other);
    await signedIn(other);
    const closed = tabs.map((p) => new Promise((resolve) => p.connection.bind('state_change', (s) => {
      if (s.current === 'disconnected' || s.current === 'failed' || s.current === 'unavailable') resolve(s.current);
    })));
    await sdk(node(0)).terminateUserConnections(eve.user.id);
    await Promise.all(closed);
    assert.equal(other.connection.state, 'connected');
  });
});
