// End to end, the way a Laravel developer meets Pogo WebSocket: bin/frankenphp
// serves examples/laravel-app (app worker, dedicated auth worker,
// pogo_websocket with the in-memory broker) and Laravel Echo runs in
// Debian's headless Chromium. Alice and Bob chat in two browser contexts;
// Mallory is refused by the room. Screenshots land in test-results/e2e/.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startExample, REPO_ROOT } from './lib/app.mjs';
import { launch, loginAs, waitEvent, events, listItems, postFromPage, WAIT_MS } from './lib/browser.mjs';

const ARTIFACTS = join(REPO_ROOT, 'test-results', 'e2e');

/** Saves test-results/e2e/<name>.png; never fails the test. */
async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true }).catch(() => {});
}

/** Waits (generously) until the server's output matches re. */
async function waitLog(app, re) {
  const deadline = Date.now() + WAIT_MS;
  while (!re.test(app.logs())) {
    if (Date.now() > deadline) assert.fail(`no log line matching ${re}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('example chat app in Chromium', { timeout: 180_000 }, () => {
  let app;
  let browser;
  const pages = {};

  before(async () => {
    app = await startExample();
    browser = await launch();
  });

  after(async () => {
    for (const [name, page] of Object.entries(pages)) await screenshot(page, name);
    await browser?.close().catch(() => {});
    await app?.stop();
  });

  it('runs Laravel inside FrankenPHP with the extension and logs where to open it', async () => {
    const up = await (await fetch(`${app.url}/up`)).json();
    assert.deepEqual(up, { ok: true, native: true });
    assert.match(app.logs(), new RegExp(`open http://localhost:${app.port} `));
    const guest = await fetch(`${app.url}/`, { redirect: 'manual' });
    assert.equal(guest.status, 302);
    assert.equal(new URL(guest.headers.get('location')).pathname, '/login');
  });

  it('logs Alice and Bob in and shows each in the other\'s presence list', async () => {
    pages.alice = await loginAs(browser, app.url, 'alice');
    await waitEvent(pages.alice, 'here', { ids: ['alice'] });
    await waitEvent(pages.alice, 'signed-in');

    pages.bob = await loginAs(browser, app.url, 'bob');
    const here = await waitEvent(pages.bob, 'here');
    assert.deepEqual([...here.ids].sort(), ['alice', 'bob']);
    await waitEvent(pages.alice, 'joining', { id: 'bob' });
    await waitEvent(pages.bob, 'signed-in');

    assert.deepEqual((await listItems(pages.alice, 'members')).sort(), ['Alice (you)', 'Bob']);
    // The member_added webhook came back into Laravel as a Pogo\WebSocket\Events\MemberAdded event.
    await waitLog(app, /webhook: bob joined presence-room/);
    assert.deepEqual((await listItems(pages.bob, 'members')).sort(), ['Alice', 'Bob (you)']);
  });

  it('refuses Mallory the room with a 403 and a forbidden private channel too', async () => {
    pages.mallory = await loginAs(browser, app.url, 'mallory');
    assert.deepEqual(await waitEvent(pages.mallory, 'room-error'), { kind: 'room-error', status: 403 });
    assert.match(await pages.mallory.textContent('[data-testid="room-error"]'), /403/);

    const status = await pages.mallory.evaluate(() => new Promise((resolve) => {
      window.Echo.private('users.alice').error((s) => resolve(s?.status ?? s?.error?.status ?? String(s)));
    }));
    assert.equal(status, 403);

    const direct = await postFromPage(pages.mallory, '/pogo/auth', { socket_id: '1.1', channel_name: 'presence-room' });
    assert.equal(direct.status, 403);
    const post = await postFromPage(pages.mallory, '/messages', { text: 'let me in' });
    assert.equal(post.status, 403);
  });

  it('shows Bob typing to Alice through a whisper (client event)', async () => {
    await pages.bob.type('[data-testid="text"]', 'Hi');
    await waitEvent(pages.alice, 'typing', { id: 'bob', name: 'Bob' });
    assert.match(await pages.alice.textContent('[data-testid="typing"]'), /Bob is typing/);
  });

  it('exchanges messages, each sent toOthers so nobody gets their own back', async () => {
    await pages.bob.fill('[data-testid="text"]', '');
    await pages.alice.fill('[data-testid="text"]', 'Hello Bob');
    await pages.alice.click('[data-testid="send"]');
    const m1 = await waitEvent(pages.bob, 'message', { text: 'Hello Bob' });
    assert.deepEqual(m1.user, { id: 'alice', name: 'Alice' });

    await pages.bob.fill('[data-testid="text"]', 'Hi Alice');
    await pages.bob.click('[data-testid="send"]');
    await waitEvent(pages.alice, 'message', { text: 'Hi Alice' });

    // Alice's own message was published before Bob's reply on the same
    // channel, so had it been delivered to her socket it would be here already.
    assert.deepEqual((await events(pages.alice, 'message')).map((e) => e.text), ['Hi Alice']);
    assert.deepEqual((await events(pages.bob, 'message')).map((e) => e.text), ['Hello Bob']);
    assert.deepEqual(await listItems(pages.alice, 'messages'), ['AliceHello Bob', 'BobHi Alice']);
  });

  it('rejects a bad message with 422 and broadcasts nothing', async () => {
    const empty = await postFromPage(pages.alice, '/messages', { text: '' });
    assert.equal(empty.status, 422);
    assert.deepEqual(empty.body.errors, { text: ['The text field is required.'] });
    assert.equal((await postFromPage(pages.alice, '/messages', { text: 'x'.repeat(501) })).status, 422);
    assert.equal((await postFromPage(pages.alice, '/nudge', { to: 'nobody' })).status, 422);
  });

  it('delivers a queued private nudge from Alice to Bob through the queue worker (HTTP API path)', async () => {
    await pages.alice.click('[data-testid="nudge-bob"]');
    await waitEvent(pages.alice, 'nudge-sent', { to: 'bob', status: 202 });
    const worker = await app.queueWork();
    assert.match(worker.stdout, /UserNudged/);
    assert.doesNotMatch(worker.stdout, /Fail/i);
    const nudge = await waitEvent(pages.bob, 'nudge');
    assert.deepEqual(nudge.from, { id: 'alice', name: 'Alice' });
    assert.match(await pages.bob.textContent('[data-testid="notifications"]'), /Alice nudged you/);
  });

  it('sends a server-to-user notice from Bob to Alice only', async () => {
    await pages.bob.click('[data-testid="notice-alice"]');
    const notice = await waitEvent(pages.alice, 'notice');
    assert.equal(notice.text, 'Bob says hello from the server.');

    // A later event on Bob's own connection: anything meant for him would be queued before it.
    await pages.alice.fill('[data-testid="text"]', 'bye');
    await pages.alice.click('[data-testid="send"]');
    await waitEvent(pages.bob, 'message', { text: 'bye' });
    assert.deepEqual(await events(pages.bob, 'notice'), []);
  });

  it('shows Bob leaving when his tab closes, and the delayed member_removed webhook', async () => {
    const bob = pages.bob;
    assert.deepEqual(bob.errors, [], 'bob: page errors');
    await screenshot(bob, 'bob');
    delete pages.bob;
    await bob.context().close();
    await waitEvent(pages.alice, 'leaving', { id: 'bob' });
    assert.deepEqual(await listItems(pages.alice, 'members'), ['Alice (you)']);
    await waitLog(app, /webhook: bob left presence-room/);
  });

  it('gave Mallory no room events and no page errors anywhere', async () => {
    // The public feed is public; nothing from presence-room reached her.
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
