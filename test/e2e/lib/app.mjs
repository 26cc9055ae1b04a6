// Serves examples/laravel-app with the real bin/frankenphp (FrankenPHP +
// pogo_websocket + the PHP extension) on free loopback ports, the way
// `go tool mage run` does, with everything writable (SQLite queue database,
// sessions, compiled views, Caddy state) in a fresh temporary directory.
// The binary comes from POGO_FRANKENPHP or bin/frankenphp.

import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../ext/lib/frankenphp.mjs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const APP_DIR = join(REPO_ROOT, 'examples', 'laravel-app');
export const BINARY = process.env.POGO_FRANKENPHP || join(REPO_ROOT, 'bin', 'frankenphp');

/** How long the server may take to answer /up after start (generous: a loaded 2-core box). */
const READY_TIMEOUT_MS = 60_000;
/** How long a stopping server gets before SIGKILL. */
const STOP_TIMEOUT_MS = 15_000;

/** Resolves with n distinct free TCP ports on 127.0.0.1, below the ephemeral range (see freePort). */
export async function freePorts(n) {
  const ports = new Set();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/**
 * Makes sure vendor/autoload.php exists: `composer dump-autoload` works
 * offline (Laravel then comes from Debian's packages, see
 * bootstrap/offline-autoload.php).
 */
export async function ensureAutoloader() {
  if (existsSync(join(APP_DIR, 'vendor', 'autoload.php'))) return;
  await run('composer', ['dump-autoload', '--quiet'], {
    cwd: APP_DIR, env: { ...process.env, COMPOSER_ALLOW_SUPERUSER: '1' }, timeout: 120_000,
  });
}

/** Runs `php artisan ...` in the example with env; rejects with its output on failure. */
export async function artisan(env, ...args) {
  try {
    return await run('php', ['artisan', ...args], { cwd: APP_DIR, env, timeout: 120_000 });
  } catch (err) {
    throw new Error(`php artisan ${args.join(' ')} failed: ${err.message}\n${err.stdout ?? ''}${err.stderr ?? ''}`);
  }
}

/** Attempts at starting when a chosen port was taken meanwhile (other processes share the machine). */
const START_ATTEMPTS = 3;

/**
 * Starts the example and resolves once GET /up answers 200.
 * Returns {url, port, env, logs(), queueWork(), stop()}; stop() is safe to call twice.
 *
 * opts (all optional; without them the example runs alone, as before):
 *   env:  variables that override the generated ones for the server and for
 *         artisan, e.g. a shared DB_DATABASE, SESSION_PATH and WS_APP_SECRET
 *         when several nodes serve the same app (files they name are not
 *         removed by stop()).
 *   pogo: lines added verbatim at the top of the pogo_websocket block of the
 *         Caddyfile, e.g. `redis_host 127.0.0.1:6379`.
 */
export async function startExample(opts = {}) {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run go tool mage ext:build`);
  await ensureAutoloader();
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      if (attempt >= START_ATTEMPTS || !/address already in use/.test(err.message)) throw err;
    }
  }
}

/** One start on fresh ports and a fresh temporary directory. */
async function startOnce({ env: extraEnv = {}, pogo = '' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pogo-e2e-'));
  for (const d of ['sessions', 'views', 'caddy']) mkdirSync(join(dir, d));
  const database = join(dir, 'queue.sqlite');
  writeFileSync(database, '');
  // deadPort: nothing listens there (see serverEnv below).
  const [port, adminPort, deadPort] = await freePorts(3);
  const env = {
    ...process.env,
    POGO_PORT: String(port),
    POGO_ADMIN_PORT: String(adminPort),
    WS_APP_SECRET: randomBytes(32).toString('hex'),
    POGO_WEBHOOK_SECRET: randomBytes(32).toString('hex'),
    XDG_CONFIG_HOME: join(dir, 'caddy'),
    XDG_DATA_HOME: join(dir, 'caddy'),
    DB_DATABASE: database,
    SESSION_PATH: join(dir, 'sessions'),
    VIEW_COMPILED_PATH: join(dir, 'views'),
    POGO_API_HOST: '127.0.0.1',
    POGO_API_PORT: String(port),
    APP_DEBUG: 'true',
    LOG_CHANNEL: 'stderr',
    ...extraEnv,
  };

  // The server's PHP gets an HTTP API address where nothing listens: had a
  // broadcast from the app worker not taken the native path, it would fail.
  // artisan (migrate, queue:work) gets the real one.
  const serverEnv = { ...env, POGO_API_PORT: String(deadPort) };
  const caddyfile = join(dir, 'Caddyfile');
  writeFileSync(caddyfile, loopbackCaddyfile(pogo));

  let out = '';
  let child;
  let exited = Promise.resolve();
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
    // The lock file of bootstrap/announce.php, named after the server's pid.
    if (child?.pid) rmSync(join(tmpdir(), `pogo-example-${child.pid}.lock`), { force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  try {
    await artisan(env, 'migrate', '--force', '--no-interaction');
    child = spawn(BINARY, ['run', '--config', caddyfile, '--adapter', 'caddyfile'], {
      cwd: APP_DIR, env: serverEnv, stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (b) => { out += b; });
    child.stderr.on('data', (b) => { out += b; });
    exited = new Promise((resolve) => child.once('exit', resolve));
    killOnExit(child, dir);
    await waitReady(url, child, () => out);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    port,
    env,
    logs: () => out,
    /** Runs the queue worker until the queue is empty (queued broadcasts take the HTTP API path). */
    queueWork: () => artisan(env, 'queue:work', '--stop-when-empty', '--tries=1'),
    stop,
  };
}

/**
 * Makes sure the server dies with this process and its temporary directory
 * goes, even when the test runner is interrupted (SIGINT, SIGTERM) before
 * the after() hooks run.
 */
function killOnExit(child, dir) {
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', kill);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      kill();
      process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    });
  }
  child.once('exit', () => process.removeListener('exit', kill));
}

/**
 * The example's committed Caddyfile with one line added to its global
 * options, `default_bind 127.0.0.1`, so the test listens on loopback only
 * (a wildcard bind can collide with other sockets on a shared machine),
 * and the lines of pogo (if any) added at the top of pogo_websocket.
 * Relative paths in it still resolve against the app folder, the server's cwd.
 */
function loopbackCaddyfile(pogo = '') {
  let text = readFileSync(join(APP_DIR, 'Caddyfile'), 'utf8');
  if (pogo) {
    const block = '\tpogo_websocket {\n';
    const at = text.indexOf(block);
    if (at < 0) throw new Error('examples/laravel-app/Caddyfile has no pogo_websocket block');
    const lines = pogo.split('\n').map((l) => `\t\t\t${l.trim()}\n`).join('');
    text = `${text.slice(0, at + block.length)}${lines}${text.slice(at + block.length)}`;
  }
  const open = text.indexOf('{\n');
  if (open < 0) throw new Error('examples/laravel-app/Caddyfile has no global options block');
  return `${text.slice(0, open + 2)}\tdefault_bind 127.0.0.1\n${text.slice(open + 2)}`;
}

/** Polls GET /up until it answers 200, the process exits, or the deadline passes. */
async function waitReady(url, child, logs) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`frankenphp exited early:\n${logs()}`);
    try {
      const r = await fetch(`${url}/up`);
      if (r.ok) return;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`the example did not answer /up in time:\n${logs()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
