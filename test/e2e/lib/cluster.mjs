// Two nodes of the example behind different ports: each is its own
// bin/frankenphp serving examples/laravel-app with the in-process
// pogo_websocket hub, and both hubs join one real redis-server through
// `redis_host` (docs/scaling.md). The nodes share what a real deployment
// shares: the app secret, the webhook secret, the session store and the
// queue database (one SQLite file), so a job queued through node A can be
// run by any worker.

import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startExample } from './app.mjs';
import { startRedis } from './redis.mjs';

/**
 * Starts redis-server, then node A, then node B (one after the other, so
 * the shared database is migrated once). Resolves with
 * {redis, a, b, logs(), stop()}: a and b are startExample() results, logs()
 * is both nodes' output, and stop() stops both servers and redis and removes
 * the shared directory, whatever state the start reached; it is safe to
 * call twice. On a failed start everything started so far is stopped.
 */
export async function startCluster() {
  const shared = mkdtempSync(join(tmpdir(), 'pogo-e2e-cluster-'));
  mkdirSync(join(shared, 'sessions'));
  const database = join(shared, 'queue.sqlite');
  writeFileSync(database, '');
  const env = {
    WS_APP_SECRET: randomBytes(32).toString('hex'),
    POGO_WEBHOOK_SECRET: randomBytes(32).toString('hex'),
    DB_DATABASE: database,
    SESSION_PATH: join(shared, 'sessions'),
  };

  const removeShared = () => rmSync(shared, { recursive: true, force: true });
  process.once('exit', removeShared);
  const c = {
    redis: null,
    a: null,
    b: null,
    logs: () => `${c.a?.logs() ?? ''}\n${c.b?.logs() ?? ''}`,
    async stop() {
      await Promise.all([c.a?.stop(), c.b?.stop()]);
      await c.redis?.stop();
      removeShared();
      process.removeListener('exit', removeShared);
    },
  };
  try {
    c.redis = await startRedis();
    const pogo = `redis_host ${c.redis.addr}`;
    c.a = await startExample({ env, pogo });
    c.b = await startExample({ env, pogo });
  } catch (err) {
    await c.stop();
    throw err;
  }
  return c;
}
