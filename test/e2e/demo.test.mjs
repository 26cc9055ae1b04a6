// The README's run command: `go tool mage run` builds, then runs
// `go tool mage demo:serve`. This test runs that serve target as a user
// would (on free ports) and checks that it serves the example app through
// bin/frankenphp in worker mode with at least two app worker threads beside
// the auth worker pool, and starts the queue worker.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { freePort, admin } from '../ext/lib/frankenphp.mjs';
import { REPO_ROOT } from './lib/app.mjs';

describe('README run command (go tool mage demo:serve)', { timeout: 270_000 }, () => {
  let child;
  let exited;
  let out = '';
  after(async () => {
    if (!child) return;
    const group = (signal) => { try { process.kill(-child.pid, signal); } catch { /* gone */ } };
    group('SIGINT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    group('SIGKILL'); // frankenphp and the queue worker share the group, even after mage exited
  });

  it('serves the example app in worker mode with the auth pool and a queue worker', async () => {
    const port = await freePort();
    const adminPort = await freePort();
    child = spawn('go', ['tool', 'mage', 'demo:serve'], {
      cwd: REPO_ROOT,
      detached: true,
      env: { ...process.env, POGO_PORT: String(port), POGO_ADMIN_PORT: String(adminPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((r) => child.once('exit', r));
    child.stdout.on('data', (b) => { out += b; });
    child.stderr.on('data', (b) => { out += b; });
    const deadline = Date.now() + 180_000;
    let status = 0;
    while (status !== 200) {
      assert.equal(child.exitCode, null, `demo:serve exited:\n${out}`);
      assert.ok(Date.now() < deadline, `the demo did not answer in time:\n${out.slice(-4000)}`);
      try {
        status = (await fetch(`http://127.0.0.1:${port}/login`, { signal: AbortSignal.timeout(5_000) })).status;
      } catch { /* not yet listening */ }
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    assert.match(out, new RegExp(`open http://localhost:${port}`), 'the demo says where to open it');
    const threads = JSON.parse((await admin({ adminUrl: `http://localhost:${adminPort}` }, 'GET', '/frankenphp/threads')).body).ThreadDebugStates;
    const app = threads.filter((t) => t.Name.endsWith('public/frankenphp-worker.php'));
    const auth = threads.filter((t) => t.Name.endsWith('websocket/auth-worker.php'));
    assert.ok(app.length >= 2, `>= 2 app worker threads (ZTS), got ${app.length}`);
    assert.ok(auth.length >= 1, 'the auth worker pool runs');
    const group = execFileSync('ps', ['-eo', 'pgid=,args=']).toString().split('\n')
      .filter((l) => l.trim().split(/\s+/)[0] === String(child.pid));
    assert.ok(group.some((l) => l.includes('artisan queue:work')), `a queue worker runs beside the server:\n${group.join('\n')}`);
  });
});
