// The chat scenario's steps, shared by chat.test.mjs (one node) and
// cluster.test.mjs (two nodes through Redis): each takes the browser pages
// ({alice, bob, mallory}) and asserts what a user of the example sees.
// What differs between the suites (where each user logs in, how the queue
// worker runs, which logs to read) is passed in.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './app.mjs';
import { loginAs, waitEvent, events, listItems, WAIT_MS } from './browser.mjs';

const ARTIFACTS = join(REPO_ROOT, 'test-results', 'e2e');

/** Saves test-results/e2e/<prefix><name>.png; never fails the test. */
export async function screenshot(page, name, prefix = '') {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${prefix}${name}.png`), fullPage: true }).catch(() => {});
}

/** Waits (generously) until logs() matches re. */
export async function waitLog(logs, re) {
  const deadline = Date.now() + WAIT_MS;
  while (!re.test(logs())) {
    if (Date.now() > deadline) assert.fail(`no log line matching ${re}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Logs Alice in at urlA, then Bob at urlB; each sees both in the presence list. */
export async function aliceAndBobMeet(browser, pages, urlA, urlB) {
  pages.alice = await loginAs(browser, urlA, 'alice');
  await waitEvent(pages.alice, 'here', { ids: ['alice'] });
  await waitEvent(pages.alice, 'signed-in');

  pages.bob = await loginAs(browser, urlB, 'bob');
  const here = await waitEvent(pages.bob, 'here');
  assert.deepEqual([...here.ids].sort(), ['alice', 'bob']);
  await waitEvent(pages.alice, 'joining', { id: 'bob' });
  await waitEvent(pages.bob, 'signed-in');

  assert.deepEqual((await listItems(pages.alice, 'members')).sort(), ['Alice (you)', 'Bob']);
  assert.deepEqual((await listItems(pages.bob, 'members')).sort(), ['Alice', 'Bob (you)']);
}

/** Logs Mallory in at url: the room and Alice's private channel answer 403. */
export async function malloryRefused(browser, pages, url) {
  pages.mallory = await loginAs(browser, url, 'mallory');
  assert.deepEqual(await waitEvent(pages.mallory, 'room-error'), { kind: 'room-error', status: 403 });
  assert.match(await pages.mallory.textContent('[data-testid="room-error"]'), /403/);

  const status = await pages.mallory.evaluate(() => new Promise((resolve) => {
    window.Echo.private('users.alice').error((s) => resolve(s?.status ?? s?.error?.status ?? String(s)));
  }));
  assert.equal(status, 403);
}

/** Bob types; Alice sees the whisper (a client event). */
export async function bobTypes(pages) {
  await pages.bob.type('[data-testid="text"]', 'Hi');
  await waitEvent(pages.alice, 'typing', { id: 'bob', name: 'Bob' });
  assert.match(await pages.alice.textContent('[data-testid="typing"]'), /Bob is typing/);
}

/** Alice and Bob exchange messages sent toOthers: nobody gets their own back. */
export async function exchangeMessages(pages) {
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
}

/** Alice nudges Bob; runWorker() runs the queue worker, which publishes through the HTTP API. */
export async function nudgeThroughQueue(pages, runWorker) {
  await pages.alice.click('[data-testid="nudge-bob"]');
  await waitEvent(pages.alice, 'nudge-sent', { to: 'bob', status: 202 });
  const worker = await runWorker();
  assert.match(worker.stdout, /UserNudged/);
  assert.doesNotMatch(worker.stdout, /Fail/i);
  const nudge = await waitEvent(pages.bob, 'nudge');
  assert.deepEqual(nudge.from, { id: 'alice', name: 'Alice' });
  assert.match(await pages.bob.textContent('[data-testid="notifications"]'), /Alice nudged you/);
}

/** Bob sends a server-to-user notice that reaches Alice and only her. */
export async function noticeToAliceOnly(pages) {
  await pages.bob.click('[data-testid="notice-alice"]');
  const notice = await waitEvent(pages.alice, 'notice');
  assert.equal(notice.text, 'Bob says hello from the server.');

  // A later event on Bob's own connection: anything meant for him would be queued before it.
  await pages.alice.fill('[data-testid="text"]', 'bye');
  await pages.alice.click('[data-testid="send"]');
  await waitEvent(pages.bob, 'message', { text: 'bye' });
  assert.deepEqual(await events(pages.bob, 'notice'), []);
}

/** Bob's tab closes (screenshot first); Alice sees him leave. */
export async function bobLeaves(pages, prefix = '') {
  const bob = pages.bob;
  assert.deepEqual(bob.errors, [], 'bob: page errors');
  await screenshot(bob, 'bob', prefix);
  delete pages.bob;
  await bob.context().close();
  await waitEvent(pages.alice, 'leaving', { id: 'bob' });
  assert.deepEqual(await listItems(pages.alice, 'members'), ['Alice (you)']);
}

/** Mallory got the public feed but nothing of the room; no page has errors. */
export async function malloryGotNothing(pages) {
  await waitEvent(pages.mallory, 'message', { text: 'bye' });
  const kinds = new Set((await events(pages.mallory)).map((e) => e.kind));
  for (const k of ['here', 'joining', 'leaving', 'typing', 'nudge', 'notice']) {
    assert.equal(kinds.has(k), false, `Mallory got a ${k} event`);
  }
  assert.deepEqual(await listItems(pages.mallory, 'members'), []);
  assert.equal((await events(pages.alice, 'joining')).some((e) => e.id === 'mallory'), false);
  for (const [name, page] of Object.entries(pages)) assert.deepEqual(page.errors, [], `${name}: page errors`);
}
