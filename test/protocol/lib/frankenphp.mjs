// The FrankenPHP target (POGO_TARGET=frankenphp): the custom FrankenPHP
// binary with the pogo_websocket Caddy module (issues 4 and 8), started
// with a generated Caddyfile that maps the suite's server options onto the
// module's directives, so the same tests run against the Caddy handler.
//
// POGO_FRANKENPHP names the binary (default: bin/frankenphp, built by
// `mage build`). Requests the module passes on (e.g. /apps/{unknown id})
// reach a final `respond 404`, standing in for the application behind it.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withTimeout, sleep } from './wait.mjs';

/** Maps -apps file limit names onto the Caddyfile `limits` block. */
const LIMIT_NAMES = {
  max_channel_name_length: 'max_channel_name',
  max_event_name_length: 'max_event_name',
  max_payload_bytes: 'max_payload',
  max_message_bytes: 'max_message',
  max_presence_members: 'max_presence_members',
  max_user_info_bytes: 'max_user_info',
  max_user_id_length: 'max_user_id',
  client_events_per_second: 'client_events_per_second',
  max_subscriptions: 'max_subscriptions',
  max_channels_per_publish: 'max_channels_per_publish',
  max_batch_events: 'max_batch_events',
  max_watchlist: 'max_watchlist',
  cache_ttl: 'cache_ttl',
};

const onOff = (v) => (v ? 'on' : 'off');

/** Resolves with a free loopback TCP port. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function limitsBlock(limits = {}, indent) {
  const lines = Object.entries(limits).map(([k, v]) => {
    if (!LIMIT_NAMES[k]) throw new Error(`frankenphp target: unknown limit ${k}`);
    return `${indent}\t${LIMIT_NAMES[k]} ${v}`;
  });
  return lines.length ? [`${indent}limits {`, ...lines, `${indent}}`] : [];
}

/** Builds the pogo_websocket directive for the suite's options. */
export function pogoDirective(app, extraApps, server = {}) {
  const t = '\t\t\t';
  const lines = [`${t}app_id ${app.id}`, `${t}app_key ${app.key}`, `${t}app_secret ${app.secret}`];
  if (app.client_events !== undefined) lines.push(`${t}client_events ${onOff(app.client_events)}`);
  if (app.disabled) throw new Error('frankenphp target: the first app cannot be disabled');
  lines.push(...limitsBlock(app.limits, t));
  if (server.clientEvents !== undefined) lines.push(`${t}client_events ${onOff(server.clientEvents)}`);
  if (server.subscriptionCount !== undefined) lines.push(`${t}subscription_count ${onOff(server.subscriptionCount)}`);
  if (server.activityTimeout) lines.push(`${t}activity_timeout ${server.activityTimeout}`);
  if (server.pingPeriod) lines.push(`${t}ping_period ${server.pingPeriod}`);
  if (server.pongWait) lines.push(`${t}pong_wait ${server.pongWait}`);
  if (server.maxConnections) lines.push(`${t}max_connections ${server.maxConnections}`);
  if (server.webhookUrl) lines.push(`${t}webhook_url ${server.webhookUrl}`, `${t}webhook_secret ${app.secret}`);
  lines.push(`${t}shutdown_timeout 5s`);
  // The suite opens hundreds of connections from one address; the module's
  // per-IP handshake limiter (default 100/s, burst 50) is not under test here.
  lines.push(`${t}handshake_rate off`);
  for (const a of extraApps) {
    lines.push(`${t}app ${a.id} {`, `${t}\tkey ${a.key || a.id}`, `${t}\tsecret ${a.secret}`);
    if (a.client_events !== undefined) lines.push(`${t}\tclient_events ${onOff(a.client_events)}`);
    if (a.subscription_count !== undefined) lines.push(`${t}\tsubscription_count ${onOff(a.subscription_count)}`);
    if (a.disabled) lines.push(`${t}\tdisabled`);
    lines.push(...limitsBlock(a.limits, `${t}\t`), `${t}}`);
  }
  return `\t\tpogo_websocket {\n${lines.join('\n')}\n\t\t}`;
}

/** Polls the HTTP API until the server answers (any status) or exits. */
async function waitReady(base, exited) {
  let gone = false;
  exited.then(() => (gone = true));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !gone) {
    try {
      await fetch(`${base}/apps/ready-probe/channels`);
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(gone ? 'frankenphp exited during startup' : 'frankenphp did not answer within 30 s');
}

/**
 * Starts FrankenPHP for opts ({server, apps}, as for the hub target) and
 * resolves to the target object once the HTTP API answers.
 */
export async function startFrankenphp(opts, defaultApp, REPO_ROOT) {
  // A port that was free a moment ago may be taken meanwhile by another
  // process of this shared machine: retry with a new one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts, defaultApp, REPO_ROOT);
    } catch (err) {
      if (attempt >= 3 || !/address already in use/.test(err.message)) throw err;
    }
  }
}

async function startOnce(opts, defaultApp, REPO_ROOT) {
  const bin = process.env.POGO_FRANKENPHP || join(REPO_ROOT, 'bin', 'frankenphp');
  if (!existsSync(bin)) throw new Error(`no FrankenPHP binary at ${bin}: run \`mage build\` or set POGO_FRANKENPHP`);
  const apps = opts.apps || [{ id: defaultApp.appId, key: defaultApp.key, secret: defaultApp.secret }];
  const [first, ...rest] = apps.map((a) => ({ ...a, key: a.key || a.id }));
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'pogo-frankenphp-'));
  const caddyfile = `{\n\tadmin off\n\tpersist_config off\n\tauto_https off\n\tskip_install_trust\n\tstorage file_system ${dir}\n\tgrace_period 1s\n}\nhttp://127.0.0.1:${port} {\n\tbind 127.0.0.1\n\troute {\n${pogoDirective(first, rest, opts.server)}\n\t\trespond "no such route" 404\n\t}\n}\n`;
  writeFileSync(join(dir, 'Caddyfile'), caddyfile);
  const child = spawn(bin, ['run', '--config', join(dir, 'Caddyfile'), '--adapter', 'caddyfile'], {
    cwd: dir,
    env: { ...process.env, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  const keep = (b) => {
    stderr = (stderr + b).slice(-65536);
    if (process.env.POGO_SUITE_VERBOSE) process.stderr.write(b);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  exited.then(() => rmSync(dir, { recursive: true, force: true }));
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitReady(base, exited);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${err.message}\n${stderr}\n--- Caddyfile ---\n${caddyfile}`);
  }
  return {
    kind: 'frankenphp',
    host: '127.0.0.1',
    port,
    appId: first.id,
    key: first.key,
    secret: first.secret,
    apps: apps.map((a) => ({ appId: a.id, key: a.key || a.id, secret: a.secret })),
    wsUrl: `ws://127.0.0.1:${port}`,
    apiUrl: base,
    child,
    stderr: () => stderr,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      try {
        return await withTimeout(exited, 'frankenphp exit after SIGTERM', 15_000);
      } catch {
        child.kill('SIGKILL');
        return exited;
      }
    },
  };
}
