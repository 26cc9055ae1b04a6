// Cache channels (PROTOCOL.md §A.4, §A.5, Pitfalls): the last event is kept
// even without subscribers and replayed first on subscribe; an empty cache
// gives pusher:cache_miss after subscription_succeeded.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { protocolSuite, connect, subscribed, sdk, once, record, barrier, uniq, RawClient, wsUrl } from './harness.mjs';

/** Index of the first message of a raw client matching event (and channel). */
const indexOf = (raw, event, channel) => raw.messages.items.findIndex((m) => m.event === event && (!channel || m.channel === channel));

protocolSuite('cache channels', {}, (ctx) => {
  it('pusher-js gets pusher:cache_miss on an empty cache channel', async () => {
    const name = uniq('cache-');
    const p = connect(ctx.target);
    const ch = p.subscribe(name);
    const miss = once(ch, 'pusher:cache_miss');
    await subscribed(p, name);
    await miss;
  });

  it('sends cache_miss after subscription_succeeded on the wire', async () => {
    const name = uniq('cache-');
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    await raw.subscribe(name);
    const miss = await raw.next('pusher:cache_miss');
    assert.equal(miss.channel, name);
    assert.ok(indexOf(raw, 'pusher_internal:subscription_succeeded', name) < indexOf(raw, 'pusher:cache_miss', name));
  });

  it('replays the cached event first to a new subscriber, published without subscribers', async () => {
    const name = uniq('cache-');
    const api = sdk(ctx.target);
    await api.trigger(name, 'price', { v: 1 });
    await api.trigger(name, 'price', { v: 2 });
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    await raw.subscribe(name);
    const cached = await raw.next('price');
    assert.deepEqual(cached.data, { v: 2 }, 'only the last event is cached');
    const ok = indexOf(raw, 'pusher_internal:subscription_succeeded', name);
    assert.equal(indexOf(raw, 'price', name), ok + 1, 'the cached event comes right after subscription_succeeded');
    await barrier(api, raw, name);
    assert.equal(indexOf(raw, 'pusher:cache_miss'), -1, 'no cache_miss on a hit');
    assert.equal(raw.messages.items.filter((m) => m.event === 'price').length, 1);
  });

  it('pusher-js receives the cached event on subscribe', async () => {
    const name = uniq('cache-');
    await sdk(ctx.target).trigger(name, 'state', { s: 'ready' });
    const p = connect(ctx.target);
    const ch = p.subscribe(name);
    const got = once(ch, 'state');
    await subscribed(p, name);
    assert.deepEqual(await got, { s: 'ready' });
  });

  it('caches on private-cache- channels for authorized subscribers', async () => {
    const name = uniq('private-cache-');
    await sdk(ctx.target).trigger(name, 'secret-state', { n: 7 });
    const p = connect(ctx.target);
    const ch = p.subscribe(name);
    const got = once(ch, 'secret-state');
    await subscribed(p, name);
    assert.deepEqual(await got, { n: 7 });
  });

  it('caches on presence-cache- channels', async () => {
    const name = uniq('presence-cache-');
    const p = connect(ctx.target, { user: { id: 'cacher', user_info: {} } });
    const ch = p.subscribe(name);
    const miss = once(ch, 'pusher:cache_miss');
    await subscribed(p, name);
    await miss;
    await sdk(ctx.target).trigger(name, 'roster', { r: 1 });
    const q = connect(ctx.target, { user: { id: 'late', user_info: {} } });
    const qch = q.subscribe(name);
    const got = once(qch, 'roster');
    await subscribed(q, name);
    assert.deepEqual(await got, { r: 1 });
  });

  it('caches encrypted payloads on private-encrypted-cache- channels', async () => {
    const name = uniq('private-encrypted-cache-');
    await sdk(ctx.target).trigger(name, 'sealed', { k: 'v' });
    const p = connect(ctx.target);
    const ch = p.subscribe(name);
    const got = once(ch, 'sealed');
    await subscribed(p, name);
    assert.deepEqual(await got, { k: 'v' });
  });

  it('delivers live events on a cache channel after a miss', async () => {
    const name = uniq('cache-');
    const api = sdk(ctx.target);
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    await raw.subscribe(name);
    await raw.next('pusher:cache_miss');
    await api.trigger(name, 'live', { l: 1 });
    const live = await raw.next('live');
    assert.deepEqual(live.data, { l: 1 }, 'live events still flow to subscribers');
  });

  it('never sends cache_miss on ordinary channels', async () => {
    const name = uniq('plain-');
    const p = connect(ctx.target);
    const ch = p.subscribe(name);
    const misses = record(ch, 'pusher:cache_miss');
    await subscribed(p, name);
    await barrier(sdk(ctx.target), ch);
    assert.equal(misses.items.length, 0);
  });
});
