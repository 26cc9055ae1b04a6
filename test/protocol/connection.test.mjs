// Connection handshake, client pings and the close codes of refused
// connections (PROTOCOL.md §A.1, §A.4, §A.7, §A.8).

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { protocolSuite, connect, connected, RawClient, wsUrl, uniq } from './harness.mjs';

const SOCKET_ID = /^\d+\.\d+$/;

protocolSuite('connection', {}, (ctx) => {
  it('pusher-js connects and gets a socket id of the form \\d+.\\d+', async () => {
    const p = connect(ctx.target);
    const socketId = await connected(p);
    assert.match(socketId, SOCKET_ID);
  });

  it('connection_established is double-encoded with a positive activity_timeout', async () => {
    const raw = new RawClient(wsUrl(ctx.target));
    const m = await raw.next('pusher:connection_established');
    assert.equal(typeof m.rawData, 'string', 'data must be a JSON-encoded string');
    assert.match(m.data.socket_id, SOCKET_ID);
    assert.ok(Number.isInteger(m.data.activity_timeout), 'activity_timeout is an integer (seconds)');
    assert.ok(m.data.activity_timeout > 0, 'pusher-js refuses a missing or zero activity_timeout');
  });

  it('socket ids are unique per connection', async () => {
    const clients = [1, 2, 3, 4].map(() => new RawClient(wsUrl(ctx.target)));
    const ids = await Promise.all(clients.map((c) => c.established().then((d) => d.socket_id)));
    assert.equal(new Set(ids).size, ids.length);
  });

  it('answers pusher:ping with pusher:pong', async () => {
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    raw.send({ event: 'pusher:ping', data: {} });
    const pong = await raw.next('pusher:pong');
    assert.equal(pong.channel, undefined);
  });

  it('accepts the query string without client/version (protocol only)', async () => {
    const raw = new RawClient(wsUrl(ctx.target, ctx.target.key, { client: null, version: null, flash: null }));
    const d = await raw.established();
    assert.match(d.socket_id, SOCKET_ID);
  });

  it('closes an unknown app key with 4001 after a pusher:error', async () => {
    const raw = new RawClient(wsUrl(ctx.target, `no-such-key-${uniq()}`));
    const { code } = await raw.closeInfo();
    assert.equal(code, 4001);
    const err = raw.messages.items.find((m) => m.event === 'pusher:error');
    assert.ok(err, 'a pusher:error precedes the close');
    assert.equal(err.data.code, 4001);
    assert.ok(!raw.messages.items.some((m) => m.event === 'pusher:connection_established'));
  });

  for (const [label, query, code] of [
    ['no protocol parameter', { protocol: null }, 4008],
    ['an empty protocol parameter', { protocol: '' }, 4008],
    ['a non-numeric protocol', { protocol: 'seven' }, 4006],
    ['protocol 99', { protocol: '99' }, 4007],
    ['protocol 1', { protocol: '1' }, 4007],
  ]) {
    it(`closes ${label} with ${code}`, async () => {
      const raw = new RawClient(wsUrl(ctx.target, ctx.target.key, query));
      const info = await raw.closeInfo();
      assert.equal(info.code, code);
      const err = raw.messages.items.find((m) => m.event === 'pusher:error');
      assert.ok(err, 'a pusher:error precedes the close');
      assert.equal(err.data.code, code);
    });
  }

  it('answers malformed JSON with a pusher:error and keeps serving others', async () => {
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    raw.sendText('{"event":"pusher:subscribe","data":');
    const err = await raw.next('pusher:error');
    assert.ok(typeof err.data.message === 'string' && err.data.message.length > 0, 'error has a message');
    const other = new RawClient(wsUrl(ctx.target));
    await other.established();
  });

  it('answers a message without an event with a pusher:error', async () => {
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    raw.send({ data: { channel: 'x' } });
    const err = await raw.next('pusher:error');
    assert.ok(err.data.message);
  });

  it('rejects binary frames (error or close, never silence)', async () => {
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    raw.sendBinary(Buffer.from(JSON.stringify({ event: 'pusher:ping', data: {} })));
    const outcome = await Promise.race([
      raw.next('pusher:error').then(() => 'error'),
      raw.closed.then(({ code }) => `close ${code}`),
    ]);
    assert.ok(outcome === 'error' || /^close (1003|4\d{3})$/.test(outcome), `got ${outcome}`);
    assert.ok(!raw.messages.items.some((m) => m.event === 'pusher:pong'), 'a binary ping is not answered');
  });

  it('closes a connection that sends a message above the inbound limit (64 KiB)', async () => {
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    raw.send({ event: 'client-big', channel: 'private-x', data: 'x'.repeat(70 * 1024) });
    const { code } = await raw.closeInfo();
    assert.ok(code === 1009 || code >= 4000, `close code ${code}`);
  });

  it('answers an unknown pusher: event with a pusher:error', async () => {
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    raw.send({ event: 'pusher:no_such_event', data: {} });
    const err = await raw.next('pusher:error');
    assert.ok(err.data.message);
  });
});
