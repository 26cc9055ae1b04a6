// Starts a private redis-server on a free loopback port for a test, and stops it.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from './frankenphp.mjs';

/** Resolves once something accepts TCP connections on port. */
async function listening(port, child, deadlineMs = 10_000) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    const ok = await new Promise((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts redis-server (no persistence) on a free port, or on port when given
 * (to restart a stopped server at the same address). Returns {port, addr, stop()}.
 */
export async function startRedis(port) {
  port ??= await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await listening(port, child);
  return {
    port,
    addr: `127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
