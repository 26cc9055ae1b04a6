// Presence channels (PROTOCOL.md §A.4, §A.6, Pitfalls): members hash, ids
// and count; member_added only on a user's first connection and
// member_removed only on the last (multi-tab); presence auth without
// channel_data for signed-in users; member limits.

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { protocolSuite, connect, subscribed, refused, signedIn, sdk, once, record, barrier, uniq, RawClient, wsUrl } from './harness.mjs';

const user = (id, name = `User ${id}`) => ({ id, user_info: { name } });

function memberIds(ch) {
  const ids = [];
  ch.members.each((m) => ids.push(m.id));
  return ids.sort();
}

/** Subscribes a raw client to a presence channel with a signed channel_data. */
async function rawPresence(target, channel, userId, userInfo) {
  const raw = new RawClient(wsUrl(target));
  const { socket_id: socketId } = await raw.established();
  const signed = sdk(target).authorizeChannel(socketId, channel, { user_id: userId, user_info: userInfo });
  const reply = await raw.subscribe(channel, signed);
  return { raw, reply, signed };
}

protocolSuite('presence channels', {}, (ctx) => {
  it('reports members (hash, ids, count) and me', async () => {
    const name = uniq('presence-');
    const a = connect(ctx.target, { user: user('a1') });
    const cha = await subscribed(a, name);
    assert.equal(cha.members.count, 1);
    assert.equal(cha.members.me.id, 'a1');
    assert.deepEqual(cha.members.me.info, { name: 'User a1' });
    const b = connect(ctx.target, { user: user('b2') });
    const joined = once(cha, 'pusher:member_added');
    const chb = await subscribed(b, name);
    assert.equal(chb.members.count, 2);
    assert.deepEqual(memberIds(chb), ['a1', 'b2']);
    assert.deepEqual(chb.members.get('a1').info, { name: 'User a1' });
    const added = await joined;
    assert.equal(added.id, 'b2');
    assert.deepEqual(added.info, { name: 'User b2' });
    assert.equal(cha.members.count, 2);
  });

  it('sends subscription_succeeded with presence {ids, hash, count} on the wire', async () => {
    const name = uniq('presence-');
    await rawPresence(ctx.target, name, 'w1', { role: 'first' });
    const { reply } = await rawPresence(ctx.target, name, 'w2', null);
    assert.equal(reply.event, 'pusher_internal:subscription_succeeded');
    assert.equal(typeof reply.rawData, 'string');
    const { presence } = reply.data;
    assert.deepEqual([...presence.ids].sort(), ['w1', 'w2']);
    assert.equal(presence.count, 2);
    assert.deepEqual(presence.hash.w1, { role: 'first' });
    assert.ok('w2' in presence.hash);
  });

  it('sends member_added once per user and member_removed on the last tab only', async () => {
    const name = uniq('presence-');
    const api = sdk(ctx.target);
    const observer = connect(ctx.target, { user: user('obs') });
    const och = await subscribed(observer, name);
    const added = record(och, 'pusher:member_added');
    const removed = record(och, 'pusher:member_removed');

    const tab1 = await rawPresence(ctx.target, name, 'multi', { name: 'Multi' });
    await added.count(1);
    const tab2 = await rawPresence(ctx.target, name, 'multi', { name: 'Multi' });
    assert.equal(tab2.reply.data.presence.count, 2, 'count is distinct users');
    assert.deepEqual([...tab2.reply.data.presence.ids].sort(), ['multi', 'obs']);
    await barrier(api, och);
    assert.equal(added.items.length, 1, 'the second tab adds no member');
    assert.equal(och.members.count, 2);

    await tab1.raw.close();
    await barrier(api, och);
    await tab2.raw.close();
    const gone = await removed.count(1);
    assert.equal(gone[0].id, 'multi');
    await barrier(api, och);
    assert.equal(removed.items.length, 1, 'exactly one member_removed, after the last tab');
    assert.equal(och.members.count, 1);
  });

  it('accepts numeric user ids as Laravel signs them and sends them as strings', async () => {
    const name = uniq('presence-');
    const first = await rawPresence(ctx.target, name, 10, { name: 'Mr. Channels' });
    assert.deepEqual(first.reply.data.presence.ids, ['10']);
    const second = await rawPresence(ctx.target, name, 11, null);
    assert.deepEqual([...second.reply.data.presence.ids].sort(), ['10', '11']);
    assert.deepEqual(second.reply.data.presence.hash['10'], { name: 'Mr. Channels' });
    const added = await first.raw.next('pusher_internal:member_added');
    assert.equal(added.data.user_id, '11');
    const p = connect(ctx.target, { user: { id: 12, user_info: { n: 12 } } });
    const ch = await subscribed(p, name);
    assert.equal(ch.members.count, 3);
    assert.deepEqual(ch.members.me.info, { n: 12 });
  });

  it('sends member_removed when a member connection drops without a close frame', async () => {
    const name = uniq('presence-');
    const observer = connect(ctx.target, { user: user('stays') });
    const och = await subscribed(observer, name);
    const { raw } = await rawPresence(ctx.target, name, 'dropper', {});
    const gone = once(och, 'pusher:member_removed');
    raw.ws.terminate();
    assert.equal((await gone).id, 'dropper');
  });

  it('sends member_removed when a member unsubscribes', async () => {
    const name = uniq('presence-');
    const observer = connect(ctx.target, { user: user('o') });
    const och = await subscribed(observer, name);
    const leaver = connect(ctx.target, { user: user('leaver') });
    await subscribed(leaver, name);
    const gone = once(och, 'pusher:member_removed');
    leaver.unsubscribe(name);
    assert.equal((await gone).id, 'leaver');
  });

  it('never sends member_added to the joining member itself', async () => {
    const name = uniq('presence-');
    const first = await rawPresence(ctx.target, name, 'first', {});
    const second = await rawPresence(ctx.target, name, 'second', {});
    await first.raw.next('pusher_internal:member_added');
    await barrier(sdk(ctx.target), second.raw, name);
    assert.ok(!second.raw.messages.items.some((m) => m.event === 'pusher_internal:member_added'));
  });

  it('accepts presence auth without channel_data for a signed-in user', async () => {
    const name = uniq('presence-');
    const observer = connect(ctx.target, { user: user('watcher') });
    const och = await subscribed(observer, name);
    const joined = once(och, 'pusher:member_added');
    const me = { id: 'signed-7', user_info: { name: 'Signed In' } };
    const p = connect(ctx.target, { user: me, omitChannelData: true });
    await signedIn(p);
    const ch = await subscribed(p, name);
    assert.equal(ch.members.me.id, 'signed-7');
    const added = await joined;
    assert.equal(added.id, 'signed-7');
    assert.deepEqual(added.info, { name: 'Signed In' }, 'the signin user_info is shared with the channel');
  });

  it('refuses presence auth without channel_data when not signed in', async () => {
    const raw = new RawClient(wsUrl(ctx.target));
    const { socket_id: socketId } = await raw.established();
    const name = uniq('presence-');
    const { auth } = sdk(ctx.target).authorizeChannel(socketId, name);
    const reply = await raw.subscribe(name, { auth });
    assert.notEqual(reply.event, 'pusher_internal:subscription_succeeded');
  });

  it('refuses channel_data that differs from what was signed', async () => {
    const raw = new RawClient(wsUrl(ctx.target));
    const { socket_id: socketId } = await raw.established();
    const name = uniq('presence-');
    const { auth } = sdk(ctx.target).authorizeChannel(socketId, name, { user_id: 'honest' });
    const reply = await raw.subscribe(name, { auth, channel_data: JSON.stringify({ user_id: 'admin' }) });
    assert.notEqual(reply.event, 'pusher_internal:subscription_succeeded');
  });

  it('refuses a bad presence signature through pusher-js', async () => {
    const p = connect(ctx.target, { user: user('x'), badSignature: true });
    const ch = p.subscribe(uniq('presence-'));
    await refused(p, ch);
  });

  it('refuses a user id above 128 characters and user_info above 1 KB', async () => {
    const name = uniq('presence-');
    const long = await rawPresence(ctx.target, name, 'u'.repeat(129), {});
    assert.notEqual(long.reply.event, 'pusher_internal:subscription_succeeded');
    const big = await rawPresence(ctx.target, name, 'big', { blob: 'x'.repeat(1100) });
    assert.notEqual(big.reply.event, 'pusher_internal:subscription_succeeded');
    const ok = await rawPresence(ctx.target, name, 'u'.repeat(128), { blob: 'x'.repeat(900) });
    assert.equal(ok.reply.event, 'pusher_internal:subscription_succeeded');
  });

  it('refuses user ids outside [A-Za-z0-9_=@,.;-]', async () => {
    const name = uniq('presence-');
    for (const id of ['has space', 'slash/id', '']) {
      const { reply } = await rawPresence(ctx.target, name, id, {});
      assert.notEqual(reply.event, 'pusher_internal:subscription_succeeded', JSON.stringify(id));
    }
    const ok = await rawPresence(ctx.target, name, 'ann@example.com', {});
    assert.equal(ok.reply.event, 'pusher_internal:subscription_succeeded', 'e-mail style ids are valid');
  });

  it('refuses the 101st distinct member of a presence channel', async () => {
    const name = uniq('presence-');
    const members = [];
    for (let i = 0; i < 100; i += 10) {
      const batch = await Promise.all(Array.from({ length: 10 }, (_, j) => rawPresence(ctx.target, name, `m${i + j}`, null)));
      for (const b of batch) assert.equal(b.reply.event, 'pusher_internal:subscription_succeeded');
      members.push(...batch);
    }
    const extra = await rawPresence(ctx.target, name, 'one-too-many', null);
    assert.notEqual(extra.reply.event, 'pusher_internal:subscription_succeeded');
    const again = await rawPresence(ctx.target, name, 'm0', null);
    assert.equal(again.reply.event, 'pusher_internal:subscription_succeeded', 'another tab of a member still fits');
    await Promise.all(members.map((m) => m.raw.close()));
  });
});
