// Several apps on one server (-apps FILE): apps are isolated from each
// other (same channel names, separate subscribers, separate credentials)
// and settings such as client events apply per app.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { protocolSuite, connect, subscribed, sdk, once, record, barrier, uniq, RawClient, wsUrl, signedUrl, httpStatus } from './harness.mjs';

const APPS = [
  { id: 'app-loud', key: 'app-loud-key', secret: 'app-loud-secret-0123456789', client_events: true },
  { id: 'app-quiet', key: 'app-quiet-key', secret: 'app-quiet-secret-0123456789', client_events: false },
  { id: 'app-off', key: 'app-off-key', secret: 'app-off-secret-0123456789', disabled: true },
  { id: 'app-tight', key: 'app-tight-key', secret: 'app-tight-secret-0123456789', limits: { max_payload_bytes: 100, max_channel_name_length: 20 } },
];

/** The target seen as its i-th app. */
const asApp = (target, i) => ({ ...target, ...target.apps[i] });

/** A raw client of app subscribed to a private channel. */
async function rawPrivate(app, channel) {
  const raw = new RawClient(wsUrl(app));
  const { socket_id: socketId } = await raw.established();
  const reply = await raw.subscribe(channel, sdk(app).authorizeChannel(socketId, channel));
  assert.equal(reply.event, 'pusher_internal:subscription_succeeded', reply.raw);
  return raw;
}

protocolSuite('several apps', { profile: 'multiapp', apps: APPS }, (ctx) => {
  it('connects with each enabled app key', async () => {
    for (const i of [0, 1, 3]) {
      const raw = new RawClient(wsUrl(asApp(ctx.target, i)));
      await raw.established();
    }
  });

  it('keeps events of one app away from the same channel name in another', async () => {
    const loud = asApp(ctx.target, 0);
    const quiet = asApp(ctx.target, 1);
    const name = uniq('shared-');
    const a = connect(loud);
    const b = connect(quiet);
    const [ca, cb] = await Promise.all([subscribed(a, name), subscribed(b, name)]);
    const leaked = record(cb, 'only-loud');
    const got = once(ca, 'only-loud');
    await sdk(loud).trigger(name, 'only-loud', { x: 1 });
    await got;
    await barrier(sdk(quiet), cb);
    assert.equal(leaked.items.length, 0);
  });

  it("refuses a channel signature made with another app's secret", async () => {
    const loud = asApp(ctx.target, 0);
    const quiet = asApp(ctx.target, 1);
    const raw = new RawClient(wsUrl(loud));
    const { socket_id: socketId } = await raw.established();
    const name = uniq('private-');
    const { auth } = sdk({ ...quiet, key: loud.key }).authorizeChannel(socketId, name);
    const reply = await raw.subscribe(name, { auth });
    assert.notEqual(reply.event, 'pusher_internal:subscription_succeeded');
  });

  it("refuses an HTTP API request signed with another app's credentials (401)", async () => {
    const loud = asApp(ctx.target, 0);
    const quiet = asApp(ctx.target, 1);
    const body = JSON.stringify({ name: 'e', data: '{}', channels: ['c'] });
    const url = signedUrl({ ...loud, key: quiet.key }, 'POST', '/events', body, {}, quiet.secret);
    const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 401);
  });

  it('applies client_events per app', async () => {
    const name = uniq('private-');
    const loud = asApp(ctx.target, 0);
    const quiet = asApp(ctx.target, 1);
    const [ls, lr] = [await rawPrivate(loud, name), await rawPrivate(loud, name)];
    ls.send({ event: 'client-hi', channel: name, data: {} });
    await lr.next('client-hi');
    const [qs, qr] = [await rawPrivate(quiet, name), await rawPrivate(quiet, name)];
    qs.send({ event: 'client-hi', channel: name, data: {} });
    const err = await qs.next('pusher:error');
    assert.equal(err.data.code, 4301);
    await barrier(sdk(quiet), qr, name);
    assert.ok(!qr.messages.items.some((m) => m.event === 'client-hi'));
  });

  it('closes connections to a disabled app with 4003', async () => {
    const raw = new RawClient(wsUrl(asApp(ctx.target, 2)));
    const { code } = await raw.closeInfo();
    assert.equal(code, 4003);
  });

  it('refuses HTTP API publishes to a disabled app with 403', async () => {
    assert.equal(await httpStatus(sdk(asApp(ctx.target, 2)).trigger(uniq('c-'), 'e', {})), 403);
  });

  it('applies per-app limits from the apps file', async () => {
    const tight = asApp(ctx.target, 3);
    assert.equal(await httpStatus(sdk(tight).trigger('short', 'e', 'x'.repeat(100))), 200);
    assert.equal(await httpStatus(sdk(tight).trigger('short', 'e', 'x'.repeat(101))), 413);
    const raw = new RawClient(wsUrl(tight));
    await raw.established();
    assert.equal((await raw.subscribe('c'.repeat(20))).event, 'pusher_internal:subscription_succeeded');
    assert.equal((await raw.subscribe('c'.repeat(21))).event, 'pusher:error');
  });
});

