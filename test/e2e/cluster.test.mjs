// The chat scenario of chat.test.mjs across two nodes: two bin/frankenphp
// processes on different ports serve examples/laravel-app, and their
// in-process pogo_websocket hubs share one real redis-server (redis_host).
// Alice's browser context uses node A, Bob's and Mallory's node B, so
// everything one of them sees from the other crossed Redis. Screenshots
// land in test-results/e2e/cluster-*.png.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Pusher from 'pusher';
import { artisan } from './lib/app.mjs';
import { launch, listItems, postFromPage, WAIT_MS } from './lib/browser.mjs';
import { startCluster } from './lib/cluster.mjs';
import {
  screenshot as shot, waitLog, aliceAndBobMeet, malloryRefused, bobTypes, exchangeMessages,
  nudgeThroughQueue, noticeToAliceOnly, bobLeaves, malloryGotNothing,
} from './lib/steps.mjs';

const PREFIX = 'cluster-';

/** Saves test-results/e2e/cluster-<name>.png; never fails the test. */
const screenshot = (page, name) => shot(page, name, PREFIX);

/** How many times re matches in text. */
function count(text, re) {
  return (text.match(new RegExp(re.source, 'g')) || []).length;
}

/** The Pusher server SDK pointed at one node's HTTP API. */
function api(node) {
  return new Pusher({
    appId: 'pogo-app', key: 'pogo-app', secret: node.env.WS_APP_SECRET,
    host: '127.0.0.1', port: String(node.port), useTLS: false,
  });
}

describe('example chat app on two nodes joined by Redis', { timeout: 180_000 }, () => {
  let cluster;
  let browser;
  const pages = {};

  before(async () => {
    cluster = await startCluster();
    browser = await launch();
  });

  after(async () => {
    for (const [name, page] of Object.entries(pages)) await screenshot(page, name);
    await browser?.close().catch(() => {});
    await cluster?.stop();
  });

  it('serves the example natively on two ports, each node connected to the same redis-server', async () => {
    const { a, b } = cluster;
    assert.notEqual(a.port, b.port);
    for (const node of [a, b]) {
      assert.deepEqual(await (await fetch(`${node.url}/up`)).json(), { ok: true, native: true });
      assert.match(node.logs(), new RegExp(`open http://localhost:${node.port} `));
    }
    // Each hub pattern-subscribes to its apps' Redis channels (go/hub/redis);
    // it connects in the background, so wait for both subscribers.
    const subscribers = async () => (await cluster.redis.command('CLIENT', 'LIST'))
      .split('\n').filter((l) => / psub=[1-9]/.test(l)).length;
    const deadline = Date.now() + WAIT_MS;
    while (await subscribers() !== 2) {
      if (Date.now() > deadline) assert.fail(`${await subscribers()} pattern subscribers on redis, want 2`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  it('shows Alice (node A) and Bob (node B) in each other\'s presence list', async () => {
    const { a, b } = cluster;
    await aliceAndBobMeet(browser, pages, a.url, b.url);

    // Either node's HTTP API answers for the whole cluster.
    for (const node of [a, b]) {
      const res = await api(node).get({ path: '/channels/presence-room/users' });
      const ids = (await res.json()).users.map((u) => u.id).sort();
      assert.deepEqual(ids, ['alice', 'bob'], `users from node ${node === a ? 'A' : 'B'}`);
    }
    // member_added came back into Laravel once for the cluster, through one node's webhook.
    await waitLog(cluster.logs, /webhook: bob joined presence-room/);
    await waitLog(cluster.logs, /webhook: alice joined presence-room/);
  });

  it('refuses Mallory (node B) the room with a 403 on either node', async () => {
    const { a } = cluster;
    await malloryRefused(browser, pages, cluster.b.url);

    // Her session cookie (127.0.0.1, any port) is valid on node A too: the nodes share sessions.
    for (const base of ['', a.url]) {
      const direct = await postFromPage(pages.mallory, `${base}/pogo/auth`, { socket_id: '1.1', channel_name: 'presence-room' });
      assert.equal(direct.status, 403, `auth on ${base || 'node B'}`);
      const post = await postFromPage(pages.mallory, `${base}/messages`, { text: 'let me in' });
      assert.equal(post.status, 403, `message on ${base || 'node B'}`);
    }
  });

  it('shows Bob typing to Alice across nodes (client event through Redis)', async () => {
    await bobTypes(pages);
  });

  it('exchanges messages broadcast natively on one node and received on the other', async () => {
    // toOthers() holds across nodes.
    await exchangeMessages(pages);
    assert.deepEqual(await listItems(pages.bob, 'messages'), ['AliceHello Bob', 'BobHi Alice']);
  });

  it('delivers Alice\'s queued nudge to Bob on node B via node A\'s HTTP API', async () => {
    const { a } = cluster;
    // The worker publishes through node A's signed HTTP API (a.env: POGO_API_PORT is A's port).
    await nudgeThroughQueue(pages, () => artisan(a.env, 'queue:work', '--once', '--tries=1'));
  });

  it('sends a server-to-user notice from Bob (node B) to Alice (node A) only', async () => {
    await noticeToAliceOnly(pages);
  });

  it('shows Bob leaving on node A when his tab on node B closes, with one member_removed webhook', async () => {
    await bobLeaves(pages, PREFIX);
    await waitLog(cluster.logs, /webhook: bob left presence-room/);
    // Each presence change reached Laravel once for the cluster, not once per node.
    const logs = cluster.logs();
    for (const re of [/webhook: alice joined presence-room/, /webhook: bob joined presence-room/, /webhook: bob left presence-room/]) {
      assert.equal(count(logs, re), 1, `${re} once`);
    }
  });

  it('gave Mallory no room events and no page errors anywhere', async () => {
    // The public feed is public: Alice's 'bye' on node A reached Mallory on
    // node B, and nothing from presence-room did.
    await malloryGotNothing(pages);
  });
});
