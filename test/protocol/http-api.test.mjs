// The signed HTTP API (PROTOCOL.md §A.11): channel queries through the
// `pusher` SDK and request-signature failures through raw fetch (bad
// signature, stale timestamp, wrong body_md5, unknown key: all 401).

import { it } from 'node:test';
import assert from 'node:assert/strict';
import { protocolSuite, connect, subscribed, sdk, uniq, signedUrl, eventually, httpStatus } from './harness.mjs';

async function getJSON(api, path, params) {
  const res = await api.get({ path, params });
  return res.json();
}


protocolSuite('HTTP API', {}, (ctx) => {
  it('GET /channels lists occupied channels, filtered by prefix', async () => {
    const api = sdk(ctx.target);
    const tag = uniq('q');
    const p = connect(ctx.target);
    await Promise.all([subscribed(p, `${tag}-a`), subscribed(p, `${tag}-b`), subscribed(p, uniq('other-'))]);
    const body = await eventually(async () => {
      const j = await getJSON(api, '/channels', { filter_by_prefix: tag });
      return Object.keys(j.channels).length === 2 && j;
    }, 'two channels listed');
    assert.deepEqual(Object.keys(body.channels).sort(), [`${tag}-a`, `${tag}-b`]);
  });

  it('GET /channels with info=user_count needs the presence- prefix', async () => {
    const api = sdk(ctx.target);
    const name = uniq('presence-uc-');
    const a = connect(ctx.target, { user: { id: 'uc1' } });
    const b = connect(ctx.target, { user: { id: 'uc2' } });
    const a2 = connect(ctx.target, { user: { id: 'uc1' } });
    await Promise.all([subscribed(a, name), subscribed(b, name), subscribed(a2, name)]);
    const body = await getJSON(api, '/channels', { filter_by_prefix: 'presence-', info: 'user_count' });
    assert.equal(body.channels[name].user_count, 2, 'distinct users');
    assert.equal(await httpStatus(api.get({ path: '/channels', params: { info: 'user_count' } })), 400);
  });

  it('GET /channels/{name} reports occupancy and presence user_count', async () => {
    const api = sdk(ctx.target);
    const vacant = await getJSON(api, `/channels/${uniq('empty-')}`);
    assert.equal(vacant.occupied, false);
    const name = uniq('presence-one-');
    const p = connect(ctx.target, { user: { id: 'solo' } });
    await subscribed(p, name);
    const info = await getJSON(api, `/channels/${name}`, { info: 'user_count' });
    assert.equal(info.occupied, true);
    assert.equal(info.user_count, 1);
  });

  it('GET /channels/{name} refuses user_count on non-presence channels', async () => {
    const api = sdk(ctx.target);
    assert.equal(await httpStatus(api.get({ path: `/channels/${uniq('pub-')}`, params: { info: 'user_count' } })), 400);
  });

  it('GET /channels/{presence}/users lists distinct user ids', async () => {
    const api = sdk(ctx.target);
    const name = uniq('presence-users-');
    const clients = ['u1', 'u2', 'u1'].map((id) => connect(ctx.target, { user: { id } }));
    await Promise.all(clients.map((c) => subscribed(c, name)));
    const { users } = await getJSON(api, `/channels/${name}/users`);
    assert.deepEqual(users.map((u) => u.id).sort(), ['u1', 'u2']);
  });

  it('GET /channels/{name}/users is 400 for non-presence channels', async () => {
    const api = sdk(ctx.target);
    assert.equal(await httpStatus(api.get({ path: `/channels/${uniq('pub-')}/users` })), 400);
  });

  it('POST /events with info=user_count returns the channel info', async () => {
    const api = sdk(ctx.target);
    const name = uniq('presence-info-');
    const p = connect(ctx.target, { user: { id: 'i1' } });
    await subscribed(p, name);
    const res = await api.trigger(name, 'e', {}, { info: 'user_count' });
    const body = await res.json();
    assert.equal(body.channels[name].user_count, 1);
  });

  it('POST /events answers {} on success', async () => {
    const res = await sdk(ctx.target).trigger(uniq('c-'), 'e', { a: 1 });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {});
  });

  it('accepts a request signed by hand as documented', async () => {
    const body = JSON.stringify({ name: 'e', data: '{}', channels: [uniq('hand-')] });
    const res = await fetch(signedUrl(ctx.target, 'POST', '/events', body), { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 200);
  });

  const body = () => JSON.stringify({ name: 'e', data: '{}', channels: ['sig-test'] });
  const post = (url, b) => fetch(url, { method: 'POST', body: b, headers: { 'content-type': 'application/json' } });

  it('401 for a bad signature', async () => {
    const b = body();
    const res = await post(signedUrl(ctx.target, 'POST', '/events', b, {}, 'wrong-secret'), b);
    assert.equal(res.status, 401);
  });

  it('401 for a timestamp older than 600 s', async () => {
    const b = body();
    const stale = String(Math.floor(Date.now() / 1000) - 700);
    const res = await post(signedUrl(ctx.target, 'POST', '/events', b, { auth_timestamp: stale }), b);
    assert.equal(res.status, 401);
  });

  it('401 for a timestamp more than 600 s in the future', async () => {
    const b = body();
    const future = String(Math.floor(Date.now() / 1000) + 700);
    const res = await post(signedUrl(ctx.target, 'POST', '/events', b, { auth_timestamp: future }), b);
    assert.equal(res.status, 401);
  });

  it('401 for a body_md5 that does not match the body', async () => {
    const signedFor = body();
    const sent = signedFor.replace('sig-test', 'sig-evil');
    const res = await post(signedUrl(ctx.target, 'POST', '/events', signedFor), sent);
    assert.equal(res.status, 401);
  });

  it('401 for an unknown auth_key', async () => {
    const b = body();
    const res = await post(signedUrl(ctx.target, 'POST', '/events', b, { auth_key: 'nobody' }), b);
    assert.equal(res.status, 401);
  });

  it('401 when the auth parameters are missing', async () => {
    const res = await post(`${ctx.target.apiUrl}/apps/${ctx.target.appId}/events`, body());
    assert.equal(res.status, 401);
  });

  it('401 for a signed GET whose query was altered', async () => {
    const url = new URL(signedUrl(ctx.target, 'GET', '/channels', '', { filter_by_prefix: 'a' }));
    url.searchParams.set('filter_by_prefix', 'b');
    const res = await fetch(url);
    assert.equal(res.status, 401);
  });

  it('an unknown app id is refused', async () => {
    const api = sdk({ ...ctx.target, appId: 'no-such-app' });
    const s = await httpStatus(api.trigger('c', 'e', {}));
    assert.ok([401, 403, 404].includes(s), `status ${s}`);
  });
});
