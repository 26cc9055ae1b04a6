// A real redis-server for the two-node browser test: a child process on a
// free loopback port (below the ephemeral range, see freePort), without
// persistence, killed by stop() or when this process exits.
// REDIS_SERVER overrides the binary (default: redis-server from PATH).

import { spawn } from 'node:child_process';
import net from 'node:net';
import { freePort } from '../../ext/lib/frankenphp.mjs';

/** How long redis-server may take to answer PING after start (generous: a loaded 2-core box). */
const READY_TIMEOUT_MS = 15_000;

/** Resolves true when something on 127.0.0.1:port answers PING with +PONG. */
async function ping(port) {
  return (await command(port, 'PING').catch(() => '')) === '+PONG';
}

/**
 * Sends one inline command (words without spaces) to 127.0.0.1:port and
 * resolves with the reply: the first line for simple replies (e.g. ':2',
 * '+PONG', '-ERR ...'), the payload for a bulk string (e.g. CLIENT LIST).
 */
export function command(port, ...words) {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, '127.0.0.1');
    let buf = '';
    c.setTimeout(5000, () => { c.destroy(); reject(new Error(`redis ${words[0]}: no answer`)); });
    c.on('error', reject);
    c.on('connect', () => c.write(`${words.join(' ')}\r\n`));
    c.on('data', (b) => {
      buf += b;
      const end = buf.indexOf('\r\n');
      if (end < 0) return;
      if (buf[0] !== '$') { c.destroy(); resolve(buf.slice(0, end)); return; }
      const len = Number(buf.slice(1, end));
      if (len < 0) { c.destroy(); resolve(null); return; }
      const body = Buffer.from(buf.slice(end + 2));
      if (body.length >= len) { c.destroy(); resolve(body.subarray(0, len).toString()); }
    });
  });
}

/** Attempts at starting when a chosen port was taken meanwhile (other processes share the machine). */
const START_ATTEMPTS = 3;

/**
 * Starts redis-server and resolves once it answers PING: on a free port, or
 * on port when given (to restart a stopped server at the same address; no
 * retries then). Returns {port, addr ("127.0.0.1:port"), command(...words),
 * logs(), stop()}; stop() (SIGKILL, nothing to save) is safe to call twice.
 */
export async function startRedis(port) {
  if (port !== undefined) return startOnce(port);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(await freePort());
    } catch (err) {
      if (attempt >= START_ATTEMPTS) throw err;
    }
  }
}

async function startOnce(port) {
  const child = spawn(process.env.REDIS_SERVER || 'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b) => { out = (out + b).slice(-16384); });
  child.stderr.on('data', (b) => { out = (out + b).slice(-16384); });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const spawnError = new Promise((resolve) => child.once('error', resolve));
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', kill);
  child.once('exit', () => process.removeListener('exit', kill));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      child.kill('SIGKILL');
      await exited;
    }
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let failed = null;
  spawnError.then((e) => { failed = e; });
  while (!(await ping(port))) {
    if (failed) throw new Error(`redis-server could not start: ${failed.message}`);
    if (child.exitCode !== null) throw new Error(`redis-server exited early:\n${out}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server on ${port} did not answer PING in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, addr: `127.0.0.1:${port}`, command: (...w) => command(port, ...w), logs: () => out, stop };
}
