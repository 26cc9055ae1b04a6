// Helpers of the cluster suite: a real redis-server and several real
// pogo-server processes joined through it (go/hub/redis), on loopback
// ports. Clients and waits come from the protocol suite's helpers.
//
// REDIS_SERVER overrides the redis-server binary (default: from PATH).

import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import net from 'node:net';
import { buildServer, DEFAULT_APP } from '../protocol/lib/target.mjs';
import { withTimeout } from '../protocol/lib/wait.mjs';
import { startRedis as startRedisServer } from '../e2e/lib/redis.mjs';

const children = new Set();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** Returns a free loopback port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function track(child) {
  children.add(child);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  exited.then(() => children.delete(child));
  return exited;
}

/**
 * Starts redis-server on a free port without persistence (the e2e suite's
 * starter). The returned object can stop() (SIGKILL: an abrupt outage) and
 * start() again on the same port.
 */
export async function startRedis() {
  let server = await startRedisServer();
  const r = {
    port: server.port,
    addr: server.addr,
    async start() { server = await startRedisServer(r.port); },
    async stop() { await server.stop(); },
  };
  return r;
}

/**
 * Starts one pogo-server joined to redis. opts: nodeId, webhookUrl,
 * heartbeat, nodeTtl, extra (array of flags). Resolves to a target object
 * usable with the protocol helpers (connect, sdk, ...) plus kill() and
 * stop().
 */
export async function startNode(redis, opts = {}) {
  const bin = await buildServer();
  const app = DEFAULT_APP;
  const args = ['-addr', '127.0.0.1:0', '-app-id', app.appId, '-app-key', app.key, '-app-secret', app.secret,
    '-redis-addr', redis.addr, '-node-id', opts.nodeId || 'node', '-webhook-grace', '0',
    '-redis-heartbeat', opts.heartbeat || '200ms', '-redis-node-ttl', opts.nodeTtl || '2s'];
  if (opts.webhookUrl) args.push('-webhook-url', opts.webhookUrl);
  if (opts.extra) args.push(...opts.extra);
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = track(child);
  let stderr = '';
  child.stderr.on('data', (b) => {
    stderr = (stderr + b).slice(-65536);
    if (process.env.POGO_SUITE_VERBOSE) process.stderr.write(b);
  });
  const listening = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b) => {
      out += b;
      const m = /POGO_LISTENING http:\/\/([^\s:]+):(\d+)/.exec(out);
      if (m) resolve({ host: m[1], port: Number(m[2]) });
    });
    exited.then(({ code, signal }) => reject(new Error(`pogo-server exited early (${code}, ${signal}):\n${stderr}`)));
  });
  const addr = await withTimeout(listening, 'POGO_LISTENING', 30_000);
  const base = `${addr.host}:${addr.port}`;
  return {
    kind: 'hub', ...addr, ...app, apps: [], nodeId: opts.nodeId,
    wsUrl: `ws://${base}`, apiUrl: `http://${base}`,
    stderr: () => stderr, exited,
    /** SIGKILL: the node dies without leaving. */
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    /** SIGTERM: graceful shutdown (SIGKILL after 10 s). */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      try { await withTimeout(exited, 'pogo-server exit', 10_000); } catch { child.kill('SIGKILL'); await exited; }
    },
  };
}

/** Starts redis and n nodes (ids n0..n{n-1}) with the same options. */
export async function startCluster(n, opts = {}) {
  const redis = await startRedis();
  const nodes = [];
  for (let i = 0; i < n; i++) nodes.push(await startNode(redis, { ...opts, nodeId: `n${i}` }));
  return {
    redis,
    nodes,
    async stop() {
      await Promise.all(nodes.map((x) => x.stop()));
      await redis.stop();
    },
  };
}

/** An HTTP receiver recording every webhook event ({name, channel, ...}). */
export async function webhookReceiver() {
  const events = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (b) => { body += b; });
    req.on('end', () => {
      try {
        for (const e of JSON.parse(body).events || []) events.push(e);
      } catch { /* ignore */ }
      res.end('ok');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/webhooks`,
    events,
    named: (name, channel) => events.filter((e) => e.name === name && (!channel || e.channel === channel)),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
