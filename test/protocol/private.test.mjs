// Private and encrypted channels (PROTOCOL.md §A.5, §A.6): the auth
// endpoint in the test process signs with the `pusher` SDK; a forged
// signature or a missing auth is refused and no event is received.
// Encrypted channels: the SDK encrypts with the master key, pusher-js
// decrypts with the shared_secret from the auth response; the server only
// relays {nonce, ciphertext}.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { protocolSuite, connect, connected, subscribed, refused, sdk, once, record, barrier, uniq, RawClient, wsUrl } from './harness.mjs';

protocolSuite('private channels', {}, (ctx) => {
  it('subscribes through the auth endpoint and receives events', async () => {
    const name = uniq('private-');
    const p = connect(ctx.target);
    const ch = await subscribed(p, name);
    const got = once(ch, 'secret');
    await sdk(ctx.target).trigger(name, 'secret', { v: 42 });
    assert.deepEqual(await got, { v: 42 });
  });

  it('refuses a bad signature with a subscription error and delivers nothing', async () => {
    const name = uniq('private-');
    const p = connect(ctx.target, { badSignature: true });
    await connected(p);
    const ch = p.subscribe(name);
    const events = record(ch, 'secret');
    const how = await refused(p, ch);
    assert.ok(JSON.stringify(how.data ?? '').length > 2, 'the refusal explains itself');
    assert.equal(ch.subscribed, false);
    await sdk(ctx.target).trigger(name, 'secret', { v: 1 });
    // A correctly authorized subscriber proves the event went out.
    const good = connect(ctx.target);
    const gch = await subscribed(good, name);
    await barrier(sdk(ctx.target), gch);
    p.connection.send_event('pusher:ping', {});
    await once(p.connection, 'message', (m) => m?.event === 'pusher:pong');
    assert.equal(events.items.length, 0);
  });

  it('the refusal reaches the raw client as pusher:error or pusher:subscription_error', async () => {
    const name = uniq('private-');
    const raw = new RawClient(wsUrl(ctx.target));
    const { socket_id: socketId } = await raw.established();
    const forged = `${ctx.target.key}:${'0'.repeat(64)}`;
    const reply = await raw.subscribe(name, { auth: forged });
    assert.notEqual(reply.event, 'pusher_internal:subscription_succeeded');
    assert.ok(['pusher:error', 'pusher:subscription_error'].includes(reply.event), reply.event);
    assert.ok(JSON.stringify(reply.data).length > 2, 'the error explains itself');
    assert.match(socketId, /^\d+\.\d+$/);
  });

  it('refuses a private subscription without auth', async () => {
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    const reply = await raw.subscribe(uniq('private-'));
    assert.notEqual(reply.event, 'pusher_internal:subscription_succeeded');
  });

  it('refuses a signature made for another socket id', async () => {
    const name = uniq('private-');
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    const { auth } = sdk(ctx.target).authorizeChannel('1234.5678', name);
    const reply = await raw.subscribe(name, { auth });
    assert.notEqual(reply.event, 'pusher_internal:subscription_succeeded');
  });

  it('refuses a signature made for another channel', async () => {
    const raw = new RawClient(wsUrl(ctx.target));
    const { socket_id: socketId } = await raw.established();
    const { auth } = sdk(ctx.target).authorizeChannel(socketId, 'private-other');
    const reply = await raw.subscribe(uniq('private-'), { auth });
    assert.notEqual(reply.event, 'pusher_internal:subscription_succeeded');
  });

  it('refuses an auth carrying another app key', async () => {
    const name = uniq('private-');
    const raw = new RawClient(wsUrl(ctx.target));
    const { socket_id: socketId } = await raw.established();
    const { auth } = sdk(ctx.target).authorizeChannel(socketId, name);
    const sig = auth.split(':')[1];
    const reply = await raw.subscribe(name, { auth: `someone-else:${sig}` });
    assert.notEqual(reply.event, 'pusher_internal:subscription_succeeded');
  });

  it('accepts a raw subscription signed as the documented HMAC', async () => {
    const name = uniq('private-');
    const raw = new RawClient(wsUrl(ctx.target));
    const { socket_id: socketId } = await raw.established();
    const { auth } = sdk(ctx.target).authorizeChannel(socketId, name);
    const reply = await raw.subscribe(name, { auth });
    assert.equal(reply.event, 'pusher_internal:subscription_succeeded');
  });

  it('encrypted channel: pusher-js decrypts what the SDK encrypted', async () => {
    const name = uniq('private-encrypted-');
    const p = connect(ctx.target);
    const ch = await subscribed(p, name);
    const got = once(ch, 'sealed');
    await sdk(ctx.target).trigger(name, 'sealed', { card: '4242', who: 'ünïcødé' });
    assert.deepEqual(await got, { card: '4242', who: 'ünïcødé' });
  });

  it('encrypted channel: the server relays only nonce and ciphertext', async () => {
    const name = uniq('private-encrypted-');
    const raw = new RawClient(wsUrl(ctx.target));
    const { socket_id: socketId } = await raw.established();
    const { auth } = sdk(ctx.target).authorizeChannel(socketId, name);
    assert.equal((await raw.subscribe(name, { auth })).event, 'pusher_internal:subscription_succeeded');
    await sdk(ctx.target).trigger(name, 'sealed', { plain: 'text-that-must-not-leak' });
    const m = await raw.next('sealed');
    assert.deepEqual(Object.keys(m.data).sort(), ['ciphertext', 'nonce']);
    assert.ok(!m.raw.includes('text-that-must-not-leak'));
  });

  it('encrypted channel: a forged signature is refused', async () => {
    const p = connect(ctx.target, { badSignature: true });
    const ch = p.subscribe(uniq('private-encrypted-'));
    await refused(p, ch);
    assert.equal(ch.subscribed, false);
  });
});
