// Limits (PROTOCOL.md §A.5, §A.9, §A.11; pusher.DefaultLimits): channel
// names (200 characters, [A-Za-z0-9_\-=@,.;]), payload 10 KB (413),
// 100 channels per trigger, 10 events per batch, 200-character event names,
// 1000 subscriptions per connection and max connections (4100).

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { protocolSuite, sdk, uniq, RawClient, wsUrl, eventually, httpStatus } from './harness.mjs';


const name200 = (prefix) => prefix + 'n'.repeat(200 - prefix.length);

protocolSuite('limits', {}, (ctx) => {
  it('accepts a 200-character channel name and refuses 201 over WebSocket', async () => {
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    const ok = name200(uniq('l-'));
    assert.equal((await raw.subscribe(ok)).event, 'pusher_internal:subscription_succeeded');
    const reply = await raw.subscribe(`${ok}x`);
    assert.equal(reply.event, 'pusher:error');
    assert.ok(reply.data.message);
  });

  for (const bad of ['has space', 'bang!', 'ünïcode', 'slash/name', '']) {
    it(`refuses the channel name ${JSON.stringify(bad)} over WebSocket`, async () => {
      const raw = new RawClient(wsUrl(ctx.target));
      await raw.established();
      const reply = await raw.subscribe(bad);
      assert.equal(reply.event, 'pusher:error');
    });
  }

  it('accepts every allowed punctuation character in channel names', async () => {
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    const reply = await raw.subscribe(`${uniq('ok-')}_-=@,.;AZaz09`);
    assert.equal(reply.event, 'pusher_internal:subscription_succeeded');
  });

  it('refuses a subscribe without a channel', async () => {
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    raw.send({ event: 'pusher:subscribe', data: {} });
    assert.ok((await raw.next('pusher:error')).data.message);
  });

  it('HTTP API: 10240-byte data is accepted, 10241 bytes is 413', async () => {
    const api = sdk(ctx.target);
    const name = uniq('size-');
    assert.equal(await httpStatus(api.trigger(name, 'big', 'x'.repeat(10240))), 200);
    assert.equal(await httpStatus(api.trigger(name, 'big', 'x'.repeat(10241))), 413);
  });

  it('HTTP API: 100 channels per trigger are accepted, 101 is 400', async () => {
    const api = sdk(ctx.target);
    const channels = Array.from({ length: 101 }, (_, i) => `fan-${i}`);
    assert.equal(await httpStatus(api.trigger(channels.slice(0, 100), 'e', {})), 200);
    const body = { name: 'e', data: '{}', channels };
    assert.equal(await httpStatus(api.post({ path: '/events', body })), 400);
  });

  it('HTTP API: 10 events per batch are accepted, 11 is 400', async () => {
    const api = sdk(ctx.target);
    const batch = Array.from({ length: 11 }, (_, i) => ({ channel: `b-${i}`, name: 'e', data: '{}' }));
    assert.equal(await httpStatus(api.post({ path: '/batch_events', body: { batch: batch.slice(0, 10) } })), 200);
    assert.equal(await httpStatus(api.post({ path: '/batch_events', body: { batch } })), 400);
  });

  it('HTTP API: an oversized event inside a batch is 413', async () => {
    const api = sdk(ctx.target);
    const batch = [{ channel: 'ok', name: 'e', data: '{}' }, { channel: 'big', name: 'e', data: 'x'.repeat(10241) }];
    assert.equal(await httpStatus(api.post({ path: '/batch_events', body: { batch } })), 413);
  });

  it('HTTP API: event names above 200 characters are 400', async () => {
    const api = sdk(ctx.target);
    assert.equal(await httpStatus(api.post({ path: '/events', body: { name: 'e'.repeat(201), data: '{}', channels: ['c'] } })), 400);
    assert.equal(await httpStatus(api.post({ path: '/events', body: { name: 'e'.repeat(200), data: '{}', channels: ['c'] } })), 200);
  });

  it('HTTP API: invalid channel names are 400', async () => {
    const api = sdk(ctx.target);
    for (const channel of ['n'.repeat(201), 'bad channel', 'ünïcode']) {
      assert.equal(await httpStatus(api.post({ path: '/events', body: { name: 'e', data: '{}', channels: [channel] } })), 400, channel);
    }
  });

  it('HTTP API: a missing name, data or channel is 400', async () => {
    const api = sdk(ctx.target);
    for (const body of [{ data: '{}', channels: ['c'] }, { name: 'e', channels: ['c'] }, { name: 'e', data: '{}' }, { name: 'e', data: '{}', channels: [] }]) {
      assert.equal(await httpStatus(api.post({ path: '/events', body })), 400, JSON.stringify(body));
    }
  });

  it('HTTP API: a body that is not an event object is 400', async () => {
    const api = sdk(ctx.target);
    const res = await httpStatus(api.post({ path: '/events', body: 'not json' }));
    assert.equal(res, 400);
  });

  it('refuses subscriptions beyond 1000 per connection', async () => {
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    const base = uniq('many-');
    for (let i = 0; i < 1000; i++) raw.send({ event: 'pusher:subscribe', data: { channel: `${base}-${i}` } });
    const okCount = () => raw.messages.items.filter((m) => m.event === 'pusher_internal:subscription_succeeded').length;
    await raw.next(() => okCount() === 1000, 30_000);
    const reply = await raw.subscribe(`${base}-1000`);
    assert.equal(reply.event, 'pusher:error');
  });
});

protocolSuite('max connections', { profile: 'maxconn', server: { maxConnections: 3 } }, (ctx) => {
  it('closes connections beyond the limit with 4100 and accepts again after one leaves', async () => {
    const first = [1, 2, 3].map(() => new RawClient(wsUrl(ctx.target)));
    await Promise.all(first.map((c) => c.established()));
    const extra = new RawClient(wsUrl(ctx.target));
    const { code } = await extra.closeInfo();
    assert.equal(code, 4100);
    const err = extra.messages.items.find((m) => m.event === 'pusher:error');
    assert.equal(err?.data?.code, 4100, 'a pusher:error precedes the close');
    await first[0].close();
    await eventually(async () => {
      const c = new RawClient(wsUrl(ctx.target));
      const outcome = await Promise.race([c.established().then(() => true), c.closed.then(() => false)]);
      if (!outcome) return false;
      await c.close();
      return true;
    }, 'a free slot after a disconnect');
  });
});
