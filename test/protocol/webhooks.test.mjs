// Webhooks (PROTOCOL.md §A.12): a receiver in the test process gets signed
// POSTs {time_ms, events}; the official SDK validates X-Pusher-Key and
// X-Pusher-Signature. Covers channel_occupied/vacated, member_added/removed,
// client_event (user_id on presence) and cache_miss.

import { it, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { protocolSuite, connect, subscribed, sdk, uniq, RawClient, wsUrl, recorder } from './harness.mjs';

/** An HTTP receiver recording every webhook request as {headers, rawBody, body}. */
function webhookReceiver() {
  const waiters = new Set();
  const rec = recorder([], waiters, 'webhook');
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let body;
      try {
        body = JSON.parse(raw);
      } catch {
        body = null;
      }
      rec.items.push({ headers: req.headers, rawBody: raw, body });
      for (const w of waiters) w.check();
      res.writeHead(200).end('{}');
    });
  });
  const url = new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}/webhooks`)));
  return { rec, url, close: () => new Promise((r) => server.close(r)) };
}

/** Started by the suite's before hook, so a skipped file opens no port. */
let receiver;

/** Waits for a webhook event matching predicate and returns {event, request}. */
async function hook(predicate, what) {
  const req = await receiver.rec.waitFor((r) => r.body?.events?.some(predicate), undefined, what);
  return { event: req.body.events.find(predicate), request: req };
}

async function startReceiver() {
  receiver = webhookReceiver();
  return { webhookUrl: await receiver.url };
}

protocolSuite('webhooks', { hubOnly: true, server: startReceiver }, (ctx) => {
  after(() => receiver?.close());

  it('sends channel_occupied, signed for the app and valid for the SDK', async () => {
    const name = uniq('hooked-');
    const p = connect(ctx.target);
    await subscribed(p, name);
    const { event, request } = await hook((e) => e.name === 'channel_occupied' && e.channel === name, 'channel_occupied');
    assert.deepEqual(event, { name: 'channel_occupied', channel: name });
    assert.equal(request.headers['x-pusher-key'], ctx.target.key);
    assert.ok(Number.isInteger(request.body.time_ms));
    const wh = sdk(ctx.target).webhook({ headers: request.headers, rawBody: request.rawBody });
    assert.equal(wh.isValid(), true, 'X-Pusher-Signature is the HMAC-SHA256 of the body with the app secret');
  });

  it('sends channel_vacated once the last subscriber leaves', async () => {
    const name = uniq('vacated-');
    const p = connect(ctx.target);
    await subscribed(p, name);
    await hook((e) => e.name === 'channel_occupied' && e.channel === name, 'channel_occupied');
    p.unsubscribe(name);
    await hook((e) => e.name === 'channel_vacated' && e.channel === name, 'channel_vacated');
  });

  it('sends member_added and member_removed with the user id', async () => {
    const name = uniq('presence-hook-');
    const p = connect(ctx.target, { user: { id: 'hooked-user', user_info: {} } });
    await subscribed(p, name);
    await hook((e) => e.name === 'member_added' && e.channel === name && e.user_id === 'hooked-user', 'member_added');
    p.unsubscribe(name);
    await hook((e) => e.name === 'member_removed' && e.channel === name && e.user_id === 'hooked-user', 'member_removed');
  });

  it('sends client_event with socket_id, and user_id on presence', async () => {
    const name = uniq('presence-chat-');
    const a = connect(ctx.target, { user: { id: 'talker', user_info: {} } });
    const b = connect(ctx.target, { user: { id: 'hearer', user_info: {} } });
    const [ca] = await Promise.all([subscribed(a, name), subscribed(b, name)]);
    ca.trigger('client-said', { w: 1 });
    const { event } = await hook((e) => e.name === 'client_event' && e.channel === name, 'client_event');
    assert.equal(event.event, 'client-said');
    assert.deepEqual(JSON.parse(event.data), { w: 1 });
    assert.equal(event.socket_id, a.connection.socket_id);
    assert.equal(event.user_id, 'talker');
  });

  it('sends cache_miss for an empty cache channel', async () => {
    const name = uniq('cache-hook-');
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    await raw.subscribe(name);
    await hook((e) => e.name === 'cache_miss' && e.channel === name, 'cache_miss');
  });
});
