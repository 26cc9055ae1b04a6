// The chat scenario of chat.test.mjs across two nodes: two bin/frankenphp
// processes on different ports serve examples/laravel-app, and their
// in-process pogo_websocket hubs share one real redis-server (redis_host).
// Alice's browser context uses node A, Bob's and Mallory's node B, so
// everything one of them sees from the other crossed Redis. Screenshots
// land in test-results/e2e/cluster-*.png.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Pusher from 'pusher';
import { artisan, REPO_ROOT } from './lib/app.mjs';
import { launch, loginAs, waitEvent, events, listItems, postFromPage, WAIT_MS } from './lib/browser.mjs';
import { startCluster } from './lib/cluster.mjs';

const ARTIFACTS = join(REPO_ROOT, 'test-results', 'e2e');

/** Saves test-results/e2e/cluster-<name>.png; never fails the test. */
async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `cluster-${name}.png`), fullPage: true }).catch(() => {});
}

/** How many times re matches in text. */
function count(text, re) {
  return (text.match(new RegExp(re.source, 'g')) || []).length;
}

/** Waits (generously) until logs() matches re. */
async function waitLog(logs, re) {
  const deadline = Date.now() + WAIT_MS;
  while (!re.test(logs())) {
    if (Date.now() > deadline) assert.fail(`no log line matching ${re}`);
    await new Promise((r) => setTimeout(r, 100));
  }
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
    pages.alice = await loginAs(browser, a.url, 'alice');
    await waitEvent(pages.alice, 'here', { ids: ['alice'] });
    await waitEvent(pages.alice, 'signed-in');

    pages.bob = await loginAs(browser, b.url, 'bob');
    const here = await waitEvent(pages.bob, 'here');
    assert.deepEqual([...here.ids].sort(), ['alice', 'bob']);
    await waitEvent(pages.alice, 'joining', { id: 'bob' });
    await waitEvent(pages.bob, 'signed-in');

    assert.deepEqual((await listItems(pages.alice, 'members')).sort(), ['Alice (you)', 'Bob']);
    assert.deepEqual((await listItems(pages.bob, 'members')).sort(), ['Alice', 'Bob (you)']);

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
    pages.mallory = await loginAs(browser, cluster.b.url, 'mallory');
    assert.deepEqual(await waitEvent(pages.mallory, 'room-error'), { kind: 'room-error', status: 403 });
    assert.match(await pages.mallory.textContent('[data-testid="room-error"]'), /403/);

    const status = await pages.mallory.evaluate(() => new Promise((resolve) => {
      window.Echo.private('users.alice').error((s) => resolve(s?.status ?? s?.error?.status ?? String(s)));
    }));
    assert.equal(status, 403);

    // Her session cookie (127.0.0.1, any port) is valid on node A too: the nodes share sessions.
    for (const base of ['', a.url]) {
      const direct = await postFromPage(pages.mallory, `${base}/pogo/auth`, { socket_id: '1.1', channel_name: 'presence-room' });
      assert.equal(direct.status, 403, `auth on ${base || 'node B'}`);
      const post = await postFromPage(pages.mallory, `${base}/messages`, { text: 'let me in' });
      assert.equal(post.status, 403, `message on ${base || 'node B'}`);
    }
  });

  it('shows Bob typing to Alice across nodes (client event through Redis)', async () => {
    await pages.bob.type('[data-testid="text"]', 'Hi');
    await waitEvent(pages.alice, 'typing', { id: 'bob', name: 'Bob' });
    assert.match(await pages.alice.textContent('[data-testid="typing"]'), /Bob is typing/);
  });

  it('exchanges messages broadcast natively on one node and received on the other', async () => {
    await pages.bob.fill('[data-testid="text"]', '');
    await pages.alice.fill('[data-testid="text"]', 'Hello Bob');
    await pages.alice.click('[data-testid="send"]');
    const m1 = await waitEvent(pages.bob, 'message', { text: 'Hello Bob' });
    assert.deepEqual(m1.user, { id: 'alice', name: 'Alice' });

    await pages.bob.fill('[data-testid="text"]', 'Hi Alice');
    await pages.bob.click('[data-testid="send"]');
    await waitEvent(pages.alice, 'message', { text: 'Hi Alice' });

    // toOthers() holds across nodes: Alice's own message, published before
    // Bob's reply on the same channel, would be here already.
    assert.deepEqual((await events(pages.alice, 'message')).map((e) => e.text), ['Hi Alice']);
    assert.deepEqual((await events(pages.bob, 'message')).map((e) => e.text), ['Hello Bob']);
    assert.deepEqual(await listItems(pages.alice, 'messages'), ['AliceHello Bob', 'BobHi Alice']);
    assert.deepEqual(await listItems(pages.bob, 'messages'), ['AliceHello Bob', 'BobHi Alice']);
  });

  it('delivers Alice\'s queued nudge to Bob on node B via node A\'s HTTP API', async () => {
    const { a } = cluster;
    await pages.alice.click('[data-testid="nudge-bob"]');
    await waitEvent(pages.alice, 'nudge-sent', { to: 'bob', status: 202 });
    // The worker publishes through node A's signed HTTP API (a.env: POGO_API_PORT is A's port).
    const worker = await artisan(a.env, 'queue:work', '--once', '--tries=1');
    assert.match(worker.stdout, /UserNudged/);
    assert.doesNotMatch(worker.stdout, /Fail/i);
    const nudge = await waitEvent(pages.bob, 'nudge');
    assert.deepEqual(nudge.from, { id: 'alice', name: 'Alice' });
    assert.match(await pages.bob.textContent('[data-testid="notifications"]'), /Alice nudged you/);
  });

  it('sends a server-to-user notice from Bob (node B) to Alice (node A) only', async () => {
    await pages.bob.click('[data-testid="notice-alice"]');
    const notice = await waitEvent(pages.alice, 'notice');
    assert.equal(notice.text, 'Bob says hello from the server.');

    // A later event on Bob's own connection: anything meant for him would be queued before it.
    await pages.alice.fill('[data-testid="text"]', 'bye');
    await pages.alice.click('[data-testid="send"]');
    await waitEvent(pages.bob, 'message', { text: 'bye' });
    assert.deepEqual(await events(pages.bob, 'notice'), []);
  });

  it('shows Bob leaving on node A when his tab on node B closes, with one member_removed webhook', async () => {
    const bob = pages.bob;
    assert.deepEqual(bob.errors, [], 'bob: page errors');
    await screenshot(bob, 'bob');
    delete pages.bob;
    await bob.context().close();
    await waitEvent(pages.alice, 'leaving', { id: 'bob' });
    assert.deepEqual(await listItems(pages.alice, 'members'), ['Alice (you)']);
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
    await waitEvent(pages.mallory, 'message', { text: 'bye' });
    const kinds = new Set((await events(pages.mallory)).map((e) => e.kind));
    for (const k of ['here', 'joining', 'leaving', 'typing', 'nudge', 'notice']) {
      assert.equal(kinds.has(k), false, `Mallory got a ${k} event`);
    }
    assert.deepEqual(await listItems(pages.mallory, 'members'), []);
    assert.equal((await events(pages.alice, 'joining')).some((e) => e.id === 'mallory'), false);
    for (const [name, page] of Object.entries(pages)) assert.deepEqual(page.errors, [], `${name}: page errors`);
  });
});
