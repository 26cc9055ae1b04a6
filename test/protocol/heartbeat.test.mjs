// Server-initiated heartbeats (PROTOCOL.md §A.7): with a 1 s ping period
// the server pings idle clients with pusher:ping and closes those that do
// not answer within the pong wait with 4201. pusher-js answers and stays.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { protocolSuite, connect, connected, RawClient, wsUrl, record } from './harness.mjs';

protocolSuite('heartbeat', { profile: 'fastping', server: { pingPeriod: '1s', pongWait: '2s', activityTimeout: '7s' } }, (ctx) => {
  it('pings an idle client with pusher:ping and keeps it while it answers', async () => {
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    const pings = () => raw.messages.items.filter((m) => m.event === 'pusher:ping').length;
    for (let i = 1; i <= 2; i++) {
      await raw.next(() => pings() >= i, 20_000);
      raw.send({ event: 'pusher:pong', data: {} });
    }
    // A third ping only comes if the server kept the connection after the pongs.
    await raw.next(() => pings() >= 3, 20_000);
    assert.equal(raw.ws.readyState, raw.ws.OPEN);
  });

  it('closes a client that never answers with 4201 after a pusher:error', async () => {
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    const { code } = await raw.closeInfo(20_000);
    assert.equal(code, 4201);
    assert.ok(raw.messages.items.some((m) => m.event === 'pusher:ping'), 'the server pinged before giving up');
    const err = raw.messages.items.find((m) => m.event === 'pusher:error');
    assert.ok(err, 'a pusher:error precedes the close');
    assert.equal(err.data.code, 4201);
  });

  it('pusher-js answers server pings and keeps its connection', async () => {
    const p = connect(ctx.target);
    const socketId = await connected(p);
    const states = record(p.connection, 'state_change');
    // Two full ping/pong-wait cycles, proven by two silent clients being dropped.
    for (let i = 0; i < 2; i++) {
      const silent = new RawClient(wsUrl(ctx.target));
      await silent.established();
      assert.equal((await silent.closeInfo(20_000)).code, 4201);
    }
    assert.equal(p.connection.state, 'connected');
    assert.equal(p.connection.socket_id, socketId);
    assert.deepEqual(states.items, [], 'no reconnect happened');
    states.stop();
  });

  it('advertises the configured activity_timeout in seconds', async () => {
    const raw = new RawClient(wsUrl(ctx.target));
    const { activity_timeout: seconds } = await raw.established();
    assert.equal(seconds, 7);
  });

  it('answers a client pusher:ping even while the server is pinging', async () => {
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    raw.send({ event: 'pusher:ping', data: {} });
    await raw.next('pusher:pong');
  });
});
