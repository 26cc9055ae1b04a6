// Leak checks of the real servers after connection churn: goroutines, open
// file descriptors and RSS before and after 1,000 connect / subscribe /
// publish / leave cycles (a third of them vanishing without a close frame),
// for pogo-server (/debug/stats) and bin/frankenphp (Caddy admin
// /debug/pprof/goroutine, /proc/<pid>/status and /proc/<pid>/fd). The long
// version is tools/soak.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { WireClient } from './lib/wire.mjs';
import { startServer, stats, appPath, publish, channelAuth, figure, sleep } from './lib/server.mjs';
import { startFrankenPHP, BINARY } from '../ext/lib/frankenphp.mjs';

/** 1,000 cycles in 20 parallel lanes: connect, subscribe public+private(+presence), publish, leave. */
async function churn(target) {
  const lane = async (l) => {
    for (let i = 0; i < 50; i++) {
      const c = new WireClient(target.wsUrl, appPath(target.key));
      await c.open();
      const sid = await c.established();
      const chans = [`leak-${l}`, `private-leak-${l}`];
      for (const ch of chans) {
        await c.send({ event: 'pusher:subscribe', data: { channel: ch, auth: ch.startsWith('private-') ? channelAuth(target, sid, ch) : undefined } });
      }
      const data = `{"user_id":"u${l}","user_info":{}}`;
      await c.send({ event: 'pusher:subscribe', data: { channel: 'presence-leak', channel_data: data, auth: channelAuth(target, sid, 'presence-leak', data) } });
      await c.until(() => c.events.filter((e) => e.event === 'pusher_internal:subscription_succeeded').length === 3, 'subscriptions');
      if (i % 10 === 0) assert.equal((await publish(target, `leak-${l}`, 'e', { i })).status, 200);
      if (i % 3 === 0) c.destroy();
      else {
        await c.write(Buffer.from([0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8])); // masked close 1000
        await c.closed();
      }
    }
  };
  await Promise.all(Array.from({ length: 20 }, (_, l) => lane(l)));
}

/**
 * Starts what a server creates once per process on first use, so that it
 * is part of the baseline: one connection subscribes (the first queued
 * frame starts the flusher pool) and stays silent long enough to park (the
 * first park opens the epoll poller), then leaves.
 */
async function warmUp(target) {
  const c = new WireClient(target.wsUrl, appPath(target.key));
  await c.open();
  await c.established();
  await c.send({ event: 'pusher:subscribe', data: { channel: 'leak-warmup' } });
  await c.until(() => c.events.some((e) => e.event === 'pusher_internal:subscription_succeeded'), 'warm-up subscription');
  await sleep(300);
  c.destroy();
  await sleep(1000);
}

/** Polls sample() until pred(sample) holds or ms pass; returns the last sample. */
async function settle(sample, pred, ms = 30_000) {
  const deadline = Date.now() + ms;
  let s = await sample();
  while (!pred(s) && Date.now() < deadline) {
    await sleep(250);
    s = await sample();
  }
  return s;
}

function adminGet(url) {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let t = '';
      res.on('data', (d) => { t += d; });
      res.on('end', () => resolve(t));
    }).on('error', reject).end();
  });
}

describe('leaks after churn', () => {
  it('pogo-server returns to its baseline goroutines and file descriptors', async () => {
    const server = await startServer();
    try {
      await warmUp(server);
      const base = await stats(server, true);
      const t0 = Date.now();
      await churn(server);
      const churnMs = Date.now() - t0;
      const after = await settle(() => stats(server, true), (s) => s.hub.open === 0 && s.goroutines <= base.goroutines && s.open_fds <= base.open_fds);
      figure('leaks.pogo_server', { cycles: 1000, churn_ms: churnMs, goroutines: [base.goroutines, after.goroutines], fds: [base.open_fds, after.open_fds], heap_alloc: [base.heap_alloc_bytes, after.heap_alloc_bytes], rss: [base.rss_bytes, after.rss_bytes], closes: after.hub.closes });
      assert.equal(after.hub.open, 0);
      assert.ok(after.goroutines <= base.goroutines, `goroutines ${base.goroutines} -> ${after.goroutines}`);
      assert.ok(after.open_fds <= base.open_fds, `fds ${base.open_fds} -> ${after.open_fds}`);
      assert.ok(after.heap_alloc_bytes < base.heap_alloc_bytes + (4 << 20), 'live heap back near baseline');
    } finally {
      await server.stop();
    }
  });

  it('bin/frankenphp returns to its baseline goroutines and file descriptors', { skip: existsSync(BINARY) ? false : `${BINARY} missing` }, async () => {
    const fp = await startFrankenPHP({ pogo: 'handshake_rate off' });
    try {
      const pid = fp.child.pid;
      const sample = async () => {
        const g = /goroutine profile: total (\d+)/.exec(await adminGet(`${fp.adminUrl}/debug/pprof/goroutine?debug=1`));
        const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
        return { goroutines: Number(g[1]), fds: readdirSync(`/proc/${pid}/fd`).length, rss };
      };
      // Warm up once (PHP workers, pools, flusher pool, poller), then take the baseline.
      await warmUp(fp);
      const base = await sample();
      const t0 = Date.now();
      await churn(fp);
      const churnMs = Date.now() - t0;
      const after = await settle(sample, (s) => s.goroutines <= base.goroutines + 2 && s.fds <= base.fds);
      figure('leaks.frankenphp', { cycles: 1000, churn_ms: churnMs, goroutines: [base.goroutines, after.goroutines], fds: [base.fds, after.fds], rss: [base.rss, after.rss] });
      assert.ok(after.goroutines <= base.goroutines + 2, `goroutines ${base.goroutines} -> ${after.goroutines}`);
      assert.ok(after.fds <= base.fds, `fds ${base.fds} -> ${after.fds}`);
    } finally {
      await fp.stop();
    }
  });
});
