// Queue-full statuses with tiny queues: a shard whose fan-out queue holds one
// message reports 9 (shard queue full) to PHP instead of blocking the PHP
// thread. Status 8 (broker queue full) needs a broker with an outgoing
// queue (Redis); the in-memory broker delivers synchronously and never
// returns it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFrankenPHP, phpPublish } from './lib/frankenphp.mjs';
import { RawClient, wsUrl, closeAllRaw } from '../protocol/lib/raw.mjs';

describe('tiny queues in bin/frankenphp', () => {
  let fp;
  before(async () => {
    fp = await startFrankenPHP({ pogo: 'num_shards 1\n\t\tshard_queue_size 1\n\t\thandshake_rate 10000\n\t\thandshake_burst 10000' });
  });
  after(async () => { await closeAllRaw(); await fp?.stop(); });

  it('returns 9 when the shard queue is full, and 0 otherwise', async () => {
    const subs = [];
    for (let i = 0; i < 100; i++) {
      const c = new RawClient(wsUrl(fp));
      await c.established();
      await c.subscribe('busy-channel');
      subs.push(c);
    }
    const statuses = await phpPublish(fp, { fn: 'publish', app: 'pogo-app', channel: 'busy-channel', event: 'e', repeat: 3000, data: '{"x":1}' });
    const counts = statuses.reduce((m, s) => ({ ...m, [s]: (m[s] || 0) + 1 }), {});
    assert.deepEqual(Object.keys(counts).sort(), ['0', '9'], `statuses seen: ${JSON.stringify(counts)}`);
    // The server keeps serving: a later publish succeeds once the queue drained.
    let last;
    for (let i = 0; i < 50 && last !== 0; i++) {
      [last] = await phpPublish(fp, { fn: 'publish', app: 'pogo-app', channel: 'busy-channel', event: 'e', data: '{}' });
    }
    assert.equal(last, 0);
  });
});
