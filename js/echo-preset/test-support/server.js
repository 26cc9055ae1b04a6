/**
 * Test helper: builds and runs the standalone Go server (go/hub/cmd/pogo-server)
 * on a random loopback port. Set POGO_SERVER_BIN to use a prebuilt binary.
 * Servers are killed by stop(), and in any case when the test process exits.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** Root of the monorepo (holds go.work). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const BUILD_TIMEOUT_MS = 600_000;
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const running = new Set();

process.on('exit', () => {
  for (const child of running) {
    child.kill('SIGKILL');
  }
});

let built;

/**
 * Returns the path of a pogo-server binary: POGO_SERVER_BIN when set, else a
 * fresh `go build` into a temporary directory (once per process, removed at exit).
 */
export function pogoServerBinary() {
  if (process.env.POGO_SERVER_BIN) {
    return Promise.resolve(process.env.POGO_SERVER_BIN);
  }
  built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pogo-echo-preset-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    const bin = join(dir, 'pogo-server');
    try {
      await promisify(execFile)('go', ['build', '-o', bin, './go/hub/cmd/pogo-server'], {
        cwd: REPO_ROOT,
        timeout: BUILD_TIMEOUT_MS,
        maxBuffer: 16 << 20,
      });
    } catch (err) {
      throw new Error(`go build ./go/hub/cmd/pogo-server failed: ${err.stderr || err.message}`, { cause: err });
    }
    return bin;
  })();
  return built;
}

/**
 * Starts pogo-server for one app and resolves once it prints
 * `POGO_LISTENING http://host:port`.
 *
 * @param {{ appId: string, key: string, secret: string, args?: string[] }} app
 * @returns {Promise<{ host: string, port: number, url: string, stop: () => Promise<void> }>}
 */
export async function startPogoServer({ appId, key, secret, args = [] }) {
  const bin = await pogoServerBinary();
  const flags = ['-addr', '127.0.0.1:0', '-app-id', appId, '-app-key', key, '-app-secret', secret, ...args];
  const child = spawn(bin, flags, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const stderr = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr.push(chunk);
    if (stderr.length > 200) stderr.shift();
  });
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  exited.then(() => running.delete(child));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  try {
    const url = await waitListening(child, exited, () => stderr.join(''));
    const { hostname, port } = new URL(url);
    return { host: hostname, port: Number(port), url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function waitListening(child, exited, logs) {
  return new Promise((done, fail) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(
      () => fail(new Error(`pogo-server printed no POGO_LISTENING line within ${READY_TIMEOUT_MS} ms\n${logs()}`)),
      READY_TIMEOUT_MS,
    );
    lines.on('line', (line) => {
      const match = /^POGO_LISTENING (\S+)/.exec(line.trim());
      if (match) {
        clearTimeout(timer);
        done(match[1]);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      fail(new Error(`pogo-server exited (code ${code}, signal ${signal}) before listening\n${logs()}`));
    });
  });
}
