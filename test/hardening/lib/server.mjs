// Starting pogo-server for the hardening suite with any flag, its debug
// endpoint on, and helpers shared by the test files: signed HTTP API calls,
// /debug/stats, figures printed for docs/reliability.md.

import { spawn } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { buildServer, DEFAULT_APP } from '../../protocol/lib/target.mjs';

export { DEFAULT_APP };
const children = new Set();
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });

/**
 * Starts pogo-server with extra flags (array) and resolves with
 * {wsUrl, apiUrl, debugUrl, addr, pid, appId, key, secret, stderr(), exited, stop(signal), kill()}.
 * addr defaults to a free port; pass one to restart on the same port.
 */
export async function startServer(flags = [], { addr = '127.0.0.1:0' } = {}) {
  const bin = await buildServer();
  const app = DEFAULT_APP;
  const args = ['-addr', addr, '-debug-addr', '127.0.0.1:0', '-app-id', app.appId, '-app-key', app.key, '-app-secret', app.secret, ...flags];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (b) => { stderr = (stderr + b).slice(-65536); });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => { children.delete(child); resolve({ code, signal }); }));
  const ready = await new Promise((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`pogo-server did not start:\n${stderr}`)), 30_000);
    child.stdout.on('data', (b) => {
      out += b;
      const l = /POGO_LISTENING http:\/\/(\S+)/.exec(out);
      const d = /POGO_DEBUG (http:\/\/\S+)/.exec(out);
      if (l && d) { clearTimeout(t); resolve({ addr: l[1], debugUrl: d[1] }); }
    });
    exited.then((e) => { clearTimeout(t); reject(new Error(`pogo-server exited (${e.code}/${e.signal}):\n${stderr}`)); });
  });
  return {
    ...app,
    ...ready,
    pid: child.pid,
    wsUrl: `ws://${ready.addr}`,
    apiUrl: `http://${ready.addr}`,
    stderr: () => stderr,
    exited,
    /** Sends signal (default SIGTERM) and waits for the exit (SIGKILL after 20 s). */
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const r = await exited;
      clearTimeout(t);
      return r;
    },
  };
}

/** GETs /debug/stats (after a GC when gc is true). */
export async function stats(server, gc = false) {
  const r = await fetch(`${server.debugUrl}/debug/stats${gc ? '?gc=1' : ''}`);
  return r.json();
}

/** The WebSocket path of the app with pusher-js's query string. */
export function appPath(key = DEFAULT_APP.key) {
  return `/app/${key}?protocol=7&client=js&version=8.6.0&flash=false`;
}

/**
 * Builds a signed HTTP API URL (PROTOCOL.md §A.11). opts: {secret, key,
 * timestamp, signPath (path put in the signature), params}.
 */
export function signedApiUrl(server, method, path, body = '', opts = {}) {
  const params = {
    auth_key: opts.key ?? server.key,
    auth_timestamp: String(opts.timestamp ?? Math.floor(Date.now() / 1000)),
    auth_version: '1.0',
    ...(body ? { body_md5: createHash('md5').update(body).digest('hex') } : {}),
    ...opts.params,
  };
  const query = Object.keys(params).sort().map((k) => `${k.toLowerCase()}=${params[k]}`).join('&');
  const toSign = `${method.toUpperCase()}\n${opts.signPath ?? path}\n${query}`;
  const sig = createHmac('sha256', opts.secret ?? server.secret).update(toSign).digest('hex');
  const q = new URLSearchParams({ ...params, auth_signature: sig });
  return `${server.apiUrl}${path}?${q}`;
}

/** POSTs a signed JSON body to the app's /events and returns {status, body}. */
export async function publish(server, channel, event, data, extra = {}) {
  const body = JSON.stringify({ name: event, channel, data: typeof data === 'string' ? data : JSON.stringify(data), ...extra });
  const path = `/apps/${server.appId}/events`;
  const r = await fetch(signedApiUrl(server, 'POST', path, body), { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
  return { status: r.status, body: await r.text() };
}

/** Prints one figure for docs/reliability.md: "FIGURE name: value". */
export function figure(name, value) {
  console.log(`FIGURE ${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
}

/** Channel auth "key:hmac" for socketId and channel (and channel data). */
export function channelAuth(server, socketId, channel, channelData) {
  const msg = channelData === undefined ? `${socketId}:${channel}` : `${socketId}:${channel}:${channelData}`;
  return `${server.key}:${createHmac('sha256', server.secret).update(msg).digest('hex')}`;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
