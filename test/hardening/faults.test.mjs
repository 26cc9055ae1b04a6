// Faults against the real pogo-server with real pusher-js clients: the
// process killed with clients on it, a graceful restart under publish load,
// the webhook receiver down or slow. For each: what clients see, what is
// lost, how long until healthy (printed as FIGURE lines, never asserted).

import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect as pusherClient, subscribed, connected, disconnectAll } from '../protocol/lib/clients.mjs';
import { freePort } from '../ext/lib/frankenphp.mjs';
import { startServer, publish, stats, figure, sleep } from './lib/server.mjs';
import { WireClient } from './lib/wire.mjs';
import { appPath } from './lib/server.mjs';

const servers = new Set();
async function start(flags, opts) {
  const s = await startServer(flags, opts);
  servers.add(s);
  return s;
}

/** Connects n pusher-js clients subscribed to channel; each records event names and close codes. */
async function crowd(server, n, channel) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const p = pusherClient(server);
    const rec = { p, got: [], closes: [], subs: 0 };
    // pusher-js reports the close of its socket as a 'closed' event of the connection.
    p.connection.bind('error', (e) => { if (e?.error?.data?.code) rec.closes.push(e.error.data.code); });
    out.push(rec);
  }
  await Promise.all(out.map((r) => connected(r.p, 30_000)));
  await Promise.all(out.map(async (r) => {
    const ch = await subscribed(r.p, channel, 30_000);
    ch.bind('tick', (d) => r.got.push(d.n));
    ch.bind('pusher:subscription_succeeded', () => { r.subs++; });
  }));
  return out;
}

/** Waits until every client has resubscribed (a new subscription_succeeded); returns the ms since t0. */
async function allBack(recs, channel, t0, ms = 90_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = recs.every((r) => r.subs > 0 && r.p.connection.state === 'connected' && r.p.channel(channel)?.subscribed);
    if (ok) return Date.now() - t0;
    if (Date.now() > deadline) throw new Error(`clients not back: ${recs.filter((r) => r.p.connection.state !== 'connected').length} disconnected`);
    await sleep(50);
  }
}

/**
 * Publishes numbered 'tick' events on channel to target() (read before each
 * publish, so a restarted server takes over) every 10 ms until stop(),
 * which resolves to {accepted: the numbers answered 200, refused: count}.
 */
function publishLoop(target, channel) {
  let seq = 0;
  let refused = 0;
  let running = true;
  const accepted = [];
  const done = (async () => {
    while (running) {
      const k = ++seq;
      const r = await publish(target(), channel, 'tick', { n: k }).catch(() => ({ status: 0 }));
      if (r.status === 200) accepted.push(k); else refused++;
      await sleep(10);
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return { accepted, refused };
    },
  };
}

/**
 * Waits until every recorder got the last accepted event, then returns the
 * accepted events each one missed and whether any got one twice.
 */
async function losses(recs, accepted) {
  const last = accepted[accepted.length - 1];
  await Promise.all(recs.map((rec) => waitFor(() => rec.got.includes(last), 'last event')));
  return {
    missing: recs.map((rec) => accepted.filter((k) => !rec.got.includes(k)).length),
    dup: recs.some((rec) => new Set(rec.got).size !== rec.got.length),
  };
}

describe('faults (pogo-server, pusher-js clients)', () => {
  after(async () => {
    disconnectAll();
    for (const s of servers) await s.stop('SIGKILL');
  });

  it('a node killed with clients on it: clients reconnect to the restarted node and resubscribe', async () => {
    const port = await freePort();
    const addr = `127.0.0.1:${port}`;
    let server = await start([], { addr });
    const recs = await crowd(server, 50, 'kill-test');
    const t0 = Date.now();
    await server.stop('SIGKILL');
    const duringDown = await publish(server, 'kill-test', 'tick', { n: -1 }).catch((e) => ({ status: `refused (${e.cause?.code ?? e.message})` }));
    server = await start([], { addr });
    const restartMs = Date.now() - t0;
    const t1 = Date.now();
    const backMs = await allBack(recs, 'kill-test', t1);
    const r = await publish(server, 'kill-test', 'tick', { n: 1 });
    assert.equal(r.status, 200);
    await Promise.all(recs.map((rec) => waitFor(() => rec.got.includes(1), 'event after restart')));
    figure('fault.node_killed', { clients: 50, process_restart_ms: restartMs, all_resubscribed_after_restart_ms: backMs, publish_while_down: duringDown.status, close_codes_seen: [...new Set(recs.flatMap((x) => x.closes))] });
    disconnectAll();
    await server.stop();
  });

  it('a graceful restart under publish load: 4200, immediate reconnect, nothing lost beyond the gap', async () => {
    const port = await freePort();
    const addr = `127.0.0.1:${port}`;
    let server = await start(['-shutdown-timeout', '5s'], { addr });
    const n = 200;
    const raw = new WireClient(server.wsUrl, appPath());
    await raw.open();
    await raw.established();
    const recs = await crowd(server, n, 'restart-test');
    const pub = publishLoop(() => server, 'restart-test');
    await sleep(500);
    const t0 = Date.now();
    const stopped = server.stop('SIGTERM');
    const rawCode = await raw.closed(20_000);
    const exit = await stopped;
    const downMs = Date.now() - t0;
    server = await start(['-shutdown-timeout', '5s'], { addr });
    const t1 = Date.now();
    const backMs = await allBack(recs, 'restart-test', t1);
    await sleep(500);
    const { accepted, refused } = await pub.stop();
    const { missing, dup } = await losses(recs, accepted);
    figure('fault.graceful_restart', {
      clients: n, raw_close_code: rawCode, exit_code: exit.code, stop_to_restart_ms: downMs, all_resubscribed_after_restart_ms: backMs, published_ok: accepted.length,
      publish_refused_while_down: refused, max_events_missed_per_client: Math.max(...missing), min_events_missed_per_client: Math.min(...missing), duplicates: dup,
    });
    assert.equal(rawCode, 4200);
    assert.equal(exit.code, 0);
    assert.ok(!dup, 'at most once: no duplicates');
    disconnectAll();
    await server.stop();
  });

  it('a zero-gap restart with -reuse-port: the new process listens first, clients move over at once', async () => {
    const port = await freePort();
    const addr = `127.0.0.1:${port}`;
    const flags = ['-shutdown-timeout', '5s', '-reuse-port'];
    const old = await start(flags, { addr });
    const n = 200;
    const recs = await crowd(old, n, 'reuse-test');
    let target = old;
    const pub = publishLoop(() => target, 'reuse-test');
    await sleep(500);
    const next = await start(flags, { addr });
    target = next;
    const t0 = Date.now();
    const exit = await old.stop('SIGTERM');
    const backMs = await allBack(recs, 'reuse-test', t0);
    await sleep(500);
    const { accepted, refused } = await pub.stop();
    const { missing, dup } = await losses(recs, accepted);
    figure('fault.reuse_port_restart', {
      clients: n, exit_code: exit.code, all_resubscribed_after_sigterm_ms: backMs, published_ok: accepted.length, publish_refused: refused,
      max_events_missed_per_client: Math.max(...missing), min_events_missed_per_client: Math.min(...missing), duplicates: dup,
    });
    assert.equal(exit.code, 0);
    assert.ok(!dup, 'at most once: no duplicates');
    disconnectAll();
    await next.stop();
  });

  it('the webhook receiver down, then slow: clients and publishes are unaffected', async () => {
    const deadPort = await freePort();
    let server = await start(['-webhook-url', `http://127.0.0.1:${deadPort}/hook`, '-webhook-grace', '0']);
    await churn(server, 'down');
    const s1 = await stats(server);
    figure('fault.webhook_down', { goroutines: s1.goroutines, webhook_warnings: (server.stderr().match(/webhook delivery failed/g) || []).length });
    await server.stop();

    let hits = 0;
    const slow = createServer((req, res) => { hits++; setTimeout(() => { res.end('ok'); }, 8000); });
    await new Promise((r) => slow.listen(0, '127.0.0.1', r));
    server = await start(['-webhook-url', `http://127.0.0.1:${slow.address().port}/hook`, '-webhook-grace', '0']);
    const t0 = Date.now();
    await churn(server, 'slow');
    figure('fault.webhook_slow', { churn_ms: Date.now() - t0, receiver_hits: hits, queue_dropped: (server.stderr().match(/webhook queue full/g) || []).length });
    await server.stop();
    slow.closeAllConnections?.();
    slow.close();
  });
});

/** 30 subscribe/unsubscribe rounds with a publish each; all must be delivered. */
async function churn(server, tag) {
  const c = new WireClient(server.wsUrl, appPath());
  await c.open();
  await c.established();
  for (let i = 0; i < 30; i++) {
    const ch = `hook-${tag}-${i}`;
    await c.send({ event: 'pusher:subscribe', data: { channel: ch } });
    await c.until(() => c.events.some((e) => e.event === 'pusher_internal:subscription_succeeded' && e.channel === ch), 'sub');
    const r = await publish(server, ch, 'ev', { i });
    assert.equal(r.status, 200);
    await c.until(() => c.events.some((e) => e.event === 'ev' && e.channel === ch), 'event');
    await c.send({ event: 'pusher:unsubscribe', data: { channel: ch } });
  }
  c.destroy();
}

async function waitFor(pred, what, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timeout: ${what}`);
    await sleep(20);
  }
}
