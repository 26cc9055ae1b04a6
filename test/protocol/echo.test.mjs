// laravel-echo 2.5 against the server (PROTOCOL.md §A.13): broadcaster
// 'reverb' (no cluster) and 'pusher' with wsHost, channel().listen with
// Laravel's namespaced and dotted event names, private().listen,
// encryptedPrivate(), join().here/joining/leaving, whisper on presence, and
// toOthers() through Echo.socketId().

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { protocolSuite, echo, sdk, withTimeout, uniq, barrier } from './harness.mjs';

/** Resolves with the Echo channel once subscribed. */
function ready(ch) {
  return withTimeout(new Promise((resolve, reject) => {
    ch.subscribed(() => resolve(ch));
    ch.error((e) => reject(Object.assign(new Error('echo subscription error'), { detail: e })));
  }), 'echo subscription');
}

/** Resolves with the first payload passed to register(callback). */
function first(register, what) {
  return withTimeout(new Promise((resolve) => register(resolve)), what);
}

protocolSuite('laravel-echo', {}, (ctx) => {
  it("broadcaster 'reverb': channel().listen gets a namespaced Laravel event", async () => {
    const e = echo(ctx.target);
    const name = uniq('orders-');
    const ch = await ready(e.channel(name));
    const got = first((cb) => ch.listen('OrderShipped', cb), 'OrderShipped');
    await sdk(ctx.target).trigger(name, 'App\\Events\\OrderShipped', { order: { id: 7 } });
    assert.deepEqual(await got, { order: { id: 7 } });
  });

  it("listen('.name') gets a broadcastAs() event without namespace", async () => {
    const e = echo(ctx.target);
    const name = uniq('feed-');
    const ch = await ready(e.channel(name));
    const got = first((cb) => ch.listen('.post.created', cb), '.post.created');
    await sdk(ctx.target).trigger(name, 'post.created', { id: 1 });
    assert.deepEqual(await got, { id: 1 });
  });

  it("broadcaster 'pusher' with cluster and wsHost works the same", async () => {
    const e = echo(ctx.target, {}, { broadcaster: 'pusher', cluster: 'mt1' });
    const name = uniq('pusher-bc-');
    const ch = await ready(e.channel(name));
    const got = first((cb) => ch.listen('.ping', cb), '.ping');
    await sdk(ctx.target).trigger(name, 'ping', { ok: true });
    assert.deepEqual(await got, { ok: true });
  });

  it('private().listen receives events after channel authorization', async () => {
    const e = echo(ctx.target);
    const room = uniq('user-');
    const ch = await ready(e.private(room));
    const got = first((cb) => ch.listen('.balance.updated', cb), 'balance.updated');
    await sdk(ctx.target).trigger(`private-${room}`, 'balance.updated', { balance: 10 });
    assert.deepEqual(await got, { balance: 10 });
  });

  it('encryptedPrivate().listen decrypts events', async () => {
    const e = echo(ctx.target);
    const room = uniq('vault-');
    const ch = await ready(e.encryptedPrivate(room));
    const got = first((cb) => ch.listen('.opened', cb), 'opened');
    await sdk(ctx.target).trigger(`private-encrypted-${room}`, 'opened', { code: 1234 });
    assert.deepEqual(await got, { code: 1234 });
  });

  it('private() reports a refused authorization through error()', async () => {
    const e = echo(ctx.target, { refuse: () => true });
    const err = await first((cb) => e.private(uniq('no-')).error(cb), 'echo error');
    assert.ok(err);
  });

  it('join(): here, joining and leaving', async () => {
    const room = uniq('lobby-');
    const ann = echo(ctx.target, { user: { id: 'ann', user_info: { name: 'Ann' } } });
    const hereAnn = first((cb) => ann.join(room).here(cb), 'here (ann)');
    assert.deepEqual(await hereAnn, [{ name: 'Ann' }]);
    const joining = first((cb) => ann.join(room).joining(cb), 'joining');
    const bob = echo(ctx.target, { user: { id: 'bob', user_info: { name: 'Bob' } } });
    const hereBob = await first((cb) => bob.join(room).here(cb), 'here (bob)');
    assert.deepEqual(hereBob.map((u) => u.name).sort(), ['Ann', 'Bob']);
    assert.deepEqual(await joining, { name: 'Bob' });
    const leaving = first((cb) => ann.join(room).leaving(cb), 'leaving');
    bob.leave(room);
    assert.deepEqual(await leaving, { name: 'Bob' });
  });

  it('join().whisper reaches listenForWhisper of other members', async () => {
    const room = uniq('chat-');
    const ann = echo(ctx.target, { user: { id: 'w-ann', user_info: {} } });
    const bob = echo(ctx.target, { user: { id: 'w-bob', user_info: {} } });
    await first((cb) => ann.join(room).here(cb), 'here (ann)');
    await first((cb) => bob.join(room).here(cb), 'here (bob)');
    const heard = first((cb) => bob.join(room).listenForWhisper('typing', cb), 'whisper');
    ann.join(room).whisper('typing', { name: 'Ann' });
    assert.deepEqual(await heard, { name: 'Ann' });
  });

  it('toOthers(): Echo.socketId() excludes the sender', async () => {
    const name = uniq('others-');
    const me = echo(ctx.target);
    const you = echo(ctx.target);
    const [mine, yours] = await Promise.all([ready(me.channel(name)), ready(you.channel(name))]);
    const mineGot = [];
    mine.listen('.said', (d) => mineGot.push(d));
    const yoursGot = first((cb) => yours.listen('.said', cb), 'said');
    assert.match(me.socketId(), /^\d+\.\d+$/);
    await sdk(ctx.target).trigger(name, 'said', { t: 1 }, { socket_id: me.socketId() });
    await yoursGot;
    await barrier(sdk(ctx.target), me.connector.pusher.channel(name));
    assert.deepEqual(mineGot, []);
  });
});
