// Starts the real bin/frankenphp (FrankenPHP + pogo_websocket + the PHP
// extension) on a generated Caddyfile with free loopback ports, and stops it.
// The binary comes from POGO_FRANKENPHP (set by `go tool mage ext:test`) or
// bin/frankenphp.

import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const FIXTURE = join(REPO_ROOT, 'test', 'ext', 'fixture');
export const BINARY = process.env.POGO_FRANKENPHP || join(REPO_ROOT, 'bin', 'frankenphp');
export const APP = Object.freeze({ appId: 'pogo-app', key: 'pogo-app', secret: 'test-secret' });

/**
 * Returns a TCP port on 127.0.0.1 that is free now. Ports come from below
 * Linux's ephemeral range (32768-60999), so the thousands of TIME-WAIT
 * sockets a load test leaves behind cannot take the port between this
 * check and the server's bind.
 */
export async function freePort() {
  for (let i = 0; i < 100; i++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const ok = await new Promise((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error('no free port found in 20000-31999');
}

/**
 * Writes a Caddyfile for the fixture: app worker (2 threads), the module
 * with auth_script, and `pogo` lines added verbatim inside pogo_websocket.
 */
export function caddyfile({ port, adminPort, pogo = '', appWorkers = 2, numThreads = 8 }) {
  return `{
	admin 127.0.0.1:${adminPort}
	default_bind 127.0.0.1
	frankenphp {
		num_threads ${numThreads}
		worker {
			file ${FIXTURE}/public/worker.php
			num ${appWorkers}
		}
	}
	order pogo_websocket before php_server
}

http://127.0.0.1:${port} {
	pogo_websocket {
		app_id ${APP.appId}
		app_secret ${APP.secret}
		auth_script ${FIXTURE}/auth/auth-worker.php
		num_workers 2
		${pogo}
	}
	php_server {
		root ${FIXTURE}/public
		index worker.php
		try_files {path} worker.php
	}
}
`;
}

/**
 * Starts bin/frankenphp and resolves once /status.json answers.
 * Returns {url, wsUrl, apiUrl, adminUrl, appId, key, secret, logs(), stop()}.
 */
export async function startFrankenPHP(opts = {}) {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run go tool mage ext:build`);
  const port = await freePort();
  const adminPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'pogo-ext-'));
  const file = join(dir, 'Caddyfile');
  writeFileSync(file, opts.caddyfile ? opts.caddyfile({ port, adminPort }) : caddyfile({ port, adminPort, ...opts }));
  let out = '';
  const child = spawn(BINARY, ['run', '--config', file, '--adapter', 'caddyfile'], {
    cwd: dir,
    env: { ...process.env, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir, POGO_TEST_SECRET: APP.secret, POGO_TEST_KEY: APP.key },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (b) => { out += b; });
  child.stderr.on('data', (b) => { out += b; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`frankenphp exited early:\n${out}`);
    try {
      const r = await fetch(`${url}/status.json`);
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`frankenphp did not become ready:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    ...APP,
    url,
    wsUrl: `ws://127.0.0.1:${port}`,
    apiUrl: url,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    configFile: file,
    child,
    exited,
    logs: () => out,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** POSTs JSON to the app worker's /publish endpoint and returns the statuses. */
export async function phpPublish(server, body) {
  const r = await fetch(`${server.url}/publish`, { method: 'POST', body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`/publish answered ${r.status}: ${await r.text()}`);
  return (await r.json()).statuses;
}

/**
 * Calls Caddy's admin API with node:http (fetch sends Sec-Fetch-Mode: cors,
 * which the admin endpoint refuses without an Origin) and resolves with
 * {status, body}. Each call uses a new connection: a /load restarts the
 * admin server, which closes kept-alive connections under the next call.
 */
export function admin(server, method, path, body, contentType = 'application/json') {
  return new Promise((resolve, reject) => {
    const opts = { method, agent: false, headers: body ? { 'Content-Type': contentType } : {} };
    const req = request(`${server.adminUrl}${path}`, opts, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, body: text }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}
