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
