// User authentication (PROTOCOL.md §A.3, §A.4, §A.5, §A.11): pusher:signin
// and signin_success, server-to-user events (SDK sendToUser), the
// #server-to-user- channel of another user refused, terminate_connections,
// watchlist online/offline and the 100-id watchlist limit (4302).

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { protocolSuite, connect, signedIn, sdk, once, record, uniq, RawClient, wsUrl, eventually } from './harness.mjs';

/** Opens a raw client and signs it in as user; resolves with {raw, reply}. */
async function rawSignin(target, user, { forge = false } = {}) {
  const raw = new RawClient(wsUrl(target));
  const { socket_id: socketId } = await raw.established();
  const signed = sdk(target, forge ? { secret: 'wrong-secret' } : {}).authenticateUser(socketId, user);
  raw.send({ event: 'pusher:signin', data: signed });
  const reply = await raw.next((m) => m.event === 'pusher:signin_success' || m.event === 'pusher:error');
  return { raw, reply, signed };
}

protocolSuite('user authentication', {}, (ctx) => {
  it('pusher-js signs in and subscribes to its #server-to-user- channel', async () => {
    const id = uniq('user-');
    const p = connect(ctx.target, { user: { id, user_info: { name: 'Ann' } } });
    const data = await signedIn(p);
    assert.equal(data.id, id);
    assert.equal(p.user.serverToUserChannel.name, `#server-to-user-${id}`);
  });

  it('sends signin_success with the signed user_data on the wire', async () => {
    const user = { id: uniq('wire-'), user_info: { n: 1 } };
    const { reply, signed } = await rawSignin(ctx.target, user);
    assert.equal(reply.event, 'pusher:signin_success');
    const ud = typeof reply.data.user_data === 'string' ? JSON.parse(reply.data.user_data) : reply.data.user_data;
    assert.equal(ud.id, user.id);
    assert.equal(reply.data.user_data, signed.user_data, 'user_data is echoed as the signed string');
  });

  it('refuses a signin with a bad signature', async () => {
    const { reply } = await rawSignin(ctx.target, { id: uniq('forged-') }, { forge: true });
    assert.equal(reply.event, 'pusher:error');
    assert.ok(reply.data.message);
  });

  it('refuses signed user_data without an id or with an invalid id', async () => {
    for (const userData of ['{"name":"no id"}', '{"id":""}', '{"id":"has space"}', 'not json']) {
      const raw = new RawClient(wsUrl(ctx.target));
      const { socket_id: socketId } = await raw.established();
      const sig = createHmac('sha256', ctx.target.secret).update(`${socketId}::user::${userData}`).digest('hex');
      raw.send({ event: 'pusher:signin', data: { auth: `${ctx.target.key}:${sig}`, user_data: userData } });
      const reply = await raw.next((m) => m.event === 'pusher:signin_success' || m.event === 'pusher:error');
      assert.equal(reply.event, 'pusher:error', userData);
    }
  });

  it('refuses a second signin as a different user on the same connection', async () => {
    const { raw } = await rawSignin(ctx.target, { id: uniq('first-') });
    const signed = sdk(ctx.target).authenticateUser(raw.socketId, { id: uniq('second-') });
    raw.send({ event: 'pusher:signin', data: signed });
    const err = await raw.next('pusher:error');
    assert.ok(err.data.message);
  });

  it('delivers sendToUser to every connection of that user only', async () => {
    const id = uniq('dest-');
    const tab1 = connect(ctx.target, { user: { id } });
    const tab2 = connect(ctx.target, { user: { id } });
    const other = connect(ctx.target, { user: { id: uniq('other-') } });
    await Promise.all([signedIn(tab1), signedIn(tab2), signedIn(other)]);
    const got1 = once(tab1.user, 'notice');
    const got2 = once(tab2.user, 'notice');
    const stray = record(other.user, 'notice');
    await sdk(ctx.target).sendToUser(id, 'notice', { text: 'hello you' });
    assert.deepEqual(await got1, { text: 'hello you' });
    assert.deepEqual(await got2, { text: 'hello you' });
    const mine = once(other.user, 'mine');
    await sdk(ctx.target).sendToUser(other.user.user_data.id, 'mine', {});
    await mine;
    assert.equal(stray.items.length, 0);
  });

  it("refuses a subscription to another user's #server-to-user- channel", async () => {
    const { raw } = await rawSignin(ctx.target, { id: uniq('me-') });
    const reply = await raw.subscribe(`#server-to-user-${uniq('victim-')}`, { auth: '' });
    assert.notEqual(reply.event, 'pusher_internal:subscription_succeeded');
  });

  it('refuses #server-to-user- subscriptions before signin', async () => {
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    const reply = await raw.subscribe(`#server-to-user-${uniq('anyone-')}`, { auth: '' });
    assert.notEqual(reply.event, 'pusher_internal:subscription_succeeded');
  });

  it('refuses other channels containing #', async () => {
    const raw = new RawClient(wsUrl(ctx.target));
    await raw.established();
    const reply = await raw.subscribe(`#private-${uniq()}`, { auth: '' });
    assert.notEqual(reply.event, 'pusher_internal:subscription_succeeded');
  });

  it('terminate_connections closes every socket of the user and no other', async () => {
    const id = uniq('term-');
    const a = await rawSignin(ctx.target, { id });
    const b = await rawSignin(ctx.target, { id });
    const bystander = await rawSignin(ctx.target, { id: uniq('stay-') });
    const anonymous = new RawClient(wsUrl(ctx.target));
    await anonymous.established();
    await sdk(ctx.target).terminateUserConnections(id);
    const [ca, cb] = await Promise.all([a.raw.closeInfo(), b.raw.closeInfo()]);
    assert.ok(ca.code >= 4000 && cb.code >= 4000, `close codes ${ca.code}, ${cb.code}`);
    for (const c of [bystander.raw, anonymous]) {
      c.send({ event: 'pusher:ping', data: {} });
      await c.next('pusher:pong');
    }
  });

  it('terminate_connections leaves presence members that did not sign in', async () => {
    const id = uniq('presence-only-');
    const name = uniq('presence-');
    const raw = new RawClient(wsUrl(ctx.target));
    const { socket_id: socketId } = await raw.established();
    const reply = await raw.subscribe(name, sdk(ctx.target).authorizeChannel(socketId, name, { user_id: id }));
    assert.equal(reply.event, 'pusher_internal:subscription_succeeded');
    const signed = await rawSignin(ctx.target, { id });
    await sdk(ctx.target).terminateUserConnections(id);
    await signed.raw.closeInfo();
    raw.send({ event: 'pusher:ping', data: {} });
    await raw.next('pusher:pong');
  });

  it('sendToUser to a user without connections answers 200', async () => {
    const res = await sdk(ctx.target).sendToUser(uniq('absent-'), 'hello', {});
    assert.equal(res.status, 200);
  });

  it('terminate_connections of a user with no connection answers 200', async () => {
    const res = await sdk(ctx.target).terminateUserConnections(uniq('nobody-'));
    assert.equal(res.status, 200);
  });

  it('watchlist: online when a watched user signs in, offline when they leave', async () => {
    const watched = uniq('watched-');
    const watcher = connect(ctx.target, { user: { id: uniq('watcher-'), watchlist: [watched] } });
    await signedIn(watcher);
    const online = once(watcher.user.watchlist, 'online', (e) => e.user_ids.includes(watched));
    const friend = connect(ctx.target, { user: { id: watched } });
    await signedIn(friend);
    assert.deepEqual((await online).user_ids, [watched]);
    const offline = once(watcher.user.watchlist, 'offline', (e) => e.user_ids.includes(watched));
    friend.disconnect();
    assert.deepEqual((await offline).user_ids, [watched]);
  });

  it('watchlist: a watched user already online is reported on signin', async () => {
    const watched = uniq('early-');
    const friend = connect(ctx.target, { user: { id: watched } });
    await signedIn(friend);
    const watcher = connect(ctx.target, { user: { id: uniq('late-'), watchlist: [watched, uniq('absent-')] } });
    const online = record(watcher.user.watchlist, 'online');
    await signedIn(watcher);
    const e = await online.waitFor((ev) => ev.user_ids.includes(watched));
    assert.deepEqual(e.user_ids, [watched], 'only online users are listed');
  });

  it('watchlist: offline only when the last connection of the user leaves', async () => {
    const watched = uniq('tabs-');
    const tab1 = await rawSignin(ctx.target, { id: watched });
    const tab2 = await rawSignin(ctx.target, { id: watched });
    const watcher = await rawSignin(ctx.target, { id: uniq('w-'), watchlist: [watched] });
    const events = () => watcher.raw.messages.items.filter((m) => m.event === 'pusher_internal:watchlist_events');
    await watcher.raw.next('pusher_internal:watchlist_events');
    // tab1 alone occupies a public channel: once the API reports it vacant,
    // the server has processed tab1's departure.
    const marker = uniq('marker-');
    await tab1.raw.subscribe(marker);
    await tab1.raw.close();
    const api = sdk(ctx.target);
    await eventually(async () => !(await (await api.get({ path: `/channels/${marker}` })).json()).occupied, 'tab1 gone');
    watcher.raw.send({ event: 'pusher:ping', data: {} });
    await watcher.raw.next('pusher:pong');
    const offline = (e) => e.name === 'offline';
    assert.equal(events().flatMap((m) => m.data.events).filter(offline).length, 0, 'no offline while a tab remains');
    await tab2.raw.close();
    const off = await watcher.raw.next((m) => m.event === 'pusher_internal:watchlist_events' && m.data.events.some(offline));
    assert.deepEqual(off.data.events.find(offline).user_ids, [watched]);
    const offlines = events().flatMap((m) => m.data.events).filter(offline);
    assert.equal(offlines.length, 1, 'one offline event for two tabs');
  });

  it('watchlist: more than 100 ids gives 4302 but signin still succeeds', async () => {
    const watchlist = Array.from({ length: 101 }, (_, i) => `wl-${i}`);
    const raw = new RawClient(wsUrl(ctx.target));
    const { socket_id: socketId } = await raw.established();
    raw.send({ event: 'pusher:signin', data: sdk(ctx.target).authenticateUser(socketId, { id: uniq('greedy-'), watchlist }) });
    const err = await raw.next((m) => m.event === 'pusher:error');
    assert.equal(err.data.code, 4302);
    await raw.next('pusher:signin_success');
    const ok = await rawSignin(ctx.target, { id: uniq('modest-'), watchlist: watchlist.slice(0, 100) });
    assert.equal(ok.reply.event, 'pusher:signin_success');
    assert.ok(!ok.raw.messages.items.some((m) => m.event === 'pusher:error'), '100 ids are within the limit');
  });
});
