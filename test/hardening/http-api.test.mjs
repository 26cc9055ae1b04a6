// Hostile HTTP API requests against the real pogo-server: every one gets a
// JSON {"error": ...} with the right status, nothing is published, and the
// API keeps serving signed requests.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signedApiUrl, publish } from './lib/server.mjs';

let server;
const path = () => `/apps/${server.appId}/events`;

async function send(method, url, body) {
  const r = await fetch(url, { method, body: body === undefined || method === 'GET' || method === 'HEAD' ? undefined : body, headers: { 'Content-Type': 'application/json' } });
  const text = await r.text();
  return { status: r.status, text, allow: r.headers.get('allow') };
}

/** POSTs body signed correctly to /events and returns {status, error}. */
async function post(body, opts = {}) {
  const r = await send('POST', signedApiUrl(server, 'POST', opts.path ?? path(), body, opts), body);
  let error;
  try { error = JSON.parse(r.text).error; } catch { error = undefined; }
  return { status: r.status, error, text: r.text };
}

async function stillServing() {
  const r = await publish(server, 'ok', 'ok', {});
  assert.equal(r.status, 200, r.body);
}

describe('hostile HTTP API requests (pogo-server)', () => {
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  it('bad JSON, missing fields and wrong types are 400 with a message', async () => {
    const bodies = [
      '{', '[]', 'null', '"x"', '{"name":"e","channel":"c","data":"{}"}{}', '\u00ff\u00fe',
      '{"channel":"c","data":"x"}', '{"name":"e","data":"x"}', '{"name":"e","channel":"c"}',
      '{"name":1,"channel":"c","data":"x"}', '{"name":"e","channel":["c"],"data":"x"}', '{"name":"e","channels":"c","data":"x"}',
      '{"name":"e","channel":"c","data":{"a":1}}', '{"name":"e","channel":"c","data":5}', '{"name":"e","channel":"c","data":null}',
      '{"name":"e","channel":"c","data":"x","socket_id":"abc"}', '{"name":"e","channel":"c","data":"x","info":"everything"}',
      '{"name":"e","channel":"c","channels":["d"],"data":"x"}', '{"name":"e","channels":[],"data":"x"}',
      '{"name":"e","channel":"bad channel","data":"x"}', '{"name":"e","channel":"#evil","data":"x"}',
    ];
    for (const b of bodies) {
      const r = await post(b);
      assert.equal(r.status, 400, `${b} -> ${r.status} ${r.text}`);
      assert.ok(r.error && r.error.length > 3, `${b}: message ${r.text}`);
    }
    await stillServing();
  });

  it('a body above 1 MiB is 413; data above 10 KB is 413', async () => {
    const huge = JSON.stringify({ name: 'e', channel: 'c', data: 'x'.repeat(2 << 20) });
    const r = await post(huge);
    assert.equal(r.status, 413, r.text);
    const unsigned = await post(huge, { secret: 'wrong' });
    assert.equal(unsigned.status, 401, 'a badly signed body is refused before it is read');
    const big = await post(JSON.stringify({ name: 'e', channel: 'c', data: 'x'.repeat(10_241) }));
    assert.equal(big.status, 413);
    await stillServing();
  });

  it('stale, future and garbage timestamps are 401 (a replay outside the window fails)', async () => {
    const body = '{"name":"e","channel":"c","data":"x"}';
    const now = Math.floor(Date.now() / 1000);
    for (const ts of [now - 601, now + 601, 0, -1, '1e9', 'abc', '99999999999999999999']) {
      const r = await post(body, { timestamp: ts });
      assert.equal(r.status, 401, `timestamp ${ts}: ${r.text}`);
    }
    assert.equal((await post(body, { timestamp: now - 590 })).status, 200, 'inside the window');
  });

  it('a request replayed inside the window is accepted (documented: no nonce, as in Pusher)', async () => {
    const body = '{"name":"e","channel":"c","data":"x"}';
    const url = signedApiUrl(server, 'POST', path(), body);
    assert.equal((await send('POST', url, body)).status, 200);
    assert.equal((await send('POST', url, body)).status, 200);
  });

  it('wrong app id, wrong key, wrong secret are refused', async () => {
    const body = '{"name":"e","channel":"c","data":"x"}';
    assert.equal((await post(body, { path: '/apps/nope/events' })).status, 404);
    assert.equal((await post(body, { key: 'nope' })).status, 401);
    assert.equal((await post(body, { secret: 'nope' })).status, 401);
  });

  it('a signature over a different path, method or body is 401', async () => {
    const body = '{"name":"e","channel":"c","data":"x"}';
    assert.equal((await post(body, { signPath: `/apps/${server.appId}/batch_events` })).status, 401);
    assert.equal((await post(body, { signPath: `/prefix/apps/${server.appId}/events` })).status, 401);
    const url = signedApiUrl(server, 'GET', path(), body);
    assert.equal((await send('POST', url, body)).status, 401, 'signed for GET, sent as POST');
    const good = signedApiUrl(server, 'POST', path(), body);
    assert.equal((await send('POST', good, body.replace('"x"', '"y"'))).status, 401, 'body changed after signing');
    assert.equal((await send('POST', `${good}&extra=1`, body)).status, 401, 'query parameter added after signing');
    assert.equal((await send('POST', `${good}&auth_key=${server.key}`, body)).status, 400, 'duplicated parameter');
  });

  it('HEAD, OPTIONS, PUT, DELETE and unknown methods are 405 with Allow', async () => {
    for (const m of ['HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH', 'BREW']) {
      const r = await send(m, signedApiUrl(server, m, path(), ''), '');
      assert.equal(r.status, 405, `${m}: ${r.text}`);
      assert.equal(r.allow, 'POST');
    }
    const g = await send('POST', signedApiUrl(server, 'POST', `/apps/${server.appId}/channels`, ''), '');
    assert.equal(g.status, 405);
    assert.equal(g.allow, 'GET');
    await stillServing();
  });

  it('unknown paths are 404', async () => {
    for (const p of [`/apps/${server.appId}/`, `/apps/${server.appId}/evil`, '/apps//events', `/apps/${server.appId}/channels/a/b/c`]) {
      const r = await send('GET', signedApiUrl(server, 'GET', p, ''));
      assert.equal(r.status, 404, `${p}: ${r.text}`);
    }
  });

  it('1000 bad requests in a row leave the API serving', async () => {
    const body = '{"name":"e","channel":"c","data":"x"}';
    const bad = signedApiUrl(server, 'POST', path(), body, { secret: 'wrong' });
    const rs = await Promise.all(Array.from({ length: 1000 }, () => send('POST', bad, body)));
    assert.ok(rs.every((r) => r.status === 401));
    await stillServing();
  });
});
