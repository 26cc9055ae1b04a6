// Starting and stopping the server under test.
//
// POGO_TARGET selects the target:
//   hub (default)  builds go/hub/cmd/pogo-server (go.work at the repo root)
//                  and starts one process per startTarget() call on a free
//                  loopback port, with the flags the test file asks for.
//   frankenphp     starts bin/frankenphp (or POGO_FRANKENPHP) with a
//                  generated Caddyfile serving the pogo_websocket module,
//                  one process per file (see lib/frankenphp.mjs).
//   external       uses an already running server described by
//                  POGO_WS_URL, POGO_API_URL, POGO_APP_ID, POGO_APP_KEY and
//                  POGO_APP_SECRET. Files that need non-default server
//                  settings name a profile; POGO_EXTERNAL_PROFILES may point
//                  to a JSON file {"<profile>": {wsUrl, apiUrl, appId, key,
//                  secret}}. A profile that is not configured makes the
//                  target unavailable and the file's tests are skipped.
//
// POGO_SERVER_BIN skips the build and uses that binary instead.

import { spawn, execFile } from 'node:child_process';
import { mkdirSync, rmdirSync, rmSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { withTimeout, sleep } from './wait.mjs';
import { startFrankenphp } from './frankenphp.mjs';

const execFileP = promisify(execFile);

/** Repository root: test/protocol/lib -> ../../.. */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Default credentials of the hub target's app (id, key and secret differ on purpose). */
export const DEFAULT_APP = Object.freeze({
  appId: 'pogo-test',
  key: 'pogo-test-key',
  secret: 'pogo-test-secret-0123456789abcdef',
});

const BUILD_DIR = join(tmpdir(), `pogo-protocol-suite-${process.getuid?.() ?? 0}`);
const LOCK_DIR = join(BUILD_DIR, 'build.lock');
const children = new Set();
const exitHooks = [];

process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  for (const h of exitHooks) h();
});

/**
 * Serialises builds between test files running in parallel processes: a
 * lock directory owned by a pid. A lock whose owner died is taken over.
 */
async function withBuildLock(fn) {
  mkdirSync(BUILD_DIR, { recursive: true });
  const ownerFile = join(BUILD_DIR, 'build.owner');
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(ownerFile, String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      if (lockOwnerDead(ownerFile) || Date.now() > deadline) {
        try { rmdirSync(LOCK_DIR); } catch { /* raced: someone else took it over */ }
        continue;
      }
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmdirSync(LOCK_DIR);
  }
}

function lockOwnerDead(ownerFile) {
  let pid;
  try {
    pid = Number(readFileSync(ownerFile, 'utf8'));
  } catch {
    // The owner has created the directory but not yet written its pid:
    // treat the lock as alive unless it is old.
    try {
      return Date.now() - statSync(LOCK_DIR).mtimeMs > 60_000;
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

/**
 * Builds pogo-server once per suite run. go build leaves an up-to-date
 * output untouched, so the files after the first one pay only the check.
 */
export async function buildServer() {
  if (process.env.POGO_SERVER_BIN) return process.env.POGO_SERVER_BIN;
  const out = join(BUILD_DIR, 'pogo-server');
  await withBuildLock(async () => {
    try {
      await execFileP('go', ['build', '-o', out, './go/hub/cmd/pogo-server'], {
        cwd: REPO_ROOT,
        timeout: 240_000,
        maxBuffer: 16 << 20,
      });
    } catch (err) {
      throw new Error(`building pogo-server failed:\n${err.stderr || err.message}`);
    }
  });
  return out;
}

/** Converts an options object into pogo-server command line flags. */
export function serverArgs(app, opts = {}) {
  const args = ['-addr', '127.0.0.1:0'];
  // With -apps the file holds every app; -app-id "" disables the flag app.
  if (opts.appsFile) args.push('-app-id', '');
  else args.push('-app-id', app.appId, '-app-key', app.key, '-app-secret', app.secret);
  const flagNames = {
    clientEvents: 'client-events',
    subscriptionCount: 'subscription-count',
    activityTimeout: 'activity-timeout',
    pingPeriod: 'ping-period',
    pongWait: 'pong-wait',
    maxConnections: 'max-connections',
    webhookUrl: 'webhook-url',
    appsFile: 'apps',
  };
  for (const [k, v] of Object.entries(opts)) {
    if (v === undefined) continue;
    const flag = flagNames[k];
    if (!flag) throw new Error(`unknown server option ${k}`);
    args.push(typeof v === 'boolean' ? `-${flag}=${v}` : `-${flag}`, ...(typeof v === 'boolean' ? [] : [String(v)]));
  }
  return args;
}

/**
 * Starts the hub target and resolves once it printed its POGO_LISTENING
 * line. The child's stderr is kept (last 64 KiB) for failure messages.
 */
async function startHub(opts) {
  const bin = await buildServer();
  let app = DEFAULT_APP;
  let apps = [];
  const server = { ...opts.server };
  if (opts.apps) {
    // -apps FILE: the first app is the target's default app.
    mkdirSync(BUILD_DIR, { recursive: true });
    const file = join(BUILD_DIR, `apps-${process.pid}-${Date.now()}.json`);
    writeFileSync(file, JSON.stringify(opts.apps));
    exitHooks.push(() => rmSync(file, { force: true }));
    server.appsFile = file;
    apps = opts.apps.map((a) => ({ appId: a.id, key: a.key || a.id, secret: a.secret }));
    app = apps[0];
  }
  const child = spawn(bin, serverArgs(app, server), { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (b) => {
    stderr = (stderr + b).slice(-65536);
    if (process.env.POGO_SUITE_VERBOSE) process.stderr.write(b);
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  exited.then(() => children.delete(child));
  const listening = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b) => {
      out += b;
      const m = /POGO_LISTENING (https?):\/\/([^\s:]+):(\d+)/.exec(out);
      if (m) resolve({ host: m[2], port: Number(m[3]) });
    });
    exited.then(({ code, signal }) => reject(new Error(`pogo-server exited early (code ${code}, signal ${signal}):\n${stderr}`)));
  });
  let addr;
  try {
    addr = await withTimeout(listening, 'POGO_LISTENING from pogo-server', 20_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const base = `${addr.host}:${addr.port}`;
  return {
    kind: 'hub',
    ...addr,
    ...app,
    apps,
    wsUrl: `ws://${base}`,
    apiUrl: `http://${base}`,
    stderr: () => stderr,
    exited,
    /** Sends SIGTERM and waits (then SIGKILL after 10 s). Idempotent. */
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      try {
        return await withTimeout(exited, 'pogo-server exit after SIGTERM', 10_000);
      } catch {
        child.kill('SIGKILL');
        return exited;
      }
    },
  };
}

/** Reads the external target of profile from the environment. */
function externalTarget(profile) {
  let info;
  if (profile === 'default') {
    const e = process.env;
    info = { wsUrl: e.POGO_WS_URL, apiUrl: e.POGO_API_URL, appId: e.POGO_APP_ID, key: e.POGO_APP_KEY || e.POGO_APP_ID, secret: e.POGO_APP_SECRET };
  } else if (process.env.POGO_EXTERNAL_PROFILES) {
    info = JSON.parse(readFileSync(process.env.POGO_EXTERNAL_PROFILES, 'utf8'))[profile];
  }
  if (!info || !info.wsUrl || !info.apiUrl || !info.appId || !info.secret) return null;
  const u = new URL(info.wsUrl);
  return {
    kind: 'external',
    host: u.hostname,
    port: Number(u.port || 80),
    appId: info.appId,
    key: info.key || info.appId,
    secret: info.secret,
    apps: (info.apps || []).map((a) => ({ appId: a.appId, key: a.key || a.appId, secret: a.secret })),
    wsUrl: info.wsUrl.replace(/\/$/, ''),
    apiUrl: info.apiUrl.replace(/\/$/, ''),
    stderr: () => '',
    exited: new Promise(() => {}),
    async stop() {},
  };
}

/**
 * Reports synchronously whether the selected target can serve a file
 * started with opts; returns null when it can, else the reason to skip.
 */
export function unavailableReason(opts = {}) {
  const kind = process.env.POGO_TARGET || 'hub';
  if (kind !== 'external') return null;
  if (opts.hubOnly) return 'needs a server process the suite starts (POGO_TARGET=hub or frankenphp)';
  const profile = opts.profile || 'default';
  return externalTarget(profile) ? null : `external profile "${profile}" is not configured`;
}

/**
 * Starts (or looks up) the target for one test file.
 *
 * opts.profile names the server settings for external targets (default
 * "default"); opts.apps (hub only) is the JSON array written to a -apps
 * file, whose first entry becomes the default app, and target.apps lists
 * every app as {appId, key, secret}; opts.server holds the pogo-server flags for the hub target
 * ({clientEvents, subscriptionCount, activityTimeout, pingPeriod, pongWait,
 * maxConnections, webhookUrl, appsFile}). opts.hubOnly marks files that can
 * only run against a process the suite starts (hub or frankenphp), e.g.
 * SIGTERM tests; they are skipped for external targets.
 *
 * Resolves to {kind, host, port, appId, key, secret, wsUrl, apiUrl, stop()}
 * or to null when the selected target cannot serve this file (callers skip).
 */
export async function startTarget(opts = {}) {
  const kind = process.env.POGO_TARGET || 'hub';
  if (kind === 'hub') return startHub(opts);
  if (kind === 'frankenphp') {
    const t = await startFrankenphp(opts, DEFAULT_APP, REPO_ROOT);
    children.add(t.child);
    t.exited.then(() => children.delete(t.child));
    return t;
  }
  if (kind === 'external') {
    if (opts.hubOnly) return null;
    return externalTarget(opts.profile || 'default');
  }
  throw new Error(`POGO_TARGET must be "hub", "frankenphp" or "external", got ${JSON.stringify(kind)}`);
}
