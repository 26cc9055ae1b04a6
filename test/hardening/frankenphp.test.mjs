// Faults of the real bin/frankenphp build (Caddy module + PHP): the auth
// worker crashing or hanging, config reloads under load, a graceful stop,
// a reconnect storm against the handshake limiter, and Caddyfile errors.
// Skipped when bin/frankenphp is missing (go tool mage ext:build).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFrankenPHP, caddyfile, admin, BINARY } from '../ext/lib/frankenphp.mjs';
import { connect as pusherClient, connected, subscribed, disconnectAll } from '../protocol/lib/clients.mjs';
import { WireClient } from './lib/wire.mjs';
import { appPath, publish, figure, sleep } from './lib/server.mjs';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'fixture', 'auth-worker.php');
const skip = existsSync(BINARY) ? false : `${BINARY} is missing`;

/** Caddyfile of the ext fixture with the hardening auth worker and extra pogo lines. */
const config = (pogo = '') => (p) => caddyfile({ ...p, pogo }).replace(/auth_script \S+/, `auth_script ${FIXTURE}`);

/** POSTs a channel auth request; fault is the X-Fault header. Resolves {status, body, ms} or {err, ms}. */
async function auth(fp, fault, { hangMs = 8000, timeoutMs = 30_000 } = {}) {
  const t0 = Date.now();
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (fault) Object.assign(headers, { 'X-Fault': fault, 'X-Hang-Ms': String(hangMs) });
  try {
    const r = await fetch(`${fp.url}/pogo/auth`, { method: 'POST', headers, body: 'socket_id=1.2&channel_name=private-a', signal: AbortSignal.timeout(timeoutMs) });
    return { status: r.status, body: await r.text(), ms: Date.now() - t0 };
  } catch (e) {
    return { err: e.name, ms: Date.now() - t0 };
  }
}

const signed = (r) => r.status === 200 && /^\{"auth":"pogo-app:[0-9a-f]{64}"\}$/.test(r.body);

/** A raw client subscribed to a public channel; proves the WebSocket side keeps serving. */
async function publicClient(fp, channel) {
  const c = new WireClient(fp.wsUrl, appPath(fp.key));
  await c.open();
  await c.established();
  await c.send({ event: 'pusher:subscribe', data: { channel } });
  await c.until(() => c.events.some((e) => e.event === 'pusher_internal:subscription_succeeded'), 'subscription');
  return c;
}

async function delivered(fp, c, channel, tag) {
  const r = await publish(fp, channel, 'ping', { tag });
  assert.equal(r.status, 200, r.body);
  await c.until(() => c.events.some((e) => e.event === 'ping' && e.data.includes(tag)), `event ${tag}`);
}

describe('bin/frankenphp faults', { skip }, () => {
  describe('auth worker crash and hang', () => {
    let fp;
    before(async () => { fp = await startFrankenPHP({ caddyfile: config('auth_queue_timeout 2s') }); });
    after(async () => { await fp?.stop(); });

    it('a worker that exits or dies of a fatal error is restarted; the next auth request is signed', async () => {
      const c = await publicClient(fp, 'pub-crash');
      const seen = {};
      for (const fault of ['exit', 'fatal']) {
        const r = await auth(fp, fault);
        seen[fault] = { status: r.status, body: (r.body ?? r.err).slice(0, 60) };
        assert.ok(!signed(r), 'a crashed request never yields a signature');
        assert.ok(r.status >= 500 && r.status < 600, `a crashed worker surfaces as a 5xx, got ${r.status ?? r.err}`);
        assert.ok(signed(await auth(fp)), `signed again after ${fault}`);
      }
      const burst = await Promise.all(Array.from({ length: 20 }, () => auth(fp, 'exit')));
      seen.exit_burst_statuses = [...new Set(burst.map((r) => r.status ?? r.err))];
      assert.ok(signed(await auth(fp)), 'signed after 20 crashes');
      await delivered(fp, c, 'pub-crash', 'after-crash');
      figure('frankenphp.auth_worker_crash', seen);
      c.destroy();
    });

    it('hung workers delay auth requests but never the WebSocket side; auth recovers', async () => {
      const c = await publicClient(fp, 'pub-hang');
      const hangs = [auth(fp, 'hang'), auth(fp, 'hang')]; // num_workers 2: every thread hung for 8 s
      await sleep(500);
      const waiting = auth(fp);
      const t0 = Date.now();
      await delivered(fp, c, 'pub-hang', 'during-hang');
      const wsMs = Date.now() - t0;
      const w = await waiting;
      const h = await Promise.all(hangs);
      figure('frankenphp.auth_worker_hang', { hang_ms: 8000, queued_request: { status: w.status ?? w.err, ms: w.ms }, hung_requests_ms: h.map((x) => x.ms), ws_publish_during_hang_ms: wsMs });
      assert.ok(signed(await auth(fp)), 'auth recovers after the hang');
      c.destroy();
    });
  });

  describe('reload and stop under load', () => {
    let fp;
    before(async () => { fp = await startFrankenPHP({ caddyfile: config('handshake_rate off') }); });
    after(async () => { disconnectAll(); await fp?.stop(); });

    it('three config reloads under publish load keep every socket; nothing is duplicated', async () => {
      const n = 100;
      const recs = [];
      for (let i = 0; i < n; i++) recs.push({ p: pusherClient(fp), got: [] });
      await Promise.all(recs.map((r) => connected(r.p, 30_000)));
      const ids = recs.map((r) => r.p.connection.socket_id);
      await Promise.all(recs.map(async (r) => (await subscribed(r.p, 'reload-load', 30_000)).bind('tick', (d) => r.got.push(d.n))));
      let running = true;
      let seq = 0;
      const ok = [];
      const failed = [];
      const pub = (async () => {
        while (running) {
          const k = ++seq;
          const r = await publish(fp, 'reload-load', 'tick', { n: k }).catch((e) => ({ status: e.message }));
          (r.status === 200 ? ok : failed).push(r.status === 200 ? k : r.status);
          await sleep(5);
        }
      })();
      const base = readFileSync(fp.configFile, 'utf8');
      const reloadMs = [];
      for (let i = 0; i < 3; i++) {
        await sleep(300);
        const t0 = Date.now();
        const r = await admin(fp, 'POST', '/load', base.replace('handshake_rate off', `handshake_rate off\n\t\tmax_auth_body ${16000 + i}`), 'text/caddyfile');
        reloadMs.push(Date.now() - t0);
        assert.equal(r.status, 200, r.body);
      }
      await sleep(300);
      running = false;
      await pub;
      const last = ok[ok.length - 1];
      const deadline = Date.now() + 30_000;
      while (!recs.every((r) => r.got.includes(last)) && Date.now() < deadline) await sleep(20);
      const missed = recs.map((r) => ok.filter((k) => !r.got.includes(k)).length);
      const dup = recs.some((r) => new Set(r.got).size !== r.got.length);
      const same = recs.filter((r, i) => r.p.connection.state === 'connected' && r.p.connection.socket_id === ids[i]).length;
      figure('frankenphp.reload_under_load', { clients: n, reloads: 3, reload_ms: reloadMs, published_ok: ok.length, publish_failures: failed.length, failure_kinds: [...new Set(failed)], sockets_kept: same, max_missed: Math.max(...missed), duplicates: dup });
      assert.equal(same, n, 'every socket survived the reloads');
      assert.ok(!dup);
      assert.equal(Math.max(...missed), 0, 'accepted publishes reach every subscriber across reloads');
      disconnectAll();
    });
  });

  describe('graceful stop and reconnect storm', () => {
    it('SIGTERM closes every client with 4200; a reconnect storm is shaped by the handshake limiter', async () => {
      const fp = await startFrankenPHP({ caddyfile: config('handshake_rate 20\n\t\thandshake_burst 10') });
      try {
        // Storm: 60 handshakes at once from one IP.
        const results = await Promise.all(Array.from({ length: 60 }, async () => {
          let tries = 0;
          const t0 = Date.now();
          for (;;) {
            tries++;
            const c = new WireClient(fp.wsUrl, appPath(fp.key));
            const status = await c.open().catch(() => 'error');
            if (/ 101 /.test(status)) { await c.established(); return { c, tries, ms: Date.now() - t0 }; }
            assert.match(String(status), / 429 /, `refused storm handshake: ${status}`);
            c.destroy();
            await sleep(1000); // Retry-After: 1
          }
        }));
        const limited = results.filter((r) => r.tries > 1).length;
        figure('frankenphp.handshake_storm', { clients: 60, rate: 20, burst: 10, got_429_first: limited, max_tries: Math.max(...results.map((r) => r.tries)), all_connected_ms: Math.max(...results.map((r) => r.ms)) });
        assert.ok(limited > 0, 'the limiter refused part of the storm with 429');
        const stopping = fp.stop();
        const codes = await Promise.all(results.map((r) => r.c.closed(30_000)));
        await stopping;
        figure('frankenphp.sigterm_close_codes', [...new Set(codes)]);
        assert.deepEqual([...new Set(codes)], [4200]);
      } finally {
        await fp.stop();
      }
    });
  });

  describe('slow HTTP clients', () => {
    it('read_header bounds silent and slowloris connections (Caddy default: 60 s)', async () => {
      const withTimeout = (p) => config('')(p).replace('default_bind 127.0.0.1', 'default_bind 127.0.0.1\n\tservers {\n\t\ttimeouts {\n\t\t\tread_header 5s\n\t\t}\n\t}');
      const fp = await startFrankenPHP({ caddyfile: withTimeout });
      try {
        const u = new URL(fp.url);
        const hold = (trickle) => new Promise((resolve) => {
          const t0 = Date.now();
          const s = connect(Number(u.port), u.hostname);
          let timer;
          if (trickle) timer = setInterval(() => s.write('a'), 500);
          if (trickle) s.write('GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ');
          s.on('error', () => {});
          s.on('close', () => { clearInterval(timer); resolve(Date.now() - t0); });
          setTimeout(() => s.destroy(), 60_000);
        });
        const [silent, slow] = await Promise.all([hold(false), hold(true)]);
        figure('frankenphp.read_header_5s', { silent_closed_ms: silent, slowloris_closed_ms: slow });
        assert.ok(silent < 60_000 && slow < 60_000, 'closed by the server');
      } finally {
        await fp.stop();
      }
    });
  });

  describe('origins', () => {
    it('refuses a foreign Origin with 403 before the upgrade; same host and allowed origins pass', async () => {
      const fp = await startFrankenPHP({ caddyfile: config('allowed_origins https://app.example.com') });
      try {
        const host = new URL(fp.url).host;
        const statuses = {};
        for (const origin of ['https://evil.example', 'null', 'https://app.example.com.evil.example', `http://${host}`, 'https://app.example.com']) {
          const c = new WireClient(fp.wsUrl, appPath(fp.key));
          statuses[origin] = (await c.open({ Origin: origin }).catch((e) => e.message)).split(' ')[1];
          c.destroy();
        }
        figure('frankenphp.origins', statuses);
        assert.equal(statuses['https://evil.example'], '403');
        assert.equal(statuses.null, '403');
        assert.equal(statuses['https://app.example.com.evil.example'], '403');
        assert.equal(statuses[`http://${host}`], '101');
        assert.equal(statuses['https://app.example.com'], '101');
      } finally {
        await fp.stop();
      }
    });
  });

  describe('Caddyfile errors (frankenphp validate)', () => {
    const cases = [
      ['unknown option', 'colour blue', /colour/],
      ['negative size', 'max_auth_body -5', /max_auth_body/],
      ['negative connections', 'max_connections -1', /max_connections/],
      ['negative duration', 'ping_period -1s', /ping_period/],
      ['bad duration', 'pong_wait soon', /pong_wait/],
      ['pong_wait not above ping_period', 'ping_period 60s\n\t\tpong_wait 30s', /pong_wait|ping_period/],
      ['zero shards', 'num_shards 0', /num_shards/],
      ['bad origin', 'allowed_origins ::://x', /origin/i],
    ];
    for (const [name, line, want] of cases) {
      it(`refuses ${name} with a message naming it`, async () => {
        const dir = mkdtempSync(join(tmpdir(), 'pogo-validate-'));
        try {
          const file = join(dir, 'Caddyfile');
          writeFileSync(file, config(line)({ port: 1, adminPort: 2 }));
          const r = await new Promise((resolve) => execFile(BINARY, ['validate', '--config', file, '--adapter', 'caddyfile'],
            { timeout: 60_000, env: { ...process.env, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir } },
            (err, stdout, stderr) => resolve({ code: err?.code ?? 0, out: `${stdout}${stderr}` })));
          const msg = r.out.split('\n').filter((l) => /error|Error/.test(l)).pop() ?? r.out.slice(-300);
          console.log(`CADDYFILE ${name}: exit ${r.code}: ${msg.slice(0, 300)}`);
          assert.notEqual(r.code, 0, `${name} was accepted`);
          assert.match(msg, want);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  });
});
