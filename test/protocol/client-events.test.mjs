// Client events (PROTOCOL.md §A.3, Pitfalls): whisper through laravel-echo,
// private/presence only, the sender must be subscribed, never echoed to the
// sender, user_id added on presence, pusher:/pusher_internal: names refused,
// and the 10/s per-connection limit (4301).

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { protocolSuite, echo, connect, subscribed, sdk, once, record, barrier, uniq, RawClient, wsUrl, withTimeout } from './harness.mjs';

/** Resolves with the Echo channel once its subscription is confirmed. */
function echoSubscribed(ch) {
  return withTimeout(new Promise((resolve, reject) => {
    ch.subscribed(() => resolve(ch));
    ch.error((e) => reject(Object.assign(new Error('echo subscription error'), { detail: e })));
  }), 'echo subscription');
}

/** A raw client subscribed to a private or presence channel with a valid signature. */
async function rawMember(target, channel, userId) {
  const raw = new RawClient(wsUrl(target));
  const { socket_id: socketId } = await raw.established();
  const data = channel.startsWith('presence-') ? { user_id: userId, user_info: { n: userId } } : undefined;
  const reply = await raw.subscribe(channel, sdk(target).authorizeChannel(socketId, channel, data));
  assert.equal(reply.event, 'pusher_internal:subscription_succeeded', `subscribe ${channel}: ${reply.raw}`);
  return raw;
}

protocolSuite('client events', { server: { clientEvents: true } }, (ctx) => {
  it('delivers an Echo whisper to listenForWhisper on the other client', async () => {
    const room = uniq('room-');
    const alice = echo(ctx.target);
    const bob = echo(ctx.target);
    const [ca, cb] = await Promise.all([echoSubscribed(alice.private(room)), echoSubscribed(bob.private(room))]);
    const heard = new Promise((resolve) => cb.listenForWhisper('typing', resolve));
    ca.whisper('typing', { who: 'alice', typing: true });
    assert.deepEqual(await withTimeout(heard, 'whisper'), { who: 'alice', typing: true });
  });

  it('does not echo a client event to its sender', async () => {
    const name = uniq('private-');
    const sender = connect(ctx.target);
    const receiver = connect(ctx.target);
    const [cs, cr] = await Promise.all([subscribed(sender, name), subscribed(receiver, name)]);
    const mine = record(cs, 'client-note');
    const got = once(cr, 'client-note');
    assert.equal(cs.trigger('client-note', { n: 1 }), true);
    assert.deepEqual(await got, { n: 1 });
    await barrier(sdk(ctx.target), cs);
    assert.equal(mine.items.length, 0);
  });

  it('adds the sender user_id on presence channels', async () => {
    const name = uniq('presence-');
    const sender = await rawMember(ctx.target, name, 'speaker');
    const listener = await rawMember(ctx.target, name, 'listener');
    sender.send({ event: 'client-hello', channel: name, data: { hi: true } });
    const m = await listener.next('client-hello');
    assert.equal(m.channel, name);
    assert.equal(m.user_id, 'speaker');
    assert.deepEqual(m.data, { hi: true });
  });

  it('pusher-js passes the presence user_id as metadata', async () => {
    const name = uniq('presence-');
    const a = connect(ctx.target, { user: { id: 'meta-a', user_info: {} } });
    const b = connect(ctx.target, { user: { id: 'meta-b', user_info: {} } });
    const [ca, cb] = await Promise.all([subscribed(a, name), subscribed(b, name)]);
    const got = new Promise((resolve) => cb.bind('client-meta', (data, meta) => resolve({ data, meta })));
    ca.trigger('client-meta', { ok: 1 });
    const { data, meta } = await withTimeout(got, 'client-meta');
    assert.deepEqual(data, { ok: 1 });
    assert.equal(meta.user_id, 'meta-a');
  });

  it('does not add user_id on private channels', async () => {
    const name = uniq('private-');
    const sender = await rawMember(ctx.target, name);
    const listener = await rawMember(ctx.target, name);
    sender.send({ event: 'client-x', channel: name, data: {} });
    const m = await listener.next('client-x');
    assert.equal(m.user_id, undefined);
  });

  it('rejects client events on public channels', async () => {
    const name = uniq('public-');
    const sender = new RawClient(wsUrl(ctx.target));
    await sender.established();
    await sender.subscribe(name);
    const listener = new RawClient(wsUrl(ctx.target));
    await listener.established();
    await listener.subscribe(name);
    sender.send({ event: 'client-x', channel: name, data: {} });
    const err = await sender.next('pusher:error');
    assert.ok(err.data.message);
    await barrier(sdk(ctx.target), listener, name);
    assert.ok(!listener.messages.items.some((m) => m.event === 'client-x'));
  });

  it('rejects client events on private-encrypted- channels', async () => {
    const name = uniq('private-encrypted-');
    const sender = await rawMember(ctx.target, name);
    const listener = await rawMember(ctx.target, name);
    sender.send({ event: 'client-plain', channel: name, data: { leak: true } });
    const err = await sender.next('pusher:error');
    assert.ok(err.data.message);
    await barrier(sdk(ctx.target), listener, name);
    assert.ok(!listener.messages.items.some((m) => m.event === 'client-plain'));
  });

  it('rejects client events on channels the sender did not subscribe to', async () => {
    const name = uniq('private-');
    const listener = await rawMember(ctx.target, name);
    const outsider = new RawClient(wsUrl(ctx.target));
    await outsider.established();
    outsider.send({ event: 'client-sneak', channel: name, data: {} });
    const err = await outsider.next('pusher:error');
    assert.ok(err.data.message);
    await barrier(sdk(ctx.target), listener, name);
    assert.ok(!listener.messages.items.some((m) => m.event === 'client-sneak'));
  });

  it('refuses pusher: and pusher_internal: event names from clients', async () => {
    const name = uniq('presence-');
    const sender = await rawMember(ctx.target, name, 'forger');
    const listener = await rawMember(ctx.target, name, 'victim');
    sender.send({ event: 'pusher_internal:member_removed', channel: name, data: JSON.stringify({ user_id: 'victim' }) });
    sender.send({ event: 'pusher:cache_miss', channel: name, data: {} });
    await sender.next('pusher:error');
    await barrier(sdk(ctx.target), listener, name);
    const forged = listener.messages.items.filter((m) => m.event === 'pusher_internal:member_removed' || m.event === 'pusher:cache_miss');
    assert.deepEqual(forged, []);
  });

  it('rejects a client event name above 200 characters', async () => {
    const name = uniq('private-');
    const sender = await rawMember(ctx.target, name);
    const listener = await rawMember(ctx.target, name);
    const long = `client-${'e'.repeat(200)}`;
    sender.send({ event: long, channel: name, data: {} });
    await sender.next('pusher:error');
    await barrier(sdk(ctx.target), listener, name);
    assert.ok(!listener.messages.items.some((m) => m.event === long));
  });

  it('rejects a client event payload above 10 KB', async () => {
    const name = uniq('private-');
    const sender = await rawMember(ctx.target, name);
    const listener = await rawMember(ctx.target, name);
    sender.send({ event: 'client-big', channel: name, data: 'x'.repeat(11 * 1024) });
    await sender.next('pusher:error');
    await barrier(sdk(ctx.target), listener, name);
    assert.ok(!listener.messages.items.some((m) => m.event === 'client-big'));
  });

  it('rejects client events beyond 10 per second with 4301', async () => {
    const name = uniq('private-');
    const sender = await rawMember(ctx.target, name);
    const listener = await rawMember(ctx.target, name);
    for (let i = 0; i < 30; i++) sender.send({ event: 'client-burst', channel: name, data: { i } });
    const err = await sender.next((m) => m.event === 'pusher:error' && m.data?.code === 4301);
    assert.ok(err.data.message);
    await barrier(sdk(ctx.target), listener, name);
    const got = listener.messages.items.filter((m) => m.event === 'client-burst').length;
    assert.ok(got >= 1 && got < 30, `listener got ${got} of 30`);
  });
});

protocolSuite('client events disabled', { profile: 'noclientevents', server: { clientEvents: false } }, (ctx) => {
  it('rejects client events with a pusher:error when the app disables them', async () => {
    const name = uniq('private-');
    const sender = await rawMember(ctx.target, name);
    const listener = await rawMember(ctx.target, name);
    sender.send({ event: 'client-nope', channel: name, data: {} });
    const err = await sender.next('pusher:error');
    assert.equal(err.data.code, 4301);
    await barrier(sdk(ctx.target), listener, name);
    assert.ok(!listener.messages.items.some((m) => m.event === 'client-nope'));
  });

  it('Echo whisper does not reach the other client', async () => {
    const room = uniq('room-');
    const alice = echo(ctx.target);
    const bob = echo(ctx.target);
    const [ca, cb] = await Promise.all([echoSubscribed(alice.private(room)), echoSubscribed(bob.private(room))]);
    const heard = [];
    cb.listenForWhisper('typing', (d) => heard.push(d));
    const errored = once(alice.connector.pusher.connection, 'error', (e) => e?.type === 'PusherError');
    ca.whisper('typing', { x: 1 });
    await errored;
    await barrier(sdk(ctx.target), bob.connector.pusher.channel(`private-${room}`));
    assert.deepEqual(heard, []);
  });
});
