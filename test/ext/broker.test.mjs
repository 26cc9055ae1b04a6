// Broker statuses from PHP with the Redis broker: 8 when the broker's
// outgoing queue (broker_queue_size) is full, 6 when Redis is unreachable,
// and 0 again once it is back. The PHP call never waits beyond the native
// deadline (250 ms).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFrankenPHP, phpPublish } from './lib/frankenphp.mjs';
import { startRedis } from '../e2e/lib/redis.mjs';
import { connect, connected, subscribed, disconnectAll } from '../protocol/lib/clients.mjs';
import { once } from '../protocol/lib/wait.mjs';

const tally = (statuses) => statuses.reduce((m, s) => ({ ...m, [s]: (m[s] || 0) + 1 }), {});

describe('native publish through the Redis broker', () => {
  let redis;
  let fp;
  before(async () => {
    redis = await startRedis();
    // Eight app worker threads publish at once: a native publish through Redis
    // waits (at most 250 ms) for Redis to take the event, so only concurrent
    // PHP threads can find the one-slot queue full.
    fp = await startFrankenPHP({ appWorkers: 8, numThreads: 16, pogo: `redis_host ${redis.addr}\n\t\tbroker_queue_size 1` });
  });
  after(async () => {
    disconnectAll();
    await fp?.stop();
    await redis?.stop();
  });

  it('delivers through Redis and reports 8 when the broker queue is full', async () => {
    const p = connect(fp);
    await connected(p);
    const ch = await subscribed(p, 'via-redis');
    const got = once(ch, 'hello');
    let first;
    for (let i = 0; i < 50 && first !== 0; i++) {
      [first] = await phpPublish(fp, { fn: 'publish', app: 'pogo-app', channel: 'via-redis', event: 'hello', data: '{"via":"redis"}' });
      if (first !== 0) await new Promise((r) => setTimeout(r, 100)); // the node may still be connecting
    }
    assert.equal(first, 0);
    assert.deepEqual(await got, { via: 'redis' });
    const floods = await Promise.all(Array.from({ length: 8 }, () =>
      phpPublish(fp, { fn: 'publish', app: 'pogo-app', channel: 'via-redis', event: 'flood', repeat: 500 })));
    const statuses = floods.flat();
    const counts = tally(statuses);
    assert.ok(counts[8] > 0, `a one-slot broker queue must report 8 under a flood: ${JSON.stringify(counts)}`);
    assert.deepEqual(Object.keys(counts).filter((s) => s !== '0' && s !== '8'), [], `only 0 and 8: ${JSON.stringify(counts)}`);
  });

  it('reports 6 while Redis is down and publishes again once it is back', async () => {
    const port = redis.port;
    await redis.stop();
    let statuses = [];
    for (let i = 0; i < 50 && !statuses.includes(6); i++) {
      const t = performance.now();
      statuses = await phpPublish(fp, { fn: 'publish', app: 'pogo-app', channel: 'via-redis', event: 'down', repeat: 1 });
      const ms = performance.now() - t;
      if (statuses[0] === 6) console.log(`# native publish with Redis down answered 6 in ${ms.toFixed(1)} ms (deadline 250 ms)`);
      else await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(statuses, [6], 'Redis down: broker publish failed');
    redis = await startRedis(port);
    let back;
    for (let i = 0; i < 100 && back !== 0; i++) {
      [back] = await phpPublish(fp, { fn: 'publish', app: 'pogo-app', channel: 'via-redis', event: 'back', data: '{}' });
      if (back !== 0) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(back, 0, 'publishing resumes after Redis restarts');
  });
});
