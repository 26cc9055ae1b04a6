// subscription_count (PROTOCOL.md §A.4, §A.11): opt-in per app, emitted by
// pusher-js as pusher:subscription_count, never on presence channels; the
// HTTP API reports it with info=subscription_count.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { protocolSuite, connect, subscribed, sdk, record, barrier, uniq, eventually } from './harness.mjs';

const counts = (rec) => rec.items.map((d) => d.subscription_count);

protocolSuite('subscription_count enabled', { profile: 'subcount', server: { subscriptionCount: true } }, (ctx) => {
  it('tells subscribers the number of subscriptions as it changes', async () => {
    const name = uniq('counted-');
    const a = connect(ctx.target);
    const cha = a.subscribe(name);
    const seen = record(cha, 'pusher:subscription_count');
    await subscribed(a, name);
    await seen.waitFor((d) => d.subscription_count === 1);
    const b = connect(ctx.target);
    await subscribed(b, name);
    await seen.waitFor((d) => d.subscription_count === 2);
    assert.equal(cha.subscriptionCount, 2, 'pusher-js keeps the last count on the channel');
    b.unsubscribe(name);
    await seen.waitFor((d, i) => d.subscription_count === 1 && i > counts(seen).indexOf(2));
  });

  it('counts every connection of the channel (not distinct users)', async () => {
    const name = uniq('private-counted-');
    const clients = [connect(ctx.target), connect(ctx.target), connect(ctx.target)];
    const first = clients[0].subscribe(name);
    const seen = record(first, 'pusher:subscription_count');
    await Promise.all(clients.map((c) => subscribed(c, name)));
    await seen.waitFor((d) => d.subscription_count === 3);
  });

  it('never sends subscription_count on presence channels', async () => {
    const name = uniq('presence-');
    const a = connect(ctx.target, { user: { id: 'sc-a' } });
    const b = connect(ctx.target, { user: { id: 'sc-b' } });
    const cha = a.subscribe(name);
    const seen = record(cha, 'pusher:subscription_count');
    await subscribed(a, name);
    await subscribed(b, name);
    await barrier(sdk(ctx.target), cha);
    assert.deepEqual(seen.items, []);
  });

  it('reports subscription_count through GET /channels/{name}', async () => {
    const name = uniq('api-counted-');
    const a = connect(ctx.target);
    const b = connect(ctx.target);
    await Promise.all([subscribed(a, name), subscribed(b, name)]);
    const body = await eventually(async () => {
      const res = await sdk(ctx.target).get({ path: `/channels/${name}`, params: { info: 'subscription_count' } });
      const j = await res.json();
      return j.subscription_count === 2 && j;
    }, 'subscription_count 2 via the API');
    assert.equal(body.occupied, true);
  });
});

protocolSuite('subscription_count disabled (default)', {}, (ctx) => {
  it('sends no subscription_count unless the app opts in', async () => {
    const name = uniq('uncounted-');
    const a = connect(ctx.target);
    const cha = a.subscribe(name);
    const seen = record(cha, 'pusher:subscription_count');
    await subscribed(a, name);
    const b = connect(ctx.target);
    await subscribed(b, name);
    await barrier(sdk(ctx.target), cha);
    assert.deepEqual(seen.items, []);
  });
});
