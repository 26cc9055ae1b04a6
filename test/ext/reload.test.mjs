// A config reload in the middle of native publishing: PHP restarts, the hub
// and its WebSocket connections survive, publishing resumes with status 0.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startFrankenPHP, phpPublish, admin } from './lib/frankenphp.mjs';
import { connect, connected, subscribed, disconnectAll } from '../protocol/lib/clients.mjs';
import { once } from '../protocol/lib/wait.mjs';

describe('reload while publishing', () => {
  let fp;
  before(async () => { fp = await startFrankenPHP(); });
  after(async () => { disconnectAll(); await fp?.stop(); });

  it('keeps the hub and live sockets across two reloads', async () => {
    const p = connect(fp);
    const socketId = await connected(p);
    const ch = await subscribed(p, 'reload-feed');
    let stop = false;
    const statuses = [];
    const publisher = (async () => {
      while (!stop) {
        try {
          statuses.push(...await phpPublish(fp, { fn: 'publish', app: 'pogo-app', channel: 'reload-feed', event: 'tick', repeat: 50 }));
        } catch {
          // PHP restarts during a reload: a request may fail; the server must not.
        }
      }
    })();
    const config = readFileSync(fp.configFile, 'utf8');
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 300));
      const r = await admin(fp, 'POST', '/load', config, 'text/caddyfile');
      assert.equal(r.status, 200, `reload ${i + 1}: ${r.body}`);
    }
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await publisher;
    assert.equal(fp.child.exitCode, null, 'frankenphp is still running');
    assert.ok(statuses.length > 0, 'some publishes went through');
    assert.deepEqual([...new Set(statuses)], [0], 'every publish that reached PHP succeeded');
    assert.equal(p.connection.state, 'connected');
    assert.equal(p.connection.socket_id, socketId, 'the WebSocket survived the reloads');
    const after = once(ch, 'after-reload');
    assert.deepEqual(await phpPublish(fp, { fn: 'publish', app: 'pogo-app', channel: 'reload-feed', event: 'after-reload', data: '{"ok":1}' }), [0]);
    assert.deepEqual(await after, { ok: 1 });
  });
});

describe('reloads keep the auth worker pool', () => {
  let fp;
  before(async () => { fp = await startFrankenPHP(); });
  after(async () => { await fp?.stop(); });

  const auth = async () => {
    const r = await fetch(`${fp.url}/pogo/auth`, { method: 'POST', body: new URLSearchParams({ socket_id: '1.2', channel_name: 'private-a' }) });
    return { status: r.status, body: await r.text() };
  };

  it('signs after each of several reloads, including after a reload that failed to load', async () => {
    assert.equal((await auth()).status, 200);
    const config = readFileSync(fp.configFile, 'utf8');
    const variant = (i) => config.replace('num_workers 2', `num_workers 2\n\t\thandshake_burst ${50 + i}`);
    const steps = [variant(1), variant(2), 'broken', variant(3), variant(4)];
    for (const [i, step] of steps.entries()) {
      if (step === 'broken') {
        // Provisioning fails after pogo_websocket was provisioned (an invalid
        // regexp in a handler ordered after it); Caddy keeps the running config.
        const broken = config.replace('\tphp_server {', '\t@bad path_regexp badre "("\n\tfile_server @bad\n\tphp_server {');
        const r = await admin(fp, 'POST', '/load', broken, 'text/caddyfile');
        // Caddy's /load may answer 200 with the adapter's warnings followed by the error.
        assert.match(r.body, /"error":"loading config/, 'the broken config is refused');
      } else {
        const r = await admin(fp, 'POST', '/load', step, 'text/caddyfile');
        assert.equal(r.status, 200, `reload ${i + 1}: ${r.body}`);
        assert.doesNotMatch(r.body, /"error"/, `reload ${i + 1}: ${r.body}`);
      }
      let res;
      for (let t = 0; t < 200; t++) { // up to 20 s: PHP restarts on each reload
        // A keep-alive connection the old server closes at the reload fails
        // the POST (undici does not retry it): that is a retry, as for a 5xx.
        res = await auth().catch((e) => ({ status: 0, body: String(e.cause ?? e) }));
        if (res.status === 200) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(res.status, 200, `auth after step ${i + 1} (${step === 'broken' ? 'failed reload' : 'reload'}): ${res.status} ${res.body}`);
      assert.match(res.body, /"auth":"pogo-app:[0-9a-f]{64}"/);
    }
    assert.equal(fp.child.exitCode, null, 'frankenphp is still running');
  });
});
