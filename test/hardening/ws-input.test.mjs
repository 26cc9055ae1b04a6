// Hostile WebSocket input against the real pogo-server: each case gets a
// clear answer (pusher:error and/or a close code) and a bystander client
// keeps receiving events afterwards.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { WireClient, frame, closeBody } from './lib/wire.mjs';
import { startServer, appPath, publish, stats, figure } from './lib/server.mjs';

let server;
let bystander;
let seq = 0;
const clients = new Set();

async function client() {
  const c = new WireClient(server.wsUrl, appPath());
  clients.add(c);
  await c.open();
  await c.established();
  return c;
}

/** Publishes to the bystander's channel and waits for the event. */
async function stillServing() {
  const tag = `n${++seq}`;
  const r = await publish(server, 'bystander', 'tick', { tag });
  assert.equal(r.status, 200, r.body);
  await bystander.until(() => bystander.events.some((e) => e.event === 'tick' && e.data.includes(tag)), `tick ${tag}`);
}

/**
 * Asserts the server sent pusher:error and then a close frame with code, and
 * ended TCP. The pusher:error carries code for Pusher codes (4000-4399) and
 * null for WebSocket-level close codes, which are not Pusher error codes.
 */
async function closedWith(c, code) {
  assert.equal(await c.closed(), code, `close code (events ${JSON.stringify(c.events).slice(0, 300)})`);
  const err = c.events.find((e) => e.event === 'pusher:error');
  assert.ok(err, 'a pusher:error precedes the close');
  assert.equal(err.data.code, code >= 4000 ? code : null);
  assert.ok(err.data.message.length > 0, 'the error says why');
  await stillServing();
}

describe('hostile WebSocket input (pogo-server)', () => {
  before(async () => {
    server = await startServer(['-write-wait', '2s']);
    bystander = await client();
    await bystander.send({ event: 'pusher:subscribe', data: { channel: 'bystander' } });
    await bystander.until(() => bystander.events.some((e) => e.event === 'pusher_internal:subscription_succeeded'), 'subscription');
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await server?.stop();
  });

  it('malformed JSON gets a pusher:error and the connection stays', async () => {
    const c = await client();
    await c.write(frame('{"event":'));
    await c.write(frame('[1,2,3]'));
    await c.write(frame('{"event":"pusher:subscribe","data":"not an object"}'));
    await c.until(() => c.events.filter((e) => e.event === 'pusher:error').length >= 3, 'three errors');
    await c.send({ event: 'pusher:ping', data: {} });
    await c.until(() => c.events.some((e) => e.event === 'pusher:pong'), 'pong after bad input');
    await stillServing();
  });

  it('a text frame that is not UTF-8 closes with 1007', async () => {
    const c = await client();
    await c.write(frame(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])));
    await closedWith(c, 1007);
  });

  it('a binary frame closes with 1003', async () => {
    const c = await client();
    await c.write(frame(Buffer.from('{"event":"pusher:ping"}'), { op: 2 }));
    await closedWith(c, 1003);
  });

  it('a frame declaring 1 GiB closes with 1009 before any payload is read', async () => {
    const c = await client();
    await c.write(frame(Buffer.alloc(0), { length: 1 << 30 }));
    await closedWith(c, 1009);
  });

  it('a frame declaring 2^63 bytes closes with 1002', async () => {
    const c = await client();
    const f = Buffer.from([0x81, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]);
    await c.write(f);
    await closedWith(c, 1002);
  });

  it('a message above 64 KiB in many fragments closes with 1009', async () => {
    const c = await client();
    const chunk = Buffer.alloc(1000, 0x61);
    const parts = [frame(chunk, { fin: false, op: 1 })];
    for (let i = 0; i < 80; i++) parts.push(frame(chunk, { fin: false, op: 0 }));
    await c.write(Buffer.concat(parts));
    await closedWith(c, 1009);
  });

  it('a flood of 20,000 empty fragments ending in a valid message is handled', async () => {
    const c = await client();
    const parts = [frame('{"event":"pusher:ping",', { fin: false, op: 1 })];
    for (let i = 0; i < 20_000; i++) parts.push(frame('', { fin: false, op: 0 }));
    parts.push(frame('"data":{}}', { fin: true, op: 0 }));
    await c.write(Buffer.concat(parts));
    await c.until(() => c.events.some((e) => e.event === 'pusher:pong'), 'pong after the fragment flood');
    await stillServing();
  });

  it('a continuation frame without a start closes with 1002', async () => {
    const c = await client();
    await c.write(frame('x', { op: 0 }));
    await closedWith(c, 1002);
  });

  it('an unmasked client frame closes with 1002', async () => {
    const c = await client();
    await c.write(frame('{"event":"pusher:ping","data":{}}', { mask: false }));
    await closedWith(c, 1002);
  });

  it('reserved bits and reserved opcodes close with 1002', async () => {
    for (const opts of [{ rsv: 4 }, { op: 3 }, { op: 0xb }]) {
      const c = await client();
      await c.write(frame('{}', opts));
      await closedWith(c, 1002);
    }
  });

  it('a fragmented or oversized control frame closes with 1002', async () => {
    for (const f of [frame('p', { op: 9, fin: false }), frame(Buffer.alloc(126), { op: 9 })]) {
      const c = await client();
      await c.write(f);
      await closedWith(c, 1002);
    }
  });

  it('invalid close codes are answered with 1002, a bad close reason with 1007', async () => {
    for (const code of [999, 1004, 1005, 1006, 1015, 2000, 5000]) {
      const c = await client();
      await c.write(frame(closeBody(code), { op: 8 }));
      await closedWith(c, 1002);
    }
    const c = await client();
    await c.write(frame(closeBody(1000, Buffer.from([0xc3, 0x28])), { op: 8 }));
    await closedWith(c, 1007);
  });

  it('a valid client close is echoed and the connection ends', async () => {
    const c = await client();
    await c.write(frame(closeBody(4000, 'bye'), { op: 8 }));
    assert.equal(await c.closed(), 4000);
    await stillServing();
  });

  it('a ping flood from a reading client gets every pong', async () => {
    const c = await client();
    const n = 5000;
    const parts = [];
    for (let i = 0; i < n; i++) parts.push(frame(Buffer.from(String(i)), { op: 9 }));
    const t0 = Date.now();
    await c.write(Buffer.concat(parts));
    await c.until(() => c.pongs.length === n, `${n} pongs`, 60_000);
    figure('ws.ping_flood', { pings: n, ms: Date.now() - t0 });
    assert.equal(c.pongs[n - 1].toString(), String(n - 1));
    await stillServing();
  });

  it('a ping flood from a client that never reads is cut off, not buffered without bound', async () => {
    const c = await client();
    c.socket.pause();
    const big = Buffer.alloc(125, 0x70);
    const batch = Buffer.concat(Array.from({ length: 1000 }, () => frame(big, { op: 9 })));
    let sent = 0;
    const t0 = Date.now();
    const before = (await stats(server)).hub;
    // Keep sending until the server gives up on the client (write queue or write deadline).
    while (!c.socket.destroyed && sent < 400_000 && Date.now() - t0 < 60_000) {
      const ok = c.socket.write(batch);
      sent += 1000;
      if (!ok) await Promise.race([new Promise((r) => c.socket.once('drain', r)), new Promise((r) => setTimeout(r, 200))]);
      const s = (await stats(server)).hub;
      if ((s.closes[4101] ?? 0) > (before.closes[4101] ?? 0) || (s.drops.write_failed ?? 0) > (before.drops.write_failed ?? 0)) break;
    }
    const after = (await stats(server)).hub;
    figure('ws.ping_flood_not_reading', { pings_sent: sent, ms: Date.now() - t0, closes4101: (after.closes[4101] ?? 0) - (before.closes[4101] ?? 0), write_failed: (after.drops.write_failed ?? 0) - (before.drops.write_failed ?? 0) });
    assert.ok((after.closes[4101] ?? 0) > (before.closes[4101] ?? 0) || (after.drops.write_failed ?? 0) > (before.drops.write_failed ?? 0), 'the server dropped the client');
    c.destroy();
    await stillServing();
  });

  it('unknown pusher: events and pusher_internal: events from a client get a pusher:error', async () => {
    const c = await client();
    await c.send({ event: 'pusher:hack', data: {} });
    await c.send({ event: 'pusher_internal:subscription_succeeded', channel: 'bystander', data: '{}' });
    await c.send({ event: 'pusher_internal:member_added', channel: 'presence-x', data: '{"user_id":"1"}' });
    await c.until(() => c.events.filter((e) => e.event === 'pusher:error').length >= 3, 'three errors');
    assert.ok(!bystander.events.some((e) => e.event?.startsWith('pusher_internal:member')), 'nothing relayed');
    await stillServing();
  });

  it('a wrong protocol version is refused with its close code', async () => {
    for (const [q, code] of [['protocol=8', 4007], ['protocol=abc', 4006]]) {
      const c = new WireClient(server.wsUrl, `/app/${server.key}?${q}`);
      clients.add(c);
      await c.open();
      assert.equal(await c.closed(), code, q);
    }
    await stillServing();
  });
});
