// Public channels fed by the HTTP API through the official `pusher` SDK:
// single and multi-channel trigger, batch_events, socket_id exclusion
// (Laravel's toOthers()) and unsubscribe (PROTOCOL.md §A.4, §A.11).

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { protocolSuite, connect, connected, subscribed, sdk, once, record, barrier, uniq, RawClient, wsUrl } from './harness.mjs';

protocolSuite('public channels', {}, (ctx) => {
  it('confirms a public subscription and delivers a triggered event', async () => {
    const name = uniq('pub-');
    const p = connect(ctx.target);
    const ch = await subscribed(p, name);
    const got = once(ch, 'greeting');
    await sdk(ctx.target).trigger(name, 'greeting', { hello: 'world', n: 1 });
    assert.deepEqual(await got, { hello: 'world', n: 1 });
  });

  it('sends subscription_succeeded and events in the documented wire shape', async () => {
    const name = uniq('pub-');
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    const ok = await raw.subscribe(name);
    assert.equal(ok.event, 'pusher_internal:subscription_succeeded');
    assert.equal(ok.channel, name);
    await sdk(ctx.target).trigger(name, 'shape', { a: [1, 2] });
    const m = await raw.next('shape');
    assert.equal(m.channel, name);
    assert.equal(typeof m.rawData, 'string', 'event data is a JSON string on the wire');
    assert.equal(m.rawData, '{"a":[1,2]}', 'the data string is relayed byte for byte');
  });

  it('relays a plain string payload unchanged', async () => {
    const name = uniq('pub-');
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    await raw.subscribe(name);
    await sdk(ctx.target).trigger(name, 'text', 'just a string');
    const m = await raw.next('text');
    assert.equal(m.rawData, 'just a string');
  });

  it('delivers one trigger to several channels', async () => {
    const names = [uniq('multi-a-'), uniq('multi-b-'), uniq('multi-c-')];
    const p = connect(ctx.target);
    const chans = await Promise.all(names.map((n) => subscribed(p, n)));
    const got = chans.map((ch) => once(ch, 'fanout'));
    await sdk(ctx.target).trigger(names, 'fanout', { x: 1 });
    for (const d of await Promise.all(got)) assert.deepEqual(d, { x: 1 });
  });

  it('delivers every event of a batch_events call', async () => {
    const a = uniq('batch-a-');
    const b = uniq('batch-b-');
    const p = connect(ctx.target);
    const [ca, cb] = await Promise.all([subscribed(p, a), subscribed(p, b)]);
    const ra = record(ca, 'batched');
    const rb = record(cb, 'batched');
    await sdk(ctx.target).triggerBatch([
      { channel: a, name: 'batched', data: { i: 1 } },
      { channel: b, name: 'batched', data: { i: 2 } },
      { channel: a, name: 'batched', data: { i: 3 } },
    ]);
    assert.deepEqual(await ra.count(2), [{ i: 1 }, { i: 3 }], 'in publish order');
    assert.deepEqual(await rb.count(1), [{ i: 2 }]);
  });

  it('excludes the socket_id given to trigger (toOthers)', async () => {
    const name = uniq('others-');
    const sender = connect(ctx.target);
    const other = connect(ctx.target);
    const senderId = await connected(sender);
    const [cs, co] = await Promise.all([subscribed(sender, name), subscribed(other, name)]);
    const rs = record(cs, 'said');
    const ro = record(co, 'said');
    await sdk(ctx.target).trigger(name, 'said', { t: 'hi' }, { socket_id: senderId });
    await ro.count(1);
    await barrier(sdk(ctx.target), cs);
    assert.equal(rs.items.length, 0, 'the excluded socket got nothing');
  });

  it('excludes the socket_id in batch events too', async () => {
    const name = uniq('others-batch-');
    const sender = connect(ctx.target);
    const senderId = await connected(sender);
    const other = connect(ctx.target);
    const [cs, co] = await Promise.all([subscribed(sender, name), subscribed(other, name)]);
    const rs = record(cs, 'said');
    const ro = record(co, 'said');
    await sdk(ctx.target).triggerBatch([{ channel: name, name: 'said', data: { t: 1 }, socket_id: senderId }]);
    await ro.count(1);
    await barrier(sdk(ctx.target), cs);
    assert.equal(rs.items.length, 0);
  });

  it('stops delivering after unsubscribe', async () => {
    const name = uniq('unsub-');
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    await raw.subscribe(name);
    raw.send({ event: 'pusher:unsubscribe', data: { channel: name } });
    // The ping round trip orders the unsubscribe before the trigger.
    raw.send({ event: 'pusher:ping', data: {} });
    await raw.next('pusher:pong');
    const witness = new RawClient(wsUrl(ctx.target));
    await witness.established();
    await witness.subscribe(name);
    await sdk(ctx.target).trigger(name, 'late', { x: 1 });
    await barrier(sdk(ctx.target), witness, name);
    // The shard has fanned 'late' out; had raw got it, it precedes this pong.
    raw.send({ event: 'pusher:ping', data: {} });
    await raw.next((m) => m.event === 'pusher:pong' && raw.messages.items.filter((x) => x.event === 'pusher:pong').length === 2);
    assert.ok(!raw.messages.items.some((m) => m.event === 'late'));
  });

  it('subscribing twice to the same channel does not duplicate events', async () => {
    const name = uniq('twice-');
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    await raw.subscribe(name);
    raw.send({ event: 'pusher:subscribe', data: { channel: name } });
    raw.send({ event: 'pusher:ping', data: {} });
    await raw.next('pusher:pong');
    await sdk(ctx.target).trigger(name, 'once', { x: 1 });
    await barrier(sdk(ctx.target), raw, name);
    assert.equal(raw.messages.items.filter((m) => m.event === 'once').length, 1);
  });
});
