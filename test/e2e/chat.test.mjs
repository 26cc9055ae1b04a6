// End to end, the way a Laravel developer meets Pogo WebSocket: bin/frankenphp
// serves examples/laravel-app (app worker, dedicated auth worker,
// pogo_websocket with the in-memory broker) and Laravel Echo runs in
// Debian's headless Chromium. Alice and Bob chat in two browser contexts;
// Mallory is refused by the room. Screenshots land in test-results/e2e/.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startExample } from './lib/app.mjs';
import { launch, postFromPage } from './lib/browser.mjs';
import {
  screenshot, waitLog, aliceAndBobMeet, malloryRefused, bobTypes, exchangeMessages,
  nudgeThroughQueue, noticeToAliceOnly, bobLeaves, malloryGotNothing,
} from './lib/steps.mjs';

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
    await aliceAndBobMeet(browser, pages, app.url, app.url);
    // The member_added webhook came back into Laravel as a Pogo\WebSocket\Events\MemberAdded event.
    await waitLog(() => app.logs(), /webhook: bob joined presence-room/);
  });

  it('refuses Mallory the room with a 403 and a forbidden private channel too', async () => {
    await malloryRefused(browser, pages, app.url);
    const direct = await postFromPage(pages.mallory, '/pogo/auth', { socket_id: '1.1', channel_name: 'presence-room' });
    assert.equal(direct.status, 403);
    const post = await postFromPage(pages.mallory, '/messages', { text: 'let me in' });
    assert.equal(post.status, 403);
  });

  it('shows Bob typing to Alice through a whisper (client event)', async () => {
    await bobTypes(pages);
  });

  it('exchanges messages, each sent toOthers so nobody gets their own back', async () => {
    await exchangeMessages(pages);
  });

  it('rejects a bad message with 422 and broadcasts nothing', async () => {
    const empty = await postFromPage(pages.alice, '/messages', { text: '' });
    assert.equal(empty.status, 422);
    assert.deepEqual(empty.body.errors, { text: ['The text field is required.'] });
    assert.equal((await postFromPage(pages.alice, '/messages', { text: 'x'.repeat(501) })).status, 422);
    assert.equal((await postFromPage(pages.alice, '/nudge', { to: 'nobody' })).status, 422);
  });

  it('delivers a queued private nudge from Alice to Bob through the queue worker (HTTP API path)', async () => {
    await nudgeThroughQueue(pages, () => app.queueWork());
  });

  it('sends a server-to-user notice from Bob to Alice only', async () => {
    await noticeToAliceOnly(pages);
  });

  it('shows Bob leaving when his tab closes, and the delayed member_removed webhook', async () => {
    await bobLeaves(pages);
    await waitLog(() => app.logs(), /webhook: bob left presence-room/);
  });

  it('gave Mallory no room events and no page errors anywhere', async () => {
    // The public feed is public; nothing from presence-room reached her.
    await malloryGotNothing(pages);
  });
});
