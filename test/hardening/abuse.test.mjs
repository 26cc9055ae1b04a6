// Connection-level abuse against the real pogo-server: clients that never
// finish their handshake, slowloris headers, oversized headers, subscribe
// floods, a slow consumer, and forged or replayed auth. Figures are printed
// (FIGURE lines) for docs/reliability.md; nothing asserts a duration.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { createHmac } from 'node:crypto';
import { WireClient } from './lib/wire.mjs';
import { startServer, appPath, publish, stats, figure, channelAuth, sleep } from './lib/server.mjs';

let server;
const clients = new Set();

async function client() {
  const c = new WireClient(server.wsUrl, appPath());
  clients.add(c);
  await c.open();
  await c.established();
  return c;
}

/** Subscribes c to channel with data; resolves with the answer event. */
async function subscribe(c, channel, data = {}) {
  const n = c.events.length;
  await c.send({ event: 'pusher:subscribe', data: { channel, ...data } });
  await c.until(() => c.events.slice(n).some((e) => e.channel === channel || e.event === 'pusher:error'), `answer for ${channel}`);
  return c.events.slice(n).find((e) => e.channel === channel || e.event === 'pusher:error');
}

/** Opens a TCP connection, optionally trickling bytes; resolves with {ms, response} when the server closes it. */
function rawTcp(trickle = null, everyMs = 1000) {
  return new Promise((resolve) => {
    const u = new URL(server.apiUrl);
    const t0 = Date.now();
    let response = '';
    let timer;
    const s = connect(Number(u.port), u.hostname, () => {
      if (!trickle) return;
      let i = 0;
      timer = setInterval(() => { if (i < trickle.length) s.write(trickle[i++]); }, everyMs);
    });
    s.on('data', (d) => { response += d; });
    s.on('error', () => {});
    s.on('close', () => { clearInterval(timer); resolve({ ms: Date.now() - t0, response }); });
    setTimeout(() => s.destroy(), 60_000); // never left open by the test
  });
}

describe('connection abuse (pogo-server)', () => {
  before(async () => { server = await startServer(['-write-wait', '2s']); });
  after(async () => {
    for (const c of clients) c.destroy();
    await server?.stop();
  });

  it('a silent TCP connection and slowloris headers are both cut at the header timeout (10 s)', async () => {
    const req = 'GET /app/x HTTP/1.1\r\nHost: a\r\nX-Slow: ' + 'a'.repeat(200);
    const [silent, slow] = await Promise.all([rawTcp(), rawTcp([...req], 500)]);
    figure('http.silent_connection_closed_after_ms', silent.ms);
    figure('http.slowloris_closed_after_ms', slow.ms);
    assert.ok(silent.ms < 60_000 && slow.ms < 60_000, 'closed by the server, not by the test');
  });

  it('request headers above 64 KiB get 431', async () => {
    const r = await fetch(`${server.apiUrl}/app/${server.key}`, { headers: { 'X-Big': 'b'.repeat(70_000) } }).catch((e) => e);
    assert.equal(r.status, 431);
  });

  it('hundreds of idle handshake-less sockets do not stop the server from serving', async () => {
    const before = await stats(server);
    const socks = [];
    const u = new URL(server.apiUrl);
    for (let i = 0; i < 300; i++) socks.push(connect(Number(u.port), u.hostname).on('error', () => {}));
    await sleep(300);
    const c = await client();
    assert.ok(c.socketId);
    const during = await stats(server);
    figure('http.idle_sockets_300', { goroutines_before: before.goroutines, goroutines_during: during.goroutines, fds_during: during.open_fds });
    for (const s of socks) s.destroy();
  });

  it('a subscribe flood of 10,000 channels on one connection stops at the 1000 limit and the connection keeps working', async () => {
    const c = await client();
    const before = await stats(server, true);
    const t0 = Date.now();
    const batch = [];
    for (let i = 0; i < 10_000; i++) batch.push(c.send({ event: 'pusher:subscribe', data: { channel: `flood-${i}` } }));
    await Promise.all(batch);
    const done = () => c.events.filter((e) => e.event === 'pusher_internal:subscription_succeeded' || e.event === 'pusher:error').length >= 10_000;
    await c.until(done, '10,000 answers', 120_000);
    const ok = c.events.filter((e) => e.event === 'pusher_internal:subscription_succeeded').length;
    const errs = c.events.filter((e) => e.event === 'pusher:error');
    const afterStats = await stats(server, true);
    figure('ws.subscribe_flood_10000', { accepted: ok, refused: errs.length, ms: Date.now() - t0, heap_before: before.heap_alloc_bytes, heap_after: afterStats.heap_alloc_bytes, error: errs[0]?.data });
    assert.equal(ok, 1000);
    assert.equal(errs.length, 9000);
    const r = await publish(server, 'flood-999', 'still', {});
    assert.equal(r.status, 200);
    await c.until(() => c.events.some((e) => e.event === 'still'), 'event on a flooded connection');
  });

  it('a slow consumer is disconnected (4101) and other subscribers get every event', async () => {
    const slow = await client();
    const fast = await client();
    await subscribe(slow, 'firehose');
    await subscribe(fast, 'firehose');
    slow.socket.pause();
    const before = (await stats(server)).hub;
    const data = 'x'.repeat(9000);
    let sent = 0;
    const t0 = Date.now();
    for (; sent < 3000; sent++) {
      const r = await publish(server, 'firehose', 'big', data);
      assert.equal(r.status, 200);
      if (sent % 50 === 49) {
        const s = (await stats(server)).hub;
        if ((s.closes[4101] ?? 0) > (before.closes[4101] ?? 0)) { sent++; break; }
      }
    }
    const afterStats = (await stats(server)).hub;
    const cut = (afterStats.closes[4101] ?? 0) - (before.closes[4101] ?? 0);
    await fast.until(() => fast.events.filter((e) => e.event === 'big').length === sent, `${sent} events on the fast client`, 60_000);
    slow.socket.resume();
    const code = await slow.closed(30_000).catch(() => 'not closed');
    figure('ws.slow_consumer', { events_until_cut: sent, bytes_published: sent * 9000, ms: Date.now() - t0, closes4101: cut, slow_client_saw: code, slow_drops: afterStats.drops });
    assert.ok(cut >= 1, 'the slow client was cut with 4101');
    // slow_consumer counts slow subscribers (the write that overflowed), not
    // the events offered to them afterwards.
    for (let i = 0; i < 20; i++) assert.equal((await publish(server, 'firehose', 'after', 'x')).status, 200);
    const drops = ((await stats(server)).hub.drops.slow_consumer ?? 0) - (before.drops.slow_consumer ?? 0);
    assert.equal(drops, cut, 'one slow_consumer drop per client cut');
  });

  it('an auth signature replayed on another connection is refused, and the private channel stays private', async () => {
    const a = await client();
    const b = await client();
    const ch = 'private-vault';
    const auth = channelAuth(server, a.socketId, ch);
    assert.equal((await subscribe(a, ch, { auth })).event, 'pusher_internal:subscription_succeeded');
    const refused = await subscribe(b, ch, { auth });
    assert.equal(refused.event, 'pusher:error', JSON.stringify(refused));
    // A signature for another socket id, another channel, another app key, an empty one, junk.
    const forged = [
      channelAuth(server, '1.1', ch),
      channelAuth(server, b.socketId, 'private-other'),
      `other-key:${channelAuth(server, b.socketId, ch).split(':')[1]}`,
      '', ':', `${server.key}:`, `${server.key}:${'0'.repeat(64)}`, `${server.key}:${'z'.repeat(10_000)}`,
    ];
    for (const f of forged) assert.equal((await subscribe(b, ch, { auth: f })).event, 'pusher:error', f.slice(0, 40));
    const r = await publish(server, ch, 'secret', { s: 1 });
    assert.equal(r.status, 200);
    await a.until(() => a.events.some((e) => e.event === 'secret'), 'authorized subscriber gets the event');
    await b.send({ event: 'pusher:ping', data: {} });
    await b.until(() => b.events.some((e) => e.event === 'pusher:pong'), 'barrier');
    assert.ok(!b.events.some((e) => e.event === 'secret'), 'the unauthorized client never sees the event');
  });

  it('presence channel_data that differs from the signed bytes is refused', async () => {
    const c = await client();
    const ch = 'presence-room';
    const signed = '{"user_id":"1","user_info":{"name":"a"}}';
    const auth = channelAuth(server, c.socketId, ch, signed);
    for (const data of ['{"user_id":"2","user_info":{"name":"a"}}', '{"user_id":"1", "user_info":{"name":"a"}}', '{"user_id":"1","user_info":{"name":"a"}} ']) {
      assert.equal((await subscribe(c, ch, { auth, channel_data: data })).event, 'pusher:error', data);
    }
    assert.equal((await subscribe(c, ch, { auth, channel_data: signed })).event, 'pusher_internal:subscription_succeeded');
  });

  it("#server-to-user- of another user is refused, signed in or not", async () => {
    const c = await client();
    assert.equal((await subscribe(c, '#server-to-user-7')).event, 'pusher:error');
    const userData = '{"id":"6"}';
    const sig = createHmac('sha256', server.secret).update(`${c.socketId}::user::${userData}`).digest('hex');
    await c.send({ event: 'pusher:signin', data: { auth: `${server.key}:${sig}`, user_data: userData } });
    await c.until(() => c.events.some((e) => e.event === 'pusher:signin_success'), 'signin');
    assert.equal((await subscribe(c, '#server-to-user-7')).event, 'pusher:error');
    assert.equal((await subscribe(c, '#server-to-user-6')).event, 'pusher_internal:subscription_succeeded');
  });

  it('a client event is never relayed without an authorized subscription', async () => {
    const a = await client();
    const b = await client();
    const ch = 'private-chat';
    await subscribe(a, ch, { auth: channelAuth(server, a.socketId, ch) });
    await b.send({ event: 'client-spoof', channel: ch, data: {} });
    await b.until(() => b.events.some((e) => e.event === 'pusher:error'), 'refusal');
    await a.send({ event: 'pusher:ping', data: {} });
    await a.until(() => a.events.some((e) => e.event === 'pusher:pong'), 'barrier');
    assert.ok(!a.events.some((e) => e.event === 'client-spoof'));
  });
});
